"""codegen.render: spec text reaches generated code only as literals, names only through the allow-list."""

from __future__ import annotations

import ast
from typing import Any

import jinja2
import pytest

from codegen.render import annotation, docstring, environment, ident, py

HOSTILE = [
    "'; import os; os.system('x') #",
    '"""\nimport os\n"""',
    "\\",
    "line\rbreak",
    "para\u2028graph",
    "{x} ${x} {{x}} {%x%}",
    "\x00\x1b[31m",
    "'''",
]


@pytest.mark.parametrize("value", [*HOSTILE, 0, -(2**63), 1.5, True, None, ["a", {"k": HOSTILE}], ("t",)])
def test_py_literal_evaluates_back_to_the_value(value: Any) -> None:
    source = py(value)
    tree = ast.parse(source, mode="eval")
    allowed = (
        ast.expr_context | ast.Constant | ast.List | ast.Dict | ast.Tuple | ast.Expression | ast.UnaryOp | ast.USub
    )
    assert all(isinstance(n, allowed) for n in ast.walk(tree))
    assert ast.literal_eval(source) == value


def test_py_refuses_what_json_cannot_hold() -> None:
    for bad in (float("nan"), float("inf"), object()):
        with pytest.raises((ValueError, TypeError)):
            py(bad)


@pytest.mark.parametrize("text", [*HOSTILE, 'ends with a quote"', 'two ""', '"""', "a\n\n  b\n", "é ✓", "x\\"])
def test_docstring_is_one_string_literal_holding_the_text(text: str) -> None:
    source = docstring(text, 8)
    tree = ast.parse(source, mode="eval")
    assert isinstance(tree.body, ast.Constant)
    assert source.startswith('"""')
    assert source.endswith('"""')
    first, *rest = text.strip().split("\n")
    pad = " " * 8
    expected = "\n".join([first, *[pad + line if line else "" for line in rest]]) + ("\n" + pad if rest else "")
    assert tree.body.value == expected


def test_docstring_reads_like_prose() -> None:
    assert docstring("Create a status.\n\nThe `id` is optional.", 4) == (
        '"""Create a status.\n\n    The `id` is optional.\n    """'
    )


@pytest.mark.parametrize("name", ["valid_name", "Model2"])
def test_ident_accepts_identifiers(name: str) -> None:
    assert ident(name) == name


@pytest.mark.parametrize("name", ["a-b", "x; import os", "1abc", "", "a.b", "naïve"])
def test_ident_refuses_anything_else(name: str) -> None:
    with pytest.raises(ValueError, match="refusing"):
        ident(name)


@pytest.mark.parametrize(
    "text", ["str", "list[Model] | None", "Literal['a', 1, None]", "dict[str, Any]", "Literal[0, -1, -2.5]"]
)
def test_annotation_accepts_type_expressions(text: str) -> None:
    assert annotation(text) == text


@pytest.mark.parametrize(
    "text", ["__import__('os')", "a.b", "lambda: 0", "x if y else z", "[i for i in x]", "-x", "Literal[-'a']", "~1"]
)
def test_annotation_refuses_code(text: str) -> None:
    with pytest.raises(ValueError, match="refusing"):
        annotation(text)


def test_environment_is_strict() -> None:
    env = environment()
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()
