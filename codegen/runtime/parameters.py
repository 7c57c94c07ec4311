# Runtime of every generated server: copied verbatim by codegen.server (line 1 becomes the @generated header).
"""Parameters from the path, query, headers and cookies: text turned into values, then validated."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import parse_qsl, unquote

import orjson

from .errors import BadRequest, bad_request
from .operation import Coercion, Location, Operation, Parameter
from .validation import prepared, show, violations

#: Query options (and form fields) parsed per request at most.
MAX_QUERY_FIELDS: Final = 100
#: How deep a JSON-valued parameter may nest.
MAX_PARAMETER_DEPTH: Final = 32
_INTEGER: Final = re.compile(r"^[+-]?[0-9]{1,40}$")
_NUMBER: Final = re.compile(r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
#: How messages name a parameter by where it arrives.
NOUNS: Final[Mapping[Location, str]] = {
    "query": "query option",
    "header": "header",
    "path": "path segment",
    "cookie": "cookie",
}
_EXPECTED: Final = {"integer": "an integer", "number": "a number", "boolean": "true or false", "json": "JSON"}


def coerce(coercion: Coercion, text: str, name: str, location: Location) -> Any:
    """Turn a parameter's text into the JSON value its schema describes; BadRequest when it cannot be."""
    if coercion == "string":
        return text
    if coercion == "integer" and _INTEGER.match(text):
        return int(text)
    if coercion == "number" and _NUMBER.match(text):
        return float(text)
    if coercion == "boolean" and text in ("true", "false"):
        return text == "true"
    if coercion == "json":
        try:
            return prepared(orjson.loads(text), MAX_PARAMETER_DEPTH, f"The {NOUNS[location]} '{name}'")
        except orjson.JSONDecodeError:
            pass
    raise BadRequest(
        f"Invalid value {show(text)} for {NOUNS[location]} '{name}': expected {_EXPECTED[coercion]}.", target=name
    )


def parse_query(raw_query: bytes) -> dict[str, list[str]]:
    """Every query option's values in order; BadRequest for bad UTF-8 or too many options."""
    query: dict[str, list[str]] = {}
    try:
        pairs = parse_qsl(raw_query.decode("latin-1"), keep_blank_values=True, encoding="utf-8",
                          errors="strict", max_num_fields=MAX_QUERY_FIELDS)  # fmt: skip
    except UnicodeDecodeError:
        raise BadRequest("The query string is not valid UTF-8.") from None
    except ValueError:
        raise BadRequest(f"The query string has more than {MAX_QUERY_FIELDS} options.") from None
    for name, value in pairs:
        query.setdefault(name, []).append(value)
    return query


def parse_cookies(header: str) -> dict[str, list[str]]:
    cookies: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep:
            cookies.setdefault(name, []).append(unquote(value))
    return cookies


def read_parameters(
    op: Operation, raw_query: bytes, headers: Mapping[str, str], path_values: Mapping[str, str], reject_unknown: bool
) -> dict[str, Any]:
    """The operation's parameters by Python name, validated; undeclared query options are a 400 if asked."""
    query = parse_query(raw_query) if raw_query else {}
    if reject_unknown and query:
        unknown = sorted(set(query) - op.query_names)
        if unknown:
            raise BadRequest(f"Query option '{unknown[0]}' is not supported.", target=unknown[0])
    cookies = parse_cookies(headers["cookie"]) if "cookie" in headers else {}
    values: dict[str, Any] = {}
    for param in op.parameters:
        if param.location == "path":
            raw: list[str] | None = [path_values[param.py_name]]
        elif param.location == "query":
            raw = query.get(param.wire_name)
        elif param.location == "header":
            value = headers.get(param.wire_name.lower())
            raw = None if value is None else [value]
        else:
            raw = cookies.get(param.wire_name)
        values[param.py_name] = parameter_value(param, raw)
    return values


def parameter_value(param: Parameter, raw: list[str] | None) -> Any:
    """One parameter's value from the texts it arrived as (None: absent), validated against its schema."""
    if raw is None:
        if param.required:
            raise BadRequest(f"The parameter '{param.wire_name}' is required.", target=param.wire_name)
        return param.default if param.has_default else None
    if param.is_array:
        # Exploded query arrays repeat the key; others are comma-separated, with ``x=`` for an empty array.
        if param.explode and param.location == "query":
            texts = raw
        elif len(raw) > 1:
            raise BadRequest(
                f"The {NOUNS[param.location]} '{param.wire_name}' is given more than once: "
                "send its values once, comma-separated.",
                target=param.wire_name,
            )
        else:
            texts = raw[0].split(",") if raw[0] else []
        value: Any = [coerce(param.coercion, text, param.wire_name, param.location) for text in texts]
    elif len(raw) > 1:
        raise BadRequest(f"The query option '{param.wire_name}' is given more than once.", target=param.wire_name)
    else:
        value = coerce(param.coercion, raw[0], param.wire_name, param.location)
    if not param.validator.is_valid(value):
        raise bad_request(violations(param.validator, value, param.wire_name, NOUNS[param.location]))
    return value
