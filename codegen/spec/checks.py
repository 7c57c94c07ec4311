"""Check that every value written in the spec (examples, defaults, enum and const values) fits its schema.

openapi-spec-validator checks the document's shape, not whether ``enum: [1]`` suits ``type: string`` or
whether an example is valid. A wrong example misleads partners and a wrong enum value breaks the server,
so both stop generation, named by JSON pointer.

The whole document is one ``referencing`` resource: a sample's schema is checked where it is written, and
references are followed lazily, so no schema is copied per sample (a large, tightly linked spec has
thousands of samples over the same few components).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import jsonschema
from jsonschema.validators import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from codegen.pointer import Pointer, PointerError, pointer_text, resolve
from codegen.spec import refs
from codegen.spec.walk import Sample, subschemas

#: Where the document is registered: its own ``#/...`` references resolve inside it. (An http-like URI:
#: ``urljoin`` does not resolve fragments against a ``urn:``. Nothing is ever fetched.)
_DOCUMENT = "https://codegen.invalid/openapi.json"

FORMAT_CHECKER = jsonschema.FormatChecker()


@FORMAT_CHECKER.checks("int32")
def _int32(value: object) -> bool:
    return not isinstance(value, int) or isinstance(value, bool) or -(2**31) <= value < 2**31


@FORMAT_CHECKER.checks("int64")
def _int64(value: object) -> bool:
    return not isinstance(value, int) or isinstance(value, bool) or -(2**63) <= value < 2**63


def check_samples(
    document: dict[str, Any], samples: list[Sample], written: dict[str, Any] | None = None
) -> list[tuple[Pointer, str]]:
    """Each sample that its schema rejects, with the validator's reason. Schemas are read from ``document``
    (the 3.1 reading); sample values from ``written`` when given (the document as written, whose pointers
    name where a 3.0 ``example`` really is)."""
    values = document if written is None else written
    problems: list[tuple[Pointer, str]] = []
    registry: Registry[Any] = Registry().with_resource(_DOCUMENT, DRAFT202012.create_resource(document))
    validators: dict[tuple[Pointer, str], Draft202012Validator] = {}
    for sample in samples:
        # An enum or const is checked against the rest of its schema; examples against all of it.
        drop = (sample.kind, "default", "examples", "example") if sample.kind in ("enum", "const") else ()
        key = (sample.schema, ",".join(drop))
        if key not in validators:
            try:
                schema = _schema_at(document, sample.schema, drop)
            except (ValueError, PointerError):
                continue  # a schema that cannot be read is reported where it is checked (references, shape)
            validators[key] = Draft202012Validator(schema, registry=registry, format_checker=FORMAT_CHECKER)
        try:
            value = refs.deref(values, resolve(values, [str(t) for t in sample.value]))
        except (ValueError, PointerError):
            continue  # an unresolvable reference is reported by the reference check
        if sample.in_example_object:
            if not isinstance(value, dict) or "value" not in value:
                continue  # externalValue, or no value: nothing to check here
            value = value["value"]
        error = jsonschema.exceptions.best_match(validators[key].iter_errors(value))
        if error is not None:
            where = "".join(f"/{p}" for p in error.absolute_path)
            at = f" at {where}" if where else ""
            problems.append((sample.value, f"{sample.kind} value is invalid for its schema{at}: {error.message}"))
    return problems


def _schema_at(document: dict[str, Any], where: Pointer, drop: tuple[str, ...]) -> Any:
    """The schema at ``where``, referencing the registered document: only when keywords are dropped is its
    own level copied (with its references made absolute), never what it references."""
    if not drop:
        return {"$ref": _DOCUMENT + "#" + quote(pointer_text(where), safe="/~")}
    schema = resolve(document, [str(t) for t in where])
    if not isinstance(schema, dict):
        return schema
    return _absolute({k: v for k, v in schema.items() if k not in drop})


def _absolute(schema: Any) -> Any:
    """``schema`` with each local ``#/...`` reference in it made to point into the registered document."""
    if not isinstance(schema, dict):
        return schema
    out = dict(schema)
    if isinstance(out.get("$ref"), str) and out["$ref"].startswith("#"):
        out["$ref"] = _DOCUMENT + out["$ref"]
    for sub_path, sub in subschemas(schema, ()):
        refs.assign(out, sub_path, _absolute(sub))
    return out
