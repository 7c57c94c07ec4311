"""The order in which ``models.py`` defines its TypedDicts, and which annotations must stay strings.

On Python 3.11 a TypedDict turns every string annotation into a ``typing.ForwardRef``, which calls
``compile()``: with ``from __future__ import annotations`` on a large API that is thousands of compiles at
import. So ``models.py`` writes real annotations instead, defining each model after the models it names,
and quotes only what a cycle makes unavoidable: a reference to a model defined further down.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from codegen.ir import TypedDictModel


@dataclass(frozen=True)
class Definition:
    """A model in definition order; ``forward`` holds the wire names of fields naming a model not yet defined."""

    model: TypedDictModel
    forward: frozenset[str]


def definition_order(models: Iterable[TypedDictModel]) -> tuple[Definition, ...]:
    """Each model after the models its fields name (depth first, in the given order, so a model's parts sit
    just above it); references back into a cycle are the only forward ones."""
    by_name = {m.name: m for m in models}
    uses = {name: [n for f in m.fields for n in names_in(f.annotation) if n in by_name] for name, m in by_name.items()}
    order: list[str] = []
    seen: set[str] = set()
    for root in by_name:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(uses[root]))]  # iterative: a long chain of models must not hit the recursion limit
        while stack:
            name, children = stack[-1]
            child = next((n for n in children if n not in seen), None)
            if child is None:
                order.append(stack.pop()[0])
            else:
                seen.add(child)
                stack.append((child, iter(uses[child])))
    pending = set(by_name)  # not defined yet
    definitions = []
    for name in order:
        model = by_name[name]
        # ``name`` is still pending here: a model naming itself is a cycle too.
        forward = frozenset(f.wire_name for f in model.fields if any(n in pending for n in names_in(f.annotation)))
        definitions.append(Definition(model, forward))
        pending.discard(name)
    return tuple(definitions)


@cache
def names_in(annotation: str) -> tuple[str, ...]:
    """The names an annotation uses, in order of appearance (a set's order would vary with the hash seed, and
    so would the file); ``Literal['Foo']`` names ``Literal``, not ``Foo``."""
    names = [node for node in ast.walk(ast.parse(annotation, mode="eval")) if isinstance(node, ast.Name)]
    return tuple(dict.fromkeys(node.id for node in sorted(names, key=lambda node: node.col_offset)))


__all__ = ["Definition", "definition_order", "names_in"]
