"""Rewrite OpenAPI 3.0 schemas into their OpenAPI 3.1 (JSON Schema 2020-12) meaning.

Everything downstream (value checks, the IR, the embedded validators) then speaks one dialect.
"""

from __future__ import annotations

import copy
from typing import Any

from codegen.pointer import Pointer
from codegen.spec.walk import walk


def to_31(document: dict[str, Any], wrapped: set[Pointer] | None = None) -> dict[str, Any]:
    """A 3.1 reading of a 3.0 document; the input is not modified. A nullable schema without a plain
    ``type`` moves to ``anyOf/0`` of a wrapper: its place as written is added to ``wrapped`` (see ``moved``)."""
    doc = copy.deepcopy(document)
    found = walk(doc)
    # Deepest first, so that a parent wrapping itself in anyOf carries already-normalised children. Every
    # path is still as written when it is handled: only the node itself and its children have changed.
    for path in sorted(found.schemas, key=len, reverse=True):
        parent: Any = doc
        for token in path[:-1]:
            parent = parent[token]
        schema = parent[path[-1]]
        if wrapped is not None and _wraps(schema):
            wrapped.add(tuple(path))
        parent[path[-1]] = schema_to_31(schema)
    return doc


def moved(pointer: Pointer, wrapped: set[Pointer]) -> Pointer:
    """Where the node written at ``pointer`` is in the 3.1 reading: under each wrapped schema, ``anyOf/0``."""
    out: list[str | int] = []
    for i, token in enumerate(pointer):
        out.append(token)
        if pointer[: i + 1] in wrapped:
            out += ["anyOf", 0]
    return tuple(out)


def schema_to_31(schema: Any) -> Any:
    """One 3.0 schema object in 3.1 terms (its subschemas are handled by the caller)."""
    if not isinstance(schema, dict):
        return schema
    out = dict(schema)
    if isinstance(out.get("$ref"), str):
        return {"$ref": out["$ref"]}  # in 3.0, siblings of $ref are ignored
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        flag = out.get(exclusive)
        if isinstance(flag, bool):
            del out[exclusive]
            if flag and bound in out:
                out[exclusive] = out.pop(bound)
    if "example" in out:
        out.setdefault("examples", [out["example"]])
        del out["example"]
    if out.pop("nullable", False) is True:
        out = _nullable(out)
    return out


def _wraps(schema: Any) -> bool:
    """Whether ``schema_to_31`` moves this schema into an ``anyOf`` wrapper (see ``_nullable``)."""
    return (isinstance(schema, dict) and schema.get("nullable") is True and not isinstance(schema.get("$ref"), str)
            and not isinstance(schema.get("type"), str))  # fmt: skip


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
        if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
        return schema
    annotations: dict[str, Any] = {
        k: schema.pop(k) for k in ("description", "title", "default", "examples") if k in schema
    }
    return {**annotations, "anyOf": [schema, {"type": "null"}]}


__all__ = ["moved", "schema_to_31", "to_31"]
