"""The Jinja2 environment: strict (an undefined name is an error); spec values printed only as literals.

Templates never paste spec text as source. ``py`` prints a value with ``repr`` (strings, numbers,
booleans, None, and containers of them); ``docstring`` prints text as a triple-quoted literal that reads
like prose and is checked to parse back to that text; ``json`` turns a value into compact JSON text for
``py`` to print as a string literal; ``ident`` lets through only names that passed the identifier
allow-list; and ``annotation`` only type expressions made of names, subscripts, ``|`` and literals.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import jinja2

from codegen.naming import IDENTIFIER

TEMPLATES = Path(__file__).parent / "templates"
MAX_LITERAL_DEPTH = 100


def py(value: Any, _depth: int = 0) -> str:
    """A Python literal for a JSON-like value."""
    if _depth > MAX_LITERAL_DEPTH:
        raise ValueError("value nested too deeply to print as a literal")
    if value is None or isinstance(value, bool | int | str):
        return repr(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"{value!r} has no JSON literal")
        return repr(value)
    if isinstance(value, tuple):
        items = [py(v, _depth + 1) for v in value]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(py(v, _depth + 1) for v in value) + "]"
    if isinstance(value, dict):
        pairs = (f"{py(str(k))}: {py(v, _depth + 1)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    if isinstance(value, frozenset | set):
        items = sorted(value, key=repr)
        return "frozenset({" + ", ".join(py(v, _depth + 1) for v in items) + "})" if items else "frozenset()"
    raise TypeError(f"cannot print {type(value).__name__} as a literal")


_QUOTE_RUN = re.compile(r'"(?=")|"$')


def docstring(text: str, indent: int = 0) -> str:
    """``text`` as a triple-quoted literal: lines after the first indented by ``indent`` spaces, the closing
    quotes on a line of their own when there are several lines.

    Backslashes, control characters and line separators are escaped, and so is every double quote that
    could meet another one; the result is parsed back and compared, so no text can end the literal early."""
    pad = " " * indent
    first, *rest = text.strip().split("\n")
    value = "\n".join([first, *[pad + line if line else line for line in rest]]) + ("\n" + pad if rest else "")
    escaped = "".join(
        ch if ch == "\n" or ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
        for ch in value.replace("\\", "\\\\")
    )
    literal = '"""' + _QUOTE_RUN.sub(r'\\"', escaped) + '"""'
    if ast.literal_eval(literal) != value:
        raise ValueError(f"refusing to print {text[:80]!r} as a docstring")
    return literal


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def ident(name: str) -> str:
    if not isinstance(name, str) or not IDENTIFIER.match(name):
        raise ValueError(f"refusing to print {name!r} as an identifier")
    return name


_ANNOTATION_NODES = (ast.Expression, ast.Name, ast.Load, ast.Subscript, ast.Tuple, ast.BinOp, ast.BitOr, ast.Constant,
                     ast.USub)  # fmt: skip


def annotation(text: str) -> str:
    """A type annotation built by codegen.pytypes: names, subscripts, ``|`` and literals (negative numbers
    included, as in ``Literal[-1]``); nothing callable."""
    tree = ast.parse(text, mode="eval")
    for node in ast.walk(tree):
        allowed = isinstance(node, _ANNOTATION_NODES) or (isinstance(node, ast.UnaryOp) and _negative_number(node))
        if not allowed:
            raise ValueError(f"refusing to print {text!r} as an annotation ({type(node).__name__})")
    return text


def _negative_number(node: ast.UnaryOp) -> bool:
    value = node.operand.value if isinstance(node.operand, ast.Constant) else None
    return isinstance(node.op, ast.USub) and isinstance(value, int | float) and not isinstance(value, bool)


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - the output is Python source, escaped by the py filter, not HTML
    )
    env.filters.update(py=py, docstring=docstring, json=to_json, ident=ident, annotation=annotation)
    return env


def render(env: jinja2.Environment, template: str, **context: Any) -> str:
    return env.get_template(template).render(**context)
