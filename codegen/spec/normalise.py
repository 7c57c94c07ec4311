"""Rewrite OpenAPI 3.0 schemas into their OpenAPI 3.1 (JSON Schema 2020-12) meaning.

Everything downstream (value checks, the IR, the embedded validators) then speaks one dialect.
"""

from __future__ import annotations

import copy
from typing import Any

from codegen.spec.walk import walk


def to_31(document: dict[str, Any]) -> dict[str, Any]:
    """A 3.1 reading of a 3.0 document; the input is not modified."""
    doc = copy.deepcopy(document)
    found = walk(doc)
    # Deepest first, so that a parent wrapping itself in anyOf carries already-normalised children.
    for path in sorted(found.schemas, key=len, reverse=True):
        parent: Any = doc
        for token in path[:-1]:
            parent = parent[token]
        parent[path[-1]] = schema_to_31(parent[path[-1]])
    return doc


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


__all__ = ["schema_to_31", "to_31"]
