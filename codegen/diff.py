"""Compare two versions of a contract and classify every difference as breaking or not, for its clients.

Direction matters: a request schema may widen freely (clients keep sending what they sent), but narrowing
it breaks them; a response schema may narrow, but widening it (a new enum value, a new type, a property
that may now be missing) breaks clients that decode strictly. Documents are compared in their 3.1 reading
(``Spec.document``) with references followed, so moving a schema into ``components`` is not a change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from codegen import refs
from codegen.walk import HTTP_METHODS

Direction = Literal["request", "response"]
_PARAM = re.compile(r"\{[^}/]+\}")
#: How deep schemas are compared; deeper (or recursive) structure is compared as a whole.
MAX_DEPTH = 24


@dataclass(frozen=True)
class Change:
    breaking: bool
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Report:
    changes: list[Change] = field(default_factory=list)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]

    @property
    def compatible(self) -> list[Change]:
        return [c for c in self.changes if not c.breaking]

    def add(self, breaking: bool, where: str, message: str) -> None:
        self.changes.append(Change(breaking, where, message))


def compare(old: dict[str, Any], new: dict[str, Any]) -> Report:
    report = Report()
    old_ops, new_ops = dict(_operations(old)), dict(_operations(new))
    for key in sorted(old_ops.keys() - new_ops.keys()):
        report.add(True, _label(key, old_ops[key]), "operation removed")
    for key in sorted(new_ops.keys() - old_ops.keys()):
        report.add(False, _label(key, new_ops[key]), "operation added")
    for key in sorted(old_ops.keys() & new_ops.keys()):
        _Operation(report, old, new, _label(key, new_ops[key])).compare(old_ops[key], new_ops[key])
    return report


Entry = tuple[str, dict[str, Any], dict[str, Any]]  # (path, path item, operation)


def _operations(doc: dict[str, Any]) -> Iterator[tuple[tuple[str, str], Entry]]:
    """((METHOD, path with parameters blanked), entry): renaming a path parameter is no change."""
    for path, item in doc.get("paths", {}).items():
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                yield (method.upper(), _PARAM.sub("{}", path)), (path, item, item[method])


def _label(key: tuple[str, str], entry: Entry) -> str:
    return f"{key[0]} {entry[0]}" + (f" ({entry[2]['operationId']})" if entry[2].get("operationId") else "")


class _Operation:
    def __init__(self, report: Report, old: dict[str, Any], new: dict[str, Any], where: str) -> None:
        self.report, self.old, self.new, self.where = report, old, new, where

    def add(self, breaking: bool, message: str) -> None:
        self.report.add(breaking, self.where, message)

    def compare(self, old: Entry, new: Entry) -> None:
        self._parameters(_parameters(self.old, old), _parameters(self.new, new))
        self._body(old[2].get("requestBody"), new[2].get("requestBody"))
        self._responses(old[2].get("responses", {}), new[2].get("responses", {}))
        self._security(_security(self.old, old[2]), _security(self.new, new[2]))

    def _parameters(self, old: dict[tuple[str, str], Any], new: dict[tuple[str, str], Any]) -> None:
        def name(param: Any) -> str:
            return f"{param['in']} parameter '{param['name']}'"

        for key in sorted(old.keys() - new.keys()):
            self.add(True, f"{name(old[key])} removed")
        for key in sorted(new.keys() - old.keys()):
            required = bool(new[key].get("required"))
            self.add(required, f"{'required' if required else 'optional'} {name(new[key])} added")
        for key in sorted(old.keys() & new.keys()):
            if not old[key].get("required") and new[key].get("required"):
                self.add(True, f"{name(new[key])} became required")
            elif old[key].get("required") and not new[key].get("required"):
                self.add(False, f"{name(new[key])} became optional")
            _Schemas(self, self.old, self.new, "request").compare(
                old[key].get("schema", {}), new[key].get("schema", {}), name(new[key]), 0
            )

    def _body(self, old: Any, new: Any) -> None:
        old, new = refs.deref(self.old, old) or {}, refs.deref(self.new, new) or {}
        if not old and not new:
            return
        if not old:
            required = bool(new.get("required"))
            self.add(required, f"{'required' if required else 'optional'} request body added")
        elif not new:
            self.add(True, "request body removed")
            return
        elif new.get("required") and not old.get("required"):
            self.add(True, "request body became required")
        old_media, new_media = old.get("content", {}), new.get("content", {})
        for media in sorted(old_media.keys() - new_media.keys()):
            self.add(True, f"request media type '{media}' removed")
        for media in sorted(new_media.keys() - old_media.keys()):
            self.add(False, f"request media type '{media}' added")
        for media in sorted(old_media.keys() & new_media.keys()):
            _Schemas(self, self.old, self.new, "request").compare(
                old_media[media].get("schema", {}), new_media[media].get("schema", {}), "request body", 0
            )

    def _responses(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        for status in sorted(old.keys() - new.keys()):
            self.add(status.startswith("2"), f"response {status} removed")
        for status in sorted(new.keys() - old.keys()):
            self.add(status.startswith("2"), f"response {status} added")
        for status in sorted(old.keys() & new.keys()):
            old_content = (refs.deref(self.old, old[status]) or {}).get("content", {})
            new_content = (refs.deref(self.new, new[status]) or {}).get("content", {})
            for media in sorted(old_content.keys() - new_content.keys()):
                self.add(True, f"response {status} media type '{media}' removed")
            for media in sorted(old_content.keys() & new_content.keys()):
                _Schemas(self, self.old, self.new, "response").compare(
                    old_content[media].get("schema", {}), new_content[media].get("schema", {}), f"response {status}", 0
                )

    def _security(self, old: list[dict[str, set[str]]], new: list[dict[str, set[str]]]) -> None:
        """Tightened when a client that met one old alternative meets no new one."""

        def met_by(alternative: dict[str, set[str]], held: dict[str, set[str]]) -> bool:
            return all(name in held and scopes <= held[name] for name, scopes in alternative.items())

        if not new or any(not alternative for alternative in new):
            if old and all(alternative for alternative in old):
                self.add(False, "security relaxed: authentication no longer required")
            return
        for held in old:
            if not any(met_by(alternative, held) for alternative in new):
                shown = " + ".join(f"{n} [{', '.join(sorted(s))}]" for n, s in sorted(held.items())) or "anonymous"
                self.add(True, f"security tightened: clients with {shown} are no longer allowed")
        for held in new:
            if not any(met_by(alternative, held) for alternative in old):
                self.add(False, "security: a new way to be authorised was added")


def _parameters(doc: dict[str, Any], entry: Entry) -> dict[tuple[str, str], Any]:
    """Parameters by (location, name); path parameters by their position, header names case-blind."""
    path, item, op = entry
    positions = {name[1:-1]: i for i, name in enumerate(_PARAM.findall(path))}
    merged: dict[tuple[str, str], Any] = {}
    for param in [*item.get("parameters", []), *op.get("parameters", [])]:
        param = refs.deref(doc, param)
        name, location = param["name"], param["in"]
        if location == "path":
            name = f"#{positions.get(name, name)}"
        elif location == "header":
            name = name.lower()
        merged[(location, name)] = param  # the operation's own declaration wins
    return merged


def _security(doc: dict[str, Any], op: dict[str, Any]) -> list[dict[str, set[str]]]:
    requirements = op.get("security", doc.get("security", []))
    return [{name: set(scopes) for name, scopes in requirement.items()} for requirement in requirements]


class _Schemas:
    """Direction-aware comparison of two schemas; each finding is reported on the operation."""

    def __init__(self, op: _Operation, old_doc: dict[str, Any], new_doc: dict[str, Any], direction: Direction):
        self.op, self.old_doc, self.new_doc, self.direction = op, old_doc, new_doc, direction
        self.seen: set[tuple[str, str]] = set()  # reference pairs already compared: recursion ends there

    def narrowing(self, where: str, message: str) -> None:
        """A change that lets fewer values through: breaks requests, is safe for responses."""
        self.op.add(self.direction == "request", f"{where}: {message}")

    def widening(self, where: str, message: str) -> None:
        """A change that lets more values through: breaks responses, is safe for requests."""
        self.op.add(self.direction == "response", f"{where}: {message}")

    def compare(self, old: Any, new: Any, where: str, depth: int) -> None:
        if isinstance(old, dict) and isinstance(new, dict) and "$ref" in old and "$ref" in new:
            pair = (str(old["$ref"]), str(new["$ref"]))
            if pair in self.seen:
                return
            self.seen.add(pair)
        old, new = refs.deref(self.old_doc, old), refs.deref(self.new_doc, new)
        if old == new and not _has_ref(old):
            return
        if not isinstance(old, dict) or not isinstance(new, dict) or depth > MAX_DEPTH:
            self.op.add(True, f"{where}: schema changed")
            return
        self._types(old, new, where)
        self._values(old, new, where)
        self._bounds(old, new, where)
        self._objects(old, new, where, depth)
        if "items" in old or "items" in new:
            self.compare(old.get("items", {}), new.get("items", {}), f"{where}[]", depth + 1)
        for keyword in ("allOf", "oneOf", "anyOf", "not"):
            if _resolved(self.old_doc, old.get(keyword)) != _resolved(self.new_doc, new.get(keyword)):
                self.op.add(True, f"{where}: '{keyword}' changed (not classified further, so treated as breaking)")

    def _types(self, old: dict[str, Any], new: dict[str, Any], where: str) -> None:
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

    def _values(self, old: dict[str, Any], new: dict[str, Any], where: str) -> None:
        old_values, new_values = _allowed_values(old), _allowed_values(new)
        if old_values == new_values:
            return
        if old_values is None:
            self.narrowing(where, "values restricted to an enum")
        elif new_values is None:
            self.widening(where, "enum restriction removed")
        else:
            if removed := [v for v in old_values if v not in new_values]:
                self.narrowing(where, f"enum value(s) removed: {', '.join(map(repr, removed))}")
            if added := [v for v in new_values if v not in old_values]:
                self.widening(where, f"enum value(s) added: {', '.join(map(repr, added))}")

    def _bounds(self, old: dict[str, Any], new: dict[str, Any], where: str) -> None:
        for low in ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"):
            self._bound(old.get(low), new.get(low), where, low, higher_narrows=True)
        for high in ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"):
            self._bound(old.get(high), new.get(high), where, high, higher_narrows=False)
        for keyword in ("pattern", "format", "multipleOf", "uniqueItems"):
            if old.get(keyword) != new.get(keyword):
                if keyword not in old:
                    self.narrowing(where, f"'{keyword}' added ({new[keyword]!r})")
                elif keyword not in new:
                    self.widening(where, f"'{keyword}' removed")
                else:
                    self.op.add(True, f"{where}: '{keyword}' changed from {old[keyword]!r} to {new[keyword]!r}")

    def _bound(self, old: Any, new: Any, where: str, keyword: str, higher_narrows: bool) -> None:
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

    def _objects(self, old: dict[str, Any], new: dict[str, Any], where: str, depth: int) -> None:
        old_props, new_props = old.get("properties", {}), new.get("properties", {})
        old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
        closed = new.get("additionalProperties") is False
        for name in sorted(old_props.keys() - new_props.keys()):
            if self.direction == "response":
                self.op.add(True, f"{where}: property '{name}' removed from the response")
            else:
                self.op.add(closed, f"{where}: property '{name}' removed" + (" (now rejected)" if closed else ""))
        for name in sorted(new_props.keys() - old_props.keys()):
            needed = self.direction == "request" and name in new_required
            self.op.add(needed, f"{where}: {'required ' if needed else ''}property '{name}' added")
        for name in sorted(new_required - old_required):
            if name in old_props:
                self.narrowing(where, f"property '{name}' became required")
        for name in sorted(old_required - new_required):
            if name in new_props:
                self.widening(where, f"property '{name}' is no longer required (may be absent)")
        if old.get("additionalProperties") is not False and closed and self.direction == "request":
            self.op.add(True, f"{where}: unknown properties are now rejected")
        for name in sorted(old_props.keys() & new_props.keys()):
            self.compare(old_props[name], new_props[name], f"{where}.{name}", depth + 1)


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


def is_major_bump(old_version: str, new_version: str) -> bool:
    return _major(new_version) > _major(old_version)


def _major(version: str) -> int:
    match = re.match(r"^v?(\d+)", version.strip())
    if match is None:
        raise ValueError(f"info.version {version!r} does not start with a major version number")
    return int(match.group(1))
