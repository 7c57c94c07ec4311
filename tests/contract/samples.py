"""A valid value for a property of a request schema, read from the spec, and chosen to be seen: not null, not the
schema's default, enum values from the last (a server that ignores the property answers the first or nothing)."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import jsonschema

from tests.contract import document

#: Values for the string formats a property may declare; other strings are made from the property's name.
FORMATS = {
    "date-time": "2021-03-04T05:06:07.1234567+01:00",
    "date": "2021-03-04",
    "time": "05:06:07Z",
    "uuid": "3f1c2a9e-0c1d-4e5f-8a9b-0c1d2e3f4a5b",
    "email": "contract@example.com",
    "uri": "https://example.com/contract",
}


def body_with(name: str) -> dict[str, Any]:
    """A create body that is valid for the spec and sends ``name`` with a value to recognise: the required
    properties (if any) and ``name``."""
    schema = document.create_schema()
    wanted = [*[r for r in schema.get("required", []) if r != name], name]
    return {prop: sample(prop) for prop in wanted}


def sample(name: str) -> Any:
    schema = document.deref(document.create_schema()["properties"][name])
    for value in _candidates(schema, name):
        if value is not None and value != schema.get("default") and _validator(name).is_valid(value):
            return value
    raise LookupError(f"no valid value found for {name!r} (give its schema an example in the spec)")


def _candidates(schema: dict[str, Any], name: str) -> Iterator[Any]:
    if "const" in schema:
        yield schema["const"]
    yield from schema.get("examples", [])
    if "example" in schema:
        yield schema["example"]
    parent = document.create_schema().get("example")
    if isinstance(parent, dict) and name in parent:
        yield parent[name]
    yield from reversed(schema.get("enum", []))
    types = schema.get("type", [])
    for kind in [types] if isinstance(types, str) else types:
        yield from _made(kind, schema, name)


def _made(kind: str, schema: dict[str, Any], name: str) -> Iterator[Any]:
    if kind == "string":
        text = FORMATS.get(schema.get("format", ""), f"contract {name}")
        yield (text + "x" * schema.get("minLength", 0))[: schema.get("maxLength", len(text) + 1000)]
    elif kind in ("integer", "number"):
        low, high = schema.get("minimum", -(2**31)), schema.get("maximum", 2**31 - 1)
        for value in (7, 8, low, high) if kind == "integer" else (2.5, 3.5, low, high):
            if low <= value <= high:
                yield value
    elif kind == "boolean":
        yield from (True, False)
    elif kind == "array":
        yield []
    elif kind == "object":
        yield {}


@functools.cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    """The schema of the create body's property ``name``, formats asserted."""
    schema = document.standalone((*document.create_schema_location(), "properties", name))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
