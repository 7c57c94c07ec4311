"""Parse a spec file into plain JSON data, keeping each node's line for error messages.

YAML is read as JSON-compatible data, close to YAML 1.2's core schema as OpenAPI expects: timestamps stay
strings (``2017-01-01`` is not a date), only ``true``/``false`` are booleans (``yes``/``on`` are strings), keys
are always strings (``200:`` becomes ``"200"``), and a duplicate key is an error instead of silently winning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Source:
    """A parsed spec file: its data and, for any JSON pointer into it, the line it was written on."""

    name: str
    data: Any
    _node: yaml.Node

    def line_of(self, path: Pointer) -> int | None:
        """1-based line of the deepest node on ``path`` that exists."""
        node = self._node
        for token in path:
            child = _child(node, token)
            if child is None:
                break
            node = child
        return node.start_mark.line + 1

    def problem(self, path: Pointer, message: str) -> Problem:
        return Problem(pointer_text(path), message, self.name, self.line_of(path))


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
    """Parse YAML (or JSON) text; raise SpecError naming the line of any syntax error or duplicate key."""
    loader = _JsonLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SpecError([Problem("", "the document is empty", name, 1)])
        problems: list[Problem] = []
        data = _Builder(name, problems).build(node, ())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise SpecError([Problem("", f"YAML syntax error: {exc.problem or exc}", name, line)]) from None
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
