"""The schema a generated server embeds for one place in the spec: bundled, stripped, and made exact.

jsonschema-rs validates the result at run time, so everything here serves agreement with the spec:
references are bundled under ``$defs`` (``refs.bundle``), annotations are dropped (they do not validate),
and ``int32``/``int64`` formats become bounds (jsonschema-rs asserts formats on strings only).
"""

from __future__ import annotations

from typing import Any

from codegen.pointer import Pointer, resolve
from codegen.spec import refs
from codegen.spec.walk import subschemas

DRAFT = "https://json-schema.org/draft/2020-12/schema"
UNSUPPORTED_KEYWORDS = ("$id", "$anchor", "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor")
_ANNOTATIONS = frozenset({"description", "title", "example", "examples", "externalDocs", "xml", "deprecated",
                          "discriminator", "readOnly", "writeOnly", "$comment"})  # fmt: skip
_INT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def embedded_schema(document: dict[str, Any], where: Pointer) -> tuple[Any, list[tuple[Pointer, str]]]:
    """(the schema at ``where`` as the server embeds it, the keywords it uses that cannot be embedded)."""
    problems = unsupported_keywords(document, where)
    schema = harden(refs.bundle(document, where))
    if isinstance(schema, dict):
        schema = {"$schema": DRAFT, **schema}
    return schema, problems


def unsupported_keywords(document: dict[str, Any], where: Pointer) -> list[tuple[Pointer, str]]:
    """Each keyword that identifies or re-anchors schemas, which bundling cannot keep faithful."""
    problems: list[tuple[Pointer, str]] = []
    seen: set[int] = set()
    stack: list[tuple[Pointer, Any]] = [(where, resolve(document, [str(t) for t in where]))]
    while stack:
        path, schema = stack.pop()
        if not isinstance(schema, dict) or id(schema) in seen:
            continue
        seen.add(id(schema))
        for keyword in UNSUPPORTED_KEYWORDS:
            if keyword in schema:
                problems.append(((*path, keyword), f"JSON Schema keyword {keyword!r} is not supported"))
        if isinstance(schema.get("$ref"), str):
            try:
                target = refs.target_of(schema["$ref"])
                stack.append((target, resolve(document, target)))
            except (ValueError, LookupError):
                pass
        stack.extend(subschemas(schema, path))
    return problems


def harden(schema: Any) -> Any:
    """Strip annotations; make int32/int64 formats into bounds (jsonschema-rs checks formats on strings only)."""
    if not isinstance(schema, dict):
        return schema
    out = {k: v for k, v in schema.items() if k not in _ANNOTATIONS and not k.startswith("x-")}
    bounds = _INT_BOUNDS.get(out.get("format", ""))
    if bounds:
        low, high = bounds
        out["minimum"] = max(out["minimum"], low) if _is_number(out.get("minimum")) else low
        out["maximum"] = min(out["maximum"], high) if _is_number(out.get("maximum")) else high
    for sub_path, sub in subschemas(schema, ()):
        refs.assign(out, sub_path, harden(sub))
    return out


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
