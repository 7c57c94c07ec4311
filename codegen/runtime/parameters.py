# Runtime of every generated server: copied verbatim by codegen.server (line 1 becomes the @generated header).
"""Parameters from the path, query, headers and cookies: text turned into values, then validated."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import parse_qsl, unquote

import orjson

from .coercion import EXPECTED, NOT_READ, read_text
from .deep import DeepValue, split_key
from .errors import BadRequest, bad_request
from .operation import ANY, Coercion, Location, Operation, Parameter
from .validation import prepared, show, violations

#: Query options (and form fields) parsed per request at most.
MAX_QUERY_FIELDS: Final = 100
#: How deep a JSON-valued parameter may nest.
MAX_PARAMETER_DEPTH: Final = 32
#: How messages name a parameter by where it arrives.
NOUNS: Final[Mapping[Location, str]] = {
    "query": "query option",
    "header": "header",
    "path": "path segment",
    "cookie": "cookie",
}


def coerce(coercion: Coercion, text: str, name: str, location: Location) -> Any:
    """Turn a parameter's text into the JSON value its schema describes; BadRequest when it cannot be."""
    value = read_text(coercion, text)
    if value is not NOT_READ:
        return value
    if coercion == "json":
        try:
            return prepared(orjson.loads(text), MAX_PARAMETER_DEPTH, f"The {NOUNS[location]} '{name}'")
        except orjson.JSONDecodeError:
            pass
    raise BadRequest(
        f"Invalid value {show(text)} for {NOUNS[location]} '{name}': expected {EXPECTED[coercion]}.", target=name
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
    objects = op.query_objects
    gathered: dict[str, Any] = {}
    if objects:
        plain = frozenset(p.wire_name for p in op.parameters if p.location == "query" and p.style == "plain")
        query, gathered = _gather_objects(objects, query, plain | op.query_names)
    if reject_unknown and query:
        unknown = sorted(set(query) - op.query_names)
        if unknown:
            raise BadRequest(f"Query option '{unknown[0]}' is not supported.", target=unknown[0])
    cookies = parse_cookies(headers["cookie"]) if op.reads_cookies and "cookie" in headers else {}
    values: dict[str, Any] = {}
    for param in op.parameters:
        if param.location == "path":
            raw: list[str] | None = [path_values[param.py_name]]
        elif param.location == "query":
            if param.style != "plain":
                values[param.py_name] = _checked(param, gathered.get(param.wire_name, _ABSENT))
                continue
            raw = query.get(param.wire_name)
        elif param.location == "header":
            value = headers.get(param.wire_name.lower())
            raw = None if value is None else [value]
        else:
            raw = cookies.get(param.wire_name)
        values[param.py_name] = parameter_value(param, raw)
    return values


_ABSENT: Final = object()


def _gather_objects(
    objects: tuple[Parameter, ...], query: dict[str, list[str]], others: frozenset[str]
) -> tuple[dict[str, list[str]], dict[str, Any]]:
    """Object-valued query parameters put together from their keys: (the options left, values by wire name).

    ``deep``: ``name[key]...=v``; ``spread`` (form, exploded): each property is a key of its own, and a schema
    open to other properties takes every key no other parameter declares (``others``); ``pairs``: ``name=k,v``."""
    deep = {p.wire_name: p for p in objects if p.style == "deep"}
    spread = {key: p for p in objects if p.style == "spread" for key in (p.shape.properties or {} if p.shape else {})}
    open_spread = [p for p in objects if p.style == "spread" and p.shape is not None and p.shape.additional]
    values: dict[str, DeepValue] = {}
    left: dict[str, list[str]] = {}
    for key, texts in query.items():
        split = split_key(key)
        owner, segments = deep.get(key if split is None else split[0]), ([] if split is None else split[1])
        if owner is None and split is None and key not in others:
            owner = spread.get(key) or (open_spread[0] if open_spread else None)
            segments = [key]
        if owner is None:
            left[key] = texts
            continue
        value = values.get(owner.wire_name)
        if value is None:
            value = values[owner.wire_name] = DeepValue(owner.wire_name, owner.shape or ANY, NOUNS["query"])
        if owner.style == "spread" and (owner.shape or ANY).child(key).items is not None:
            segments = [key, ""]  # an array property: its key repeats
        for text in texts:
            value.put(segments, text)
    gathered: dict[str, Any] = {name: value.value() for name, value in values.items()}
    for param in objects:
        if param.style == "pairs" and param.wire_name in left:
            gathered[param.wire_name] = _pairs(param, left.pop(param.wire_name))
    return left, gathered


def _pairs(param: Parameter, texts: list[str]) -> dict[str, Any]:
    """``name=k1,v1,k2,v2`` (form, not exploded) as ``{k1: v1, k2: v2}``."""
    if len(texts) > 1:
        raise BadRequest(f"The query option '{param.wire_name}' is given more than once.", target=param.wire_name)
    items = texts[0].split(",") if texts[0] else []
    if len(items) % 2:
        raise BadRequest(f"The query option '{param.wire_name}' needs key,value pairs: it has {len(items)} items.",
                         target=param.wire_name)  # fmt: skip
    if not items:
        return {}  # ``name=``: an object with no properties (there is nothing to put together)
    value = DeepValue(param.wire_name, param.shape or ANY, NOUNS["query"])
    for key, text in zip(items[::2], items[1::2], strict=True):
        value.put([key], text)
    return dict(value.value())


def _checked(param: Parameter, value: Any) -> Any:
    """An object-valued parameter's value (``_ABSENT``: none of its keys came), validated."""
    if value is _ABSENT:
        if param.required:
            raise BadRequest(f"The parameter '{param.wire_name}' is required.", target=param.wire_name)
        return param.default if param.has_default else None
    if not param.validator.is_valid(value):
        raise bad_request(violations(param.validator, value, param.wire_name, NOUNS[param.location]))
    return value


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
    elif param.coercion == "string":  # most parameters (path segments above all): the text is the value
        value = raw[0]
    else:
        value = coerce(param.coercion, raw[0], param.wire_name, param.location)
    if not param.validator.is_valid(value):
        raise bad_request(violations(param.validator, value, param.wire_name, NOUNS[param.location]))
    return value
