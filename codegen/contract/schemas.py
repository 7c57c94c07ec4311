"""Direction-aware comparison of two versions of a schema, as a request or as a response.

A change that lets fewer values through (narrowing) breaks clients that send them; one that lets more
through (widening) breaks clients that read them. Deep or recursive structure is compared as a whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from codegen.contract.changes import BREAKING, CLOSED_ENUMS, COMPATIBLE, Severity
from codegen.errors import shown
from codegen.spec import refs

Direction = Literal["request", "response"]
#: Where findings go: (severity, message from the operation's point of view, the named schema the change is
#: inside or None, message from that schema's point of view).
Add = Callable[[Severity, str, "str | None", str], None]
#: How deep schemas are compared; deeper (or recursive) structure is compared as a whole.
MAX_DEPTH = 24


@dataclass(frozen=True)
class Place:
    """Where a schema sits: seen from the operation (``response 200.value[].status``), and seen from the
    innermost named component schema it is inside (``schema``, and the path in it; empty for the schema itself)."""

    full: str
    schema: str | None = None
    inner: str = ""

    def property(self, name: str) -> Place:
        return Place(f"{self.full}.{name}", self.schema, f"{self.inner}.{name}" if self.inner else name)

    def items(self) -> Place:
        return Place(f"{self.full}[]", self.schema, f"{self.inner}[]" if self.inner else "items")

    def within(self, schema: str) -> Place:
        return Place(self.full, schema, "")


class SchemaComparison:
    """Direction-aware comparison of two schemas; each finding goes to ``add`` (the operation's report)."""

    def __init__(self, add: Add, old_doc: dict[str, Any], new_doc: dict[str, Any], direction: Direction) -> None:
        self.add, self.old_doc, self.new_doc, self.direction = add, old_doc, new_doc, direction
        #: A request narrowing, or a response widening, breaks clients; the opposite does not.
        self.narrowing_severity = BREAKING if direction == "request" else COMPATIBLE
        self.widening_severity = BREAKING if direction == "response" else COMPATIBLE
        self.seen: set[tuple[str, str]] = set()  # reference pairs already compared: recursion ends there

    def report(self, severity: Severity, where: Place, message: str) -> None:
        full = f"{where.full}: {message}"
        if where.schema is None:
            self.add(severity, full, None, full)
        else:
            self.add(severity, full, where.schema, f"{where.inner}: {message}" if where.inner else message)

    def narrowing(self, where: Place, message: str) -> None:
        """A change that lets fewer values through: breaks requests, is safe for responses."""
        self.report(self.narrowing_severity, where, message)

    def widening(self, where: Place, message: str) -> None:
        """A change that lets more values through: breaks responses, is safe for requests."""
        self.report(self.widening_severity, where, message)

    def compare(self, old: Any, new: Any, where: str | Place, depth: int) -> None:
        if isinstance(where, str):
            where = Place(where)
        if isinstance(old, dict) and isinstance(new, dict) and "$ref" in old and "$ref" in new:
            pair = (str(old["$ref"]), str(new["$ref"]))
            if pair in self.seen:
                return
            self.seen.add(pair)
        named = isinstance(new, dict) and "$ref" in new
        old = refs.deref(self.old_doc, old)
        new, path = refs.located(self.new_doc, new, ())
        if named and len(path) == 3 and path[:2] == ("components", "schemas"):
            where = where.within(str(path[2]))  # a change in here is the schema's, whichever operation uses it
        if old == new and not _has_ref(old):
            return
        if not isinstance(old, dict) or not isinstance(new, dict) or depth > MAX_DEPTH:
            self.report(BREAKING, where, "schema changed")
            return
        self._types(old, new, where)
        self._values(old, new, where)
        self._bounds(old, new, where)
        self._objects(old, new, where, depth)
        if "items" in old or "items" in new:
            self.compare(old.get("items", {}), new.get("items", {}), where.items(), depth + 1)
        for keyword in ("allOf", "oneOf", "anyOf", "not"):
            if _resolved(self.old_doc, old.get(keyword)) != _resolved(self.new_doc, new.get(keyword)):
                self.report(BREAKING, where, f"'{keyword}' changed (not classified further, so treated as breaking)")

    def _types(self, old: dict[str, Any], new: dict[str, Any], where: Place) -> None:
        old_types, new_types = _types(old), _types(new)
        if old_types is None and new_types is None:
            return
        everything = {"string", "number", "integer", "boolean", "array", "object", "null"}
        old_set, new_set = old_types or everything, new_types or everything
        if "number" in new_set:
            new_set = new_set | {"integer"}
        if "number" in old_set:
            old_set = old_set | {"integer"}
        if removed := old_set - new_set:
            self.narrowing(where, f"type no longer allows {', '.join(sorted(removed))}")
        if added := new_set - old_set:
            self.widening(where, f"type now also allows {', '.join(sorted(added))}")

    def _values(self, old: dict[str, Any], new: dict[str, Any], where: Place) -> None:
        old_values, new_values = _allowed_values(old), _allowed_values(new)
        if old_values == new_values:
            return
        if old_values is None:
            self.narrowing(where, "values restricted to an enum")
        elif new_values is None:
            self.widening(where, "enum restriction removed")
        else:
            if removed := [v for v in old_values if v not in new_values]:
                self.narrowing(where, f"enum value(s) removed: {', '.join(map(shown, removed))}")
            if added := [v for v in new_values if v not in old_values]:
                # A client with open enums (ours) reads a new value in a response; a closed one fails on it.
                severity = CLOSED_ENUMS if self.direction == "response" else COMPATIBLE
                self.report(severity, where, f"enum value(s) added: {', '.join(map(shown, added))}")

    def _bounds(self, old: dict[str, Any], new: dict[str, Any], where: Place) -> None:
        for low in ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"):
            self._bound(old.get(low), new.get(low), where, low, higher_narrows=True)
        for high in ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"):
            self._bound(old.get(high), new.get(high), where, high, higher_narrows=False)
        for keyword in ("pattern", "format", "multipleOf", "uniqueItems"):
            if old.get(keyword) != new.get(keyword):
                if keyword not in old:
                    self.narrowing(where, f"'{keyword}' added ({shown(new[keyword])})")
                elif keyword not in new:
                    self.widening(where, f"'{keyword}' removed")
                else:
                    self.report(
                        BREAKING, where, f"'{keyword}' changed from {shown(old[keyword])} to {shown(new[keyword])}"
                    )

    def _bound(self, old: Any, new: Any, where: Place, keyword: str, higher_narrows: bool) -> None:
        if old == new:
            return
        if old is None:
            self.narrowing(where, f"'{keyword}' {new} added")
        elif new is None:
            self.widening(where, f"'{keyword}' {old} removed")
        elif (new > old) == higher_narrows:
            self.narrowing(where, f"'{keyword}' tightened from {old} to {new}")
        else:
            self.widening(where, f"'{keyword}' relaxed from {old} to {new}")

    def _objects(self, old: dict[str, Any], new: dict[str, Any], where: Place, depth: int) -> None:
        old_props, new_props = old.get("properties", {}), new.get("properties", {})
        old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
        closed = new.get("additionalProperties") is False
        for name in sorted(old_props.keys() - new_props.keys()):
            if self.direction == "response":
                self.report(BREAKING, where, f"property '{name}' removed from the response")
            elif closed:
                self.report(BREAKING, where, f"property '{name}' removed (now rejected)")
            else:
                self.report(COMPATIBLE, where, f"property '{name}' removed")
        for name in sorted(new_props.keys() - old_props.keys()):
            if self.direction == "request" and name in new_required:
                self.report(BREAKING, where, f"required property '{name}' added")
            else:
                self.report(COMPATIBLE, where, f"property '{name}' added")
        for name in sorted(new_required - old_required):
            if name in old_props:
                self.narrowing(where, f"property '{name}' became required")
        for name in sorted(old_required - new_required):
            if name in new_props:
                self.widening(where, f"property '{name}' is no longer required (may be absent)")
        if old.get("additionalProperties") is not False and closed and self.direction == "request":
            self.report(BREAKING, where, "unknown properties are now rejected")
        for name in sorted(old_props.keys() & new_props.keys()):
            self.compare(old_props[name], new_props[name], where.property(name), depth + 1)


def _has_ref(value: Any) -> bool:
    if isinstance(value, dict):
        return "$ref" in value or any(_has_ref(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_ref(v) for v in value)
    return False


def _types(schema: dict[str, Any]) -> set[str] | None:
    kind = schema.get("type")
    if isinstance(kind, str):
        return {kind}
    if isinstance(kind, list):
        return set(kind)
    return None


def _allowed_values(schema: dict[str, Any]) -> list[Any] | None:
    if "const" in schema:
        return [schema["const"]]
    enum = schema.get("enum")
    return list(enum) if isinstance(enum, list) else None


def _resolved(doc: dict[str, Any], value: Any) -> Any:
    if isinstance(value, list):
        return [_resolved(doc, v) for v in value]
    return refs.deref(doc, value)
