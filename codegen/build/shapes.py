"""Shapes: what a schema allows at each place of a value that arrives as text (deepObject keys, form fields).

The runtime reads ``a[b][0]=5`` by them: which scalar types the text may be (most specific first), whether
arrays or objects fit there. Compositions (allOf/anyOf/oneOf) merge; a schema says nothing deeper than the
runtime reads (``MAX_DEPTH``), so recursion ends there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from codegen.build.builder import Builder
from codegen.ir import Coercion, Shape
from codegen.runtime.deep import MAX_DEPTH

#: Coercions in the order the runtime tries them: the most specific first, text last.
_ORDER: tuple[Coercion, ...] = ("boolean", "integer", "number", "string")
_VALUE_TYPES = {bool: "boolean", int: "integer", float: "number", str: "string"}
#: A shape larger than this (nodes) is not worth printing: the schema is refused for deepObject use.
MAX_NODES = 4000


class TooLarge(Exception):
    pass


@dataclass
class _Draft:
    any: bool = False
    scalars: set[str] = field(default_factory=set)
    items: _Draft | None = None
    properties: dict[str, _Draft] | None = None
    additional: _Draft | None = None
    open: bool = False

    def merge(self, other: _Draft) -> None:
        self.any |= other.any
        self.scalars |= other.scalars
        if other.items is not None:
            self.items = other.items if self.items is None else _merged(self.items, other.items)
        if other.properties is not None:
            mine = self.properties = self.properties if self.properties is not None else {}
            for key, sub in other.properties.items():
                mine[key] = sub if key not in mine else _merged(mine[key], sub)
            self.open |= other.open
            if other.additional is not None:
                extra = other.additional
                self.additional = extra if self.additional is None else _merged(self.additional, extra)


def _merged(a: _Draft, b: _Draft) -> _Draft:
    out = _Draft()
    out.merge(a)
    out.merge(b)
    return out


def shape_of(builder: Builder, schema: Any) -> Shape:
    """The shape of ``schema``; TooLarge when it would be too large to print."""
    counter = [0]
    return _freeze(_draft(builder, schema, 0, counter), counter)


def ambiguous(shape: Shape, where: str = "") -> str | None:
    """The first place where both arrays and objects fit (``x[0]`` could be either), else None."""
    if shape.items is not None and shape.properties is not None:
        return where or "the value itself"
    for key, sub in (*(shape.properties or ()), *((("[]", shape.items),) if shape.items else ())):
        found = ambiguous(sub, f"{where}[{key}]" if key != "[]" else f"{where}[]")
        if found:
            return found
    return None


def _draft(builder: Builder, schema: Any, depth: int, counter: list[int]) -> _Draft:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise TooLarge
    node = builder.resolved(schema) if isinstance(schema, dict) else {}
    draft = _Draft()
    if depth > MAX_DEPTH:
        draft.any = True
        return draft
    kinds = node.get("type")
    types = set(kinds) if isinstance(kinds, list) else {kinds} if isinstance(kinds, str) else set()
    values = [*node.get("enum", []), *([node["const"]] if "const" in node else [])]
    types |= {_VALUE_TYPES[type(v)] for v in values if type(v) in _VALUE_TYPES}
    if not types and ("properties" in node or "additionalProperties" in node):
        types.add("object")
    if not types and ("items" in node):
        types.add("array")
    composed = [sub for key in ("allOf", "anyOf", "oneOf") for sub in node.get(key, []) or []]
    if not types and not composed:
        draft.any = True
    draft.scalars = {t for t in types if t in _ORDER}
    if "array" in types:
        draft.items = _draft(builder, node.get("items", {}), depth + 1, counter)
    if "object" in types:
        props = node.get("properties", {})
        draft.properties = {str(k): _draft(builder, v, depth + 1, counter) for k, v in props.items()}
        extra = node.get("additionalProperties", True)
        draft.open = extra is not False
        if isinstance(extra, dict):
            draft.additional = _draft(builder, extra, depth + 1, counter)
    for sub in composed:
        draft.merge(_draft(builder, sub, depth, counter))
    return draft


def _freeze(draft: _Draft, counter: list[int]) -> Shape:
    if draft.any and not (draft.scalars or draft.items or draft.properties is not None):
        return Shape()
    scalars = tuple(c for c in _ORDER if c in draft.scalars or (c == "string" and draft.any))
    items = _freeze(draft.items, counter) if draft.items is not None else None
    properties = None
    additional = None
    if draft.properties is not None:
        properties = tuple((k, _freeze(v, counter)) for k, v in draft.properties.items())
        if draft.open:
            additional = _freeze(draft.additional, counter) if draft.additional is not None else Shape()
    return Shape(scalars, items, properties, additional)
