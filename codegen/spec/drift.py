"""Update bodies that drifted from their resource: a property an update accepts typed otherwise than the
resource that the same operation answers with.

A resource schema and its update schema (Graph's PATCH bodies) repeat each property; an enum value added to
one and not the other makes the server refuse, on update, a value it hands out. Reported by JSON pointer, with
the keywords that differ, and only with ``--strict`` (as an error): published APIs often narrow what an update
takes on purpose (Discord's spec differs this way 140 times), so it is a rule for contracts like ours.
"""

from __future__ import annotations

from typing import Any

from codegen.pointer import Pointer, pointer_text
from codegen.spec.refs import located
from codegen.spec.walk import operations

#: Keywords that document a schema without changing what it accepts.
_ANNOTATIONS = frozenset({"description", "title", "example", "examples", "deprecated", "readOnly", "writeOnly",
                          "default", "$comment"})  # fmt: skip
_UPDATES = ("patch", "put")


def drifted_updates(document: dict[str, Any]) -> list[tuple[Pointer, str]]:
    """Each property of a PATCH or PUT JSON body whose schema differs from the same property of the JSON
    object the operation answers with (its first 2xx response)."""
    problems: list[tuple[Pointer, str]] = []
    seen: set[Pointer] = set()
    for site in operations(document):
        if site.method not in _UPDATES:
            continue
        sent = _json_schema(document, site.operation.get("requestBody"), (*site.pointer, "requestBody"))
        answer = _success(site.operation.get("responses"))
        answered = _json_schema(document, answer[1], (*site.pointer, "responses", answer[0])) if answer else None
        if sent is None or answered is None:
            continue
        (body, body_at), (resource, resource_at) = sent, answered
        for name, schema in _properties(body).items():
            if name not in _properties(resource):
                continue
            mine, mine_at = _resolved(document, schema, (*body_at, "properties", name))
            theirs, theirs_at = _resolved(document, _properties(resource)[name], (*resource_at, "properties", name))
            differing = _differing(mine, theirs)
            if differing and mine_at not in seen:  # a shared update schema is reported once
                seen.add(mine_at)
                verb = "differs" if len(differing) == 1 else "differ"
                problems.append((mine_at, f"property {name!r} of this update body is not the resource's "
                                 f"({pointer_text(theirs_at)}): {', '.join(differing)} {verb}; an update should "
                                 "accept what the resource holds"))  # fmt: skip
    return problems


def _success(responses: Any) -> tuple[str, Any] | None:
    codes = sorted(str(code) for code in responses if str(code).startswith("2")) if isinstance(responses, dict) else []
    return (codes[0], responses[codes[0]]) if codes else None


def _json_schema(document: dict[str, Any], holder: Any, where: Pointer) -> tuple[dict[str, Any], Pointer] | None:
    """The object schema of a request body's or response's ``application/json`` content, with its place."""
    try:
        holder, where = located(document, holder, where)
        content = holder.get("content") if isinstance(holder, dict) else None
        media = content.get("application/json") if isinstance(content, dict) else None
        if not isinstance(media, dict):
            return None
        schema, at = located(document, media.get("schema"), (*where, "content", "application/json", "schema"))
    except (ValueError, LookupError):
        return None
    return (schema, at) if isinstance(schema, dict) and isinstance(schema.get("properties"), dict) else None


def _resolved(document: dict[str, Any], schema: Any, where: Pointer) -> tuple[Any, Pointer]:
    try:
        return located(document, schema, where)
    except (ValueError, LookupError):
        return schema, where


def _properties(schema: dict[str, Any]) -> dict[str, Any]:
    found = schema.get("properties")
    return found if isinstance(found, dict) else {}


def _differing(mine: Any, theirs: Any) -> list[str]:
    """The keywords (``enum``, ``type``...) whose values differ, annotations aside; ``schema`` when either is
    not an object schema and they are not equal."""
    if not isinstance(mine, dict) or not isinstance(theirs, dict):
        return [] if mine == theirs else ["schema"]
    keys = (set(mine) | set(theirs)) - _ANNOTATIONS
    return sorted(f"'{key}'" for key in keys if mine.get(key) != theirs.get(key))


__all__ = ["drifted_updates"]
