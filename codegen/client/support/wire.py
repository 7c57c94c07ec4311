# Support module of every generated client: copied verbatim by codegen.client (line 1 becomes the @generated header).
"""Parameters on the wire as the spec's ``style`` and ``explode`` say, and as the generated server reads them.

openapi-python-client hands httpx a list for every array query parameter (so httpx repeats the key) and
writes path and header values with ``str()`` (``True``, ``['a', 'b']``). These functions write what the spec
means instead: ``true``/``false``; arrays comma-separated, except query parameters that are exploded;
``deepObject`` parameters and form fields in brackets.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from enum import Enum
from urllib.parse import quote

from .types import Unset


def text(value: object) -> str:
    """One value as text: booleans as JSON writes them, enums by their value, anything else by ``str``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return text(value.value)
    return str(value)


def simple(value: object) -> str:
    """The ``simple`` style (paths, headers): an array's items comma-separated."""
    if isinstance(value, list | tuple):
        return ",".join(text(item) for item in value)
    return text(value)


def _absent(value: object) -> bool:
    return value is None or isinstance(value, Unset)


def query(
    values: Sequence[tuple[str, object]], unexploded: Collection[str] = (), deep: Collection[str] = ()
) -> list[tuple[str, str]]:
    """The ``form`` style: an array repeats its name, or is one comma-separated value when not exploded;
    ``deepObject`` parameters as ``name[key]=value``."""
    pairs: list[tuple[str, str]] = []
    for name, value in values:
        if _absent(value):
            continue
        if name in deep:
            pairs.extend(deep_object(name, value))
        elif isinstance(value, list | tuple):
            if name in unexploded:
                pairs.append((name, simple(value)))
            else:
                pairs.extend((name, text(item)) for item in value)
        elif isinstance(value, Mapping):
            pairs.extend((str(key), text(item)) for key, item in value.items() if not _absent(item))
        else:
            pairs.append((name, text(value)))
    return pairs


def deep_object(name: str, value: object) -> list[tuple[str, str]]:
    """``deepObject``: an object's keys in brackets (``a[b][c]=v``), arrays by index (``a[0]=v``), as the
    generated server reads them; a scalar (a schema may allow one) is ``name=value``."""
    if isinstance(value, Mapping):
        items: Sequence[tuple[object, object]] = list(value.items())
        if not items:
            return [(name, "")]  # an empty object: its name alone (the server reads ``x=`` as ``{}``)
    elif isinstance(value, list | tuple):
        items = list(enumerate(value))
    else:
        return [(name, text(value))]
    pairs: list[tuple[str, str]] = []
    for key, item in items:
        if not _absent(item):
            pairs.extend(deep_object(f"{name}[{key}]", item))
    return pairs


def form(values: Mapping[str, object], deep: Collection[str] = ()) -> dict[str, str | list[str]]:
    """A form body (``application/x-www-form-urlencoded``) as the generated server reads it: ``deepObject``
    fields in brackets; other objects as JSON (OpenAPI's default for them); arrays as repeated keys."""
    fields: dict[str, str | list[str]] = {}
    for name, value in values.items():
        if _absent(value):
            continue
        if name in deep:
            for key, item in deep_object(name, value):
                fields[key] = item
        elif isinstance(value, list | tuple):
            fields[name] = [_form_text(item) for item in value]
        else:
            fields[name] = _form_text(value)
    return fields


def _form_text(value: object) -> str:
    return json.dumps(value) if isinstance(value, Mapping | list | tuple) else text(value)


def path(template: str, values: Mapping[str, object]) -> str:
    """The path with each parameter written in the ``simple`` style and percent-encoded into one segment."""
    return template.format(**{name: segment(simple(value)) for name, value in values.items()})


def segment(value: str) -> str:
    """``value`` as one path segment: percent-encoded, and ``.``/``..`` too, which HTTP clients would resolve."""
    encoded = quote(value, safe="")
    return encoded.replace(".", "%2E") if encoded in (".", "..") else encoded


def headers(values: Sequence[tuple[str, object]], cookies: Sequence[tuple[str, object]] = ()) -> dict[str, str]:
    """Header parameters in the ``simple`` style, and cookie parameters as one ``Cookie`` header."""
    found = {name: simple(value) for name, value in values if not _absent(value)}
    jar = [f"{name}={quote(simple(value), safe='')}" for name, value in cookies if not _absent(value)]
    if jar:
        found["Cookie"] = "; ".join(jar)
    return found
