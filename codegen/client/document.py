"""The document openapi-python-client reads: our spec as parsed, with what the tool would lose made explicit.

- operationIds become the generated server's handler names (``create_user_statuses``), so both halves name
  an operation alike, and the client's modules and enum classes get short, readable names;
- a parameter's description is copied onto its schema, where the tool looks for docstrings;
- ``format: date-time`` is dropped, so a date-time stays the exact text the server sent and is sent back
  unchanged (``rfc3339.to_datetime`` reads it): a ``datetime`` cannot hold a leap second or 7 digits.

What the tool cannot express (query arrays that are not exploded, ``deepObject`` query parameters and form
fields) is returned beside the document, for the client's ``styles`` module, which ``wire`` reads.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from codegen.build.operations import handler_names
from codegen.pointer import Pointer
from codegen.spec import refs
from codegen.spec.walk import operations, walk

DATE_TIME_NOTE = "An RFC 3339 date-time, kept exactly as sent; rfc3339.to_datetime() reads it."


@dataclass
class ClientDocument:
    #: What the tool reads: a mapping once validated (an unvalidated one may be anything).
    document: Any
    #: Handler name -> wire names of its query arrays that are sent comma-separated (``explode: false``).
    unexploded: dict[str, list[str]] = field(default_factory=dict)
    #: Handler name -> wire names of its ``deepObject`` query parameters (``created[gte]=1``).
    deep_query: dict[str, list[str]] = field(default_factory=dict)
    #: Handler name -> its form body's fields that ``encoding`` makes ``deepObject`` (``metadata[a]=b``).
    deep_form: dict[str, list[str]] = field(default_factory=dict)
    #: (where, what) for each enum the client types as its base type instead (see ``_loosen_enum``).
    warnings: list[tuple[Pointer, str]] = field(default_factory=list)


def client_document(original: dict[str, Any]) -> ClientDocument:
    """The document for openapi-python-client; ``original`` is not modified. Tolerates invalid documents
    (they are refused by validation, which runs meanwhile) by leaving what it cannot read as it is."""
    doc = copy.deepcopy(original)
    result = ClientDocument(doc)
    sites = list(operations(doc))
    for site, name in zip(sites, handler_names(sites), strict=True):
        site.operation["operationId"] = name
        for _, param in refs.operation_parameters(doc, site):
            _describe_schema(param)
            if _unexploded_query_array(doc, param):
                result.unexploded.setdefault(name, []).append(str(param["name"]))
            if param.get("in") == "query" and param.get("style") == "deepObject":
                result.deep_query.setdefault(name, []).append(str(param["name"]))
        deep_fields = _deep_form_fields(doc, site.operation.get("requestBody"))
        if deep_fields:
            result.deep_form[name] = deep_fields
    for path in walk(doc).schemas:
        schema = _at(doc, path)
        _drop_date_time(schema)
        reason = _loosen_enum(schema)
        if reason:
            result.warnings.append(((*path, "enum"), f"the client types this enum as its base type: {reason}"))
    return result


def _deep_form_fields(doc: dict[str, Any], body: Any) -> list[str]:
    """The fields of a form body whose ``encoding`` says ``style: deepObject``."""
    try:
        content = refs.deref(doc, body).get("content", {}) if isinstance(body, dict) else {}
    except (ValueError, LookupError, AttributeError):
        return []
    media = content.get("application/x-www-form-urlencoded") if isinstance(content, dict) else None
    encoding = media.get("encoding", {}) if isinstance(media, dict) else {}
    return sorted(
        str(field) for field, entry in (encoding.items() if isinstance(encoding, dict) else ())
        if isinstance(entry, dict) and entry.get("style") == "deepObject"
    )  # fmt: skip


def _loosen_enum(schema: Any) -> str:
    """Why the tool cannot turn this enum into a class ("" when it can), after dropping it from ``schema``.

    openapi-python-client crashes on an empty enum and on values whose member names collide (``asc`` and
    ``ASC``; ``GMT+0`` and ``GMT0``). Such a schema keeps its type: the server still checks the values."""
    values = schema.get("enum") if isinstance(schema, dict) else None
    if not isinstance(values, list):
        return ""
    reason = ""
    if not values:
        reason = "it allows no value"
    else:
        names = [_member_key(value, i) for i, value in enumerate(values) if isinstance(value, str)]
        if len(set(names)) < len(names):
            reason = "some values differ only in case or punctuation, so their Python names collide"
    if reason:
        del schema["enum"]
    return reason


def _member_key(value: str, index: int) -> str:
    """A name at least as coarse as the tool's for an enum member: letters and digits, upper case."""
    key = value if value[:1].isalpha() else f"VALUE_{index}"
    return "".join(c for c in key.upper() if c.isalnum())


def _describe_schema(param: dict[str, Any]) -> None:
    schema = param.get("schema")
    description = param.get("description")
    if isinstance(schema, dict) and "$ref" not in schema and "description" not in schema and description:
        schema["description"] = description


def _unexploded_query_array(doc: dict[str, Any], param: dict[str, Any]) -> bool:
    if param.get("in") != "query" or param.get("style", "form") != "form" or param.get("explode", True):
        return False
    try:
        schema = refs.deref(doc, param.get("schema"))
    except (ValueError, LookupError):
        return False
    kind = schema.get("type") if isinstance(schema, dict) else None
    return kind == "array" or (isinstance(kind, list) and "array" in kind)


def _drop_date_time(schema: Any) -> None:
    if isinstance(schema, dict) and schema.get("format") == "date-time":
        del schema["format"]
        described = schema.get("description")
        schema["description"] = f"{described.rstrip()} ({DATE_TIME_NOTE})" if described else DATE_TIME_NOTE


def _at(doc: dict[str, Any], path: tuple[str | int, ...]) -> Any:
    node: Any = doc
    for token in path:
        node = node[token]
    return node
