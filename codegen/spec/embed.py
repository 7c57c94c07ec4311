"""The schemas a generated server embeds: each written once, by name, referencing the others by name.

jsonschema-rs validates them at run time, so everything here serves agreement with the spec: a schema
that many operations use (a component) is one definition that the others reference as ``#/$defs/<name>``
(so the output grows with the spec, not with how often its schemas are linked), annotations are dropped
(they do not validate), and ``int32``/``int64`` formats become bounds (jsonschema-rs asserts formats on
strings only).
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from typing import Any

from jsonschema_rs import Draft202012Validator, ValidationError

from codegen import naming
from codegen.pointer import Pointer, PointerError, resolve
from codegen.spec import refs
from codegen.spec.walk import subschemas

DRAFT = "https://json-schema.org/draft/2020-12/schema"
UNSUPPORTED_KEYWORDS = ("$id", "$anchor", "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor")
_ANNOTATIONS = frozenset({"description", "title", "example", "examples", "externalDocs", "xml", "deprecated",
                          "discriminator", "readOnly", "writeOnly", "$comment"})  # fmt: skip
#: Rewrites a ``$ref`` (the reference, where it is written) while a schema is hardened.
Rename = Callable[[str, Pointer], str]
_INT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


class Embedding:
    """Every schema a server validates with, each defined once under a name from ``names``.

    ``define`` names a schema where an operation uses it; ``close`` then defines everything those schemas
    reference, each once. References become ``#/$defs/<name>``: with ``{"$defs": definitions}`` as one
    document, any definition is a complete schema (``standalone``)."""

    def __init__(self, document: dict[str, Any], names: naming.Scope) -> None:
        self._document = document
        self._names = names
        self._named: dict[Pointer, str] = {}
        self._homes: dict[str, Pointer] = {}
        self._definitions: dict[str, Any] = {}
        self._pending: deque[Pointer] = deque()
        self.problems: list[tuple[Pointer, str]] = []

    @property
    def definitions(self) -> dict[str, Any]:
        """Every definition by name, in the order they were defined."""
        return self._definitions

    def define(self, home: Pointer, name: str) -> tuple[str, Any]:
        """(name, definition) of the schema written at ``home``; ``name`` is wanted only if it is new."""
        home = tuple(str(t) for t in home)  # one key per place, however the pointer was spelled
        found = self._name(home, name)
        if found not in self._definitions:
            self._definitions[found] = self._definition(home)
        return found, self._definitions[found]

    def close(self) -> None:
        """Define every schema that the defined ones reference, transitively, each once."""
        while self._pending:
            home = self._pending.popleft()
            name = self._named[home]
            if name not in self._definitions:
                self._definitions[name] = self._definition(home)

    def duplicates(self) -> dict[str, str]:
        """Each definition identical to an earlier one, mapped to that one: written and compiled once."""
        first: dict[str, str] = {}
        found: dict[str, str] = {}
        for name, definition in self._definitions.items():
            text = json.dumps(definition, sort_keys=True, separators=(",", ":"))
            earlier = first.setdefault(text, name)
            if earlier != name:
                found[name] = earlier
        return found

    def compile_problems(self) -> list[tuple[Pointer, str]]:
        """Each definition jsonschema-rs cannot compile, where it is written: checked here, at generation,
        because the server compiles a validator only when a request first needs it. Each is compiled
        alone (its references are compiled as their own definitions), so this costs one pass over them."""
        problems: list[tuple[Pointer, str]] = []
        duplicates = self.duplicates()
        for name, definition in self._definitions.items():
            if name in duplicates:
                continue
            try:
                Draft202012Validator(_without_refs(definition), validate_formats=True)
            except ValidationError as exc:
                where = (*self._homes[name], *(str(p) for p in exc.instance_path))
                problems.append((where, f"JSON Schema that cannot be compiled: {exc.message}"))
        return problems

    def unvalidated(self, where: Pointer) -> Any:
        """The schema at ``where`` hardened but not defined (the server does not validate it); still checked."""
        try:
            schema = resolve(self._document, [str(t) for t in where])
        except PointerError:
            return True
        self._check_keywords(schema, where)
        return harden(schema)

    def _name(self, home: Pointer, wanted: str) -> str:
        found = self._named.get(home)
        if found is None:
            found = self._named[home] = self._names.claim(wanted)
            self._homes[found] = home
            self._pending.append(home)
        return found

    def _definition(self, home: Pointer) -> Any:
        try:
            schema = resolve(self._document, [str(t) for t in home])
        except PointerError:
            return True  # an unresolvable reference: refs.check reports it
        self._check_keywords(schema, home)
        return harden(schema, lambda ref, where: self._reference(ref, (*home, *where)))

    def _reference(self, ref: str, where: Pointer) -> str:
        """``#/$defs/<name>`` for the schema ``ref`` names: component schemas by their own name."""
        try:
            target = refs.target_of(ref)
            if not isinstance(resolve(self._document, list(target)), dict | bool):
                self.problems.append((where, f"reference {ref!r} does not point at a schema"))
                return ref
        except (ValueError, PointerError):
            return ref  # refs.check reports it
        component = target[2] if len(target) == 3 and target[:2] == ("components", "schemas") else None
        return "#/$defs/" + self._name(target, naming.constant(component or "_".join(target), "SCHEMA"))

    def _check_keywords(self, schema: Any, home: Pointer) -> None:
        """Report each keyword that identifies or re-anchors schemas: references by name cannot keep it."""
        stack: list[tuple[Pointer, Any]] = [(home, schema)]
        while stack:
            path, node = stack.pop()
            if isinstance(node, dict):
                for keyword in UNSUPPORTED_KEYWORDS:
                    if keyword in node:
                        self.problems.append(((*path, keyword), f"JSON Schema keyword {keyword!r} is not supported"))
                stack.extend(subschemas(node, path))


def standalone(definitions: dict[str, Any], name: str) -> dict[str, Any]:
    """The definition ``name`` as one complete schema, the others beside it (for tests and tools)."""
    return {"$schema": DRAFT, "$ref": f"#/$defs/{name}", "$defs": definitions}


def harden(schema: Any, rename: Rename | None = None, _path: Pointer = ()) -> Any:
    """Strip annotations; make int32/int64 formats into bounds (jsonschema-rs checks formats on strings only).
    ``rename(ref, where)``, when given, rewrites each ``$ref`` (``where`` is relative to ``schema``)."""
    if not isinstance(schema, dict):
        return schema
    out = {k: v for k, v in schema.items() if k not in _ANNOTATIONS and not k.startswith("x-")}
    if rename is not None and isinstance(out.get("$ref"), str):
        out["$ref"] = rename(out["$ref"], (*_path, "$ref"))
    bounds = _INT_BOUNDS.get(out.get("format", ""))
    if bounds:
        low, high = bounds
        out["minimum"] = max(out["minimum"], low) if _is_number(out.get("minimum")) else low
        out["maximum"] = min(out["maximum"], high) if _is_number(out.get("maximum")) else high
    for sub_path, sub in subschemas(schema, ()):
        refs.assign(out, sub_path, harden(sub, rename, (*_path, *sub_path)))
    return out


def _without_refs(schema: Any) -> Any:
    """``schema`` with every ``$ref`` removed: what is left is what this one definition must compile."""
    if not isinstance(schema, dict):
        return schema
    out = {k: v for k, v in schema.items() if k != "$ref"}
    for sub_path, sub in subschemas(schema, ()):
        refs.assign(out, sub_path, _without_refs(sub))
    return out


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
