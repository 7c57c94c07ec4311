"""Parse a spec file into plain JSON data, keeping each node's line for error messages.

A JSON document is read by a JSON parser (``\ud83d\udc4d`` escapes and ``1e3`` numbers are JSON's, not YAML's);
its lines are found only when a message needs one. YAML is read as JSON-compatible data, close to YAML 1.2's
core schema as OpenAPI expects: timestamps stay strings (``2017-01-01`` is not a date), only ``true``/``false``
are booleans (``yes``/``on`` are strings), ``1e3`` is a number, keys are always strings (``200:`` becomes
``"200"``), and a duplicate key is an error instead of silently winning.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from codegen.errors import Problem, SpecError
from codegen.pointer import Pointer, pointer_text

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_BOOL_12 = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
#: Expanded nodes allowed per document: stops YAML alias bombs from exhausting memory.
MAX_NODES = 1_000_000
#: Nesting allowed per document: stops self-referencing aliases and absurd depth from overflowing the stack.
MAX_DEPTH = 256


class _JsonLoader(_BaseLoader):  # type: ignore[valid-type, misc]
    """SafeLoader without YAML 1.1's timestamps and yes/no booleans."""


_JsonLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_JsonLoader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL_12, list("tTfF"))
# YAML 1.2 floats that YAML 1.1 reads as strings: an exponent without a dot or without a sign (1e3, 3e-05).
_FLOAT_12 = re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+$")
_JsonLoader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT_12, list("-+0123456789."))
_SURROGATE_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE)


@dataclass(frozen=True)
class Source:
    """A parsed spec file: its data and, for any JSON pointer into it, the line it was written on."""

    name: str
    data: Any
    _node: yaml.Node | None
    #: A JSON document's text: its lines are composed from it on first use.
    _text: str = ""
    _lines: list[yaml.Node | None] = field(default_factory=list, compare=False, repr=False)

    def _root(self) -> yaml.Node | None:
        if self._node is not None:
            return self._node
        if not self._lines:
            self._lines.append(_compose(_yaml_safe(self._text)))
        return self._lines[0]

    def line_of(self, path: Pointer) -> int | None:
        """1-based line of the deepest node on ``path`` that exists."""
        node = self._root()
        if node is None:
            return None
        for token in path:
            child = _child(node, token)
            if child is None:
                break
            node = child
        return node.start_mark.line + 1

    def problem(self, path: Pointer, message: str, kind: str = "") -> Problem:
        return Problem(pointer_text(path), message, self.name, self.line_of(path), kind)


def _child(node: yaml.Node, token: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(token):
                return value  # type: ignore[no-any-return]
    elif isinstance(node, yaml.SequenceNode):
        index = int(token) if isinstance(token, int) or str(token).isdigit() else -1
        if 0 <= index < len(node.value):
            return node.value[index]  # type: ignore[no-any-return]
    return None


def parse(text: str, name: str) -> Source:
    """Parse JSON or YAML text; raise SpecError naming the line of any syntax error or duplicate key."""
    if name.lower().endswith(".json") or text.lstrip().startswith("{"):
        try:
            return _parse_json(text, name)
        except json.JSONDecodeError as exc:
            if name.lower().endswith(".json"):
                problem = Problem("", f"JSON syntax error: {exc.msg}", name, exc.lineno, column=exc.colno)
                raise SpecError([problem]) from None
        except _NotPlainJson:
            # A duplicate key, NaN or absurd depth: the YAML reading reports it with its line (JSON strings are
            # all double-quoted, so rewriting their surrogate-pair escapes cannot change a value).
            return _parse_yaml(_yaml_safe(text), name)
    return _parse_yaml(text, name)


class _NotPlainJson(ValueError):
    """JSON that the JSON reading refuses to judge (duplicates, constants, depth): YAML's reports it."""


def _parse_json(text: str, name: str) -> Source:
    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        found = dict(pairs)
        if len(found) != len(pairs):
            raise _NotPlainJson("duplicate key")
        return found

    def constant(value: str) -> Any:
        where = re.search(rf"(?<![\w\"]){re.escape(value)}(?![\w\"])", text)
        line = text.count("\n", 0, where.start()) + 1 if where else None
        raise SpecError([Problem("", f"{value} is not a JSON number", name, line)])

    try:
        data = json.loads(text, object_pairs_hook=unique, parse_constant=constant)
    except RecursionError:
        raise _NotPlainJson("too deep") from None
    if _deeper_than(data, MAX_DEPTH):
        raise _NotPlainJson("too deep")
    return Source(name, data, None, text)


def _deeper_than(data: Any, limit: int) -> bool:
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return False


def _yaml_safe(text: str) -> str:
    """JSON text YAML can read: a surrogate-pair escape becomes the one 8-digit escape of its character."""

    def join(match: re.Match[str]) -> str:
        high, low = int(match.group(2), 16), int(match.group(3), 16)
        return f"{match.group(1)}\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08x}"

    return _SURROGATE_PAIR.sub(join, text)


def _compose(text: str) -> yaml.Node | None:
    """The YAML node tree of ``text``, for line numbers only; None if it cannot be read."""
    loader = _JsonLoader(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
        return node
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


def _parse_yaml(text: str, name: str) -> Source:
    loader = _JsonLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SpecError([Problem("", "the document is empty", name, 1)])
        problems: list[Problem] = []
        data = _Builder(name, problems).build(node, ())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = Problem("", f"YAML syntax error: {exc.problem or exc}", name, line, column=column)
        raise SpecError([problem]) from None
    except yaml.YAMLError as exc:
        raise SpecError([Problem("", f"YAML error: {exc}", name)]) from None
    finally:
        loader.dispose()
    if problems:
        raise SpecError(problems)
    return Source(name, data, node)


class _Builder:
    """Turns YAML nodes into JSON data, reporting what JSON cannot hold."""

    def __init__(self, name: str, problems: list[Problem]) -> None:
        self.name = name
        self.problems = problems
        self.count = 0
        self.constructor = _JsonLoader("")

    def fail(self, node: yaml.Node, path: Pointer, message: str) -> None:
        self.problems.append(Problem(pointer_text(path), message, self.name, node.start_mark.line + 1))

    def build(self, node: yaml.Node, path: Pointer) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            self.fail(node, path, f"document too large (over {MAX_NODES} nodes once aliases are expanded)")
            raise SpecError(self.problems)
        if len(path) > MAX_DEPTH:
            self.fail(node, path, f"nested deeper than {MAX_DEPTH} levels (or an alias refers to itself)")
            raise SpecError(self.problems)
        if isinstance(node, yaml.MappingNode):
            return self.build_mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        value = self.constructor.construct_object(node, deep=True)
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            self.fail(node, path, f"{node.value} is not a JSON number")
        if isinstance(value, bytes | set) or not isinstance(value, str | int | float | bool | type(None)):
            self.fail(node, path, f"YAML value of type {type(value).__name__} is not JSON")
            return None
        return value

    def build_mapping(self, node: yaml.MappingNode, path: Pointer) -> dict[str, Any]:
        result: dict[str, Any] = {}
        self.constructor.flatten_mapping(node)  # applies YAML merge keys (<<)
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, path, "a mapping key must be a plain scalar")
                continue
            key = str(key_node.value)
            if key in result:
                self.fail(key_node, (*path, key), f"duplicate key {key!r}")
                continue
            result[key] = self.build(value_node, (*path, key))
        return result
