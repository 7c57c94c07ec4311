"""models.py defines each name before it is used, so its annotations are real types, not strings that a
TypedDict turns into a ``ForwardRef`` (one ``compile()`` each) at import; only cycles are quoted."""

from __future__ import annotations

import ast
import builtins
import types
import typing
from pathlib import Path
from typing import Any

import pytest

from codegen.definitions import definition_order, names_in
from codegen.ir import Field, TypedDictModel
from tests.codegen import golden
from tests.conftest import GENERATED

CASES = Path(__file__).parent / "cases"


def model(name: str, *annotations: str) -> TypedDictModel:
    return TypedDictModel(name, "", tuple(Field(f"f{i}", a, False, "") for i, a in enumerate(annotations)))


def order(*models: TypedDictModel) -> list[tuple[str, list[str]]]:
    return [(d.model.name, sorted(d.forward)) for d in definition_order(models)]


def test_a_model_follows_the_models_it_names_and_nothing_is_quoted_without_a_cycle() -> None:
    assert order(model("A", "B | None", "list[C]"), model("B", "C"), model("C", "str"), model("D", "A")) == [
        ("C", []), ("B", []), ("A", []), ("D", [])
    ]  # fmt: skip


def test_only_references_back_into_a_cycle_are_quoted() -> None:
    assert order(model("A", "B"), model("B", "A", "str")) == [("B", ["f0"]), ("A", [])]
    assert order(model("Tree", "list[Tree]", "int")) == [("Tree", ["f0"])]  # a model naming itself is a cycle


def test_names_inside_literals_are_values_not_references() -> None:
    assert names_in("Literal['B'] | A | list[A]") == ("Literal", "A", "list")
    assert order(model("A", "Literal['B']"), model("B", "A")) == [("A", []), ("B", [])]


def test_a_long_chain_does_not_hit_the_recursion_limit() -> None:
    chain = [model(f"M{i}", f"M{i + 1}") for i in range(5000)] + [model("M5000", "str")]
    definitions = definition_order(chain)
    assert definitions[0].model.name == "M5000"
    assert not any(d.forward for d in definitions)


def annotation_problems(source: str) -> list[str]:
    """Uses of a name above its definition, and quoted annotations that name no model defined further down."""
    tree = ast.parse(source)
    models = {s.name for s in tree.body if isinstance(s, ast.ClassDef)} | {
        t.id for s in tree.body if isinstance(s, ast.Assign) and _is_typeddict_call(s.value) for t in s.targets
        if isinstance(t, ast.Name)
    }  # fmt: skip
    defined = set(dir(builtins))
    problems: list[str] = []

    def check(node: ast.expr, where: str) -> None:
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "Literal":
            check(node.value, where)  # the values inside Literal[...] are data
        elif isinstance(node, ast.Name) and node.id not in defined:
            problems.append(f"{where}: {node.id} is used before it is defined")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if not set(names_in(node.value)) & (models - defined):
                problems.append(f"{where}: {node.value!r} is quoted but names no model defined below")
        else:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    check(child, where)

    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom) and statement.module == "__future__":
            if "annotations" in {a.name for a in statement.names}:
                problems.append("from __future__ import annotations makes every annotation a string")
        elif isinstance(statement, ast.ImportFrom | ast.Import):
            defined.update((a.asname or a.name).split(".")[0] for a in statement.names)
        elif isinstance(statement, ast.ClassDef):
            for item in statement.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    check(item.annotation, f"{statement.name}.{item.target.id}")
            defined.add(statement.name)
        elif isinstance(statement, ast.Assign) and _is_typeddict_call(statement.value):
            name = statement.targets[0].id if isinstance(statement.targets[0], ast.Name) else "?"
            fields = statement.value.args[1] if isinstance(statement.value, ast.Call) else None
            assert isinstance(fields, ast.Dict)
            for key, value in zip(fields.keys, fields.values, strict=True):
                check(value, f"{name}[{ast.literal_eval(key) if key else '**'!r}]")
            defined.add(name)
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            if statement.value is not None:
                check(statement.value, statement.target.id)
            defined.add(statement.target.id)
    return problems


def _is_typeddict_call(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "TypedDict"


def test_the_checker_finds_forward_uses_and_needless_quotes() -> None:
    source = (
        "from typing import TypedDict\nclass A(TypedDict):\n    b: B\n    a: 'A'\n    s: 'str'\n"
        "class B(TypedDict):\n    x: int\n"
    )
    assert annotation_problems(source) == [
        "A.b: B is used before it is defined",
        "A.s: 'str' is quoted but names no model defined below",
    ]
    assert annotation_problems("from __future__ import annotations\n" + source.replace("'", ""))[:2] == [
        "from __future__ import annotations makes every annotation a string",
        "A.b: B is used before it is defined",
    ]


@pytest.mark.parametrize("case", golden.case_names())
def test_golden_models_define_names_before_use(case: str) -> None:
    assert annotation_problems((CASES / case / "expected" / "models.py").read_text(encoding="utf-8")) == []


def test_our_models_define_names_before_use() -> None:
    assert annotation_problems((GENERATED / "server" / "models.py").read_text(encoding="utf-8")) == []


def forward_refs(module: types.ModuleType) -> int:
    """How many ``ForwardRef`` objects (each one a ``compile()`` at import) the module's TypedDicts hold."""

    def count(tp: Any) -> int:
        return 1 if isinstance(tp, typing.ForwardRef) else sum(count(a) for a in typing.get_args(tp))

    typeddicts = [v for v in vars(module).values() if typing.is_typeddict(v)]
    return sum(count(tp) for td in typeddicts for tp in td.__annotations__.values())


def load(source: str, name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    exec(compile(source, f"{name}.py", "exec", dont_inherit=True), module.__dict__)  # noqa: S102 - a golden file of this repository
    return module


def test_only_cycles_become_forward_refs_and_required_keys_survive_quoting() -> None:
    source = (CASES / "cycles" / "expected" / "models.py").read_text(encoding="utf-8")
    module = load(source, "cycles_models")
    assert forward_refs(module) == 3  # User.home, Link.folder, Folder.children
    assert module.User.__required_keys__ == {"id", "home"}
    assert module.Link.__required_keys__ == {"@odata.type", "folder"}
    with_strings = load("from __future__ import annotations\n" + source, "cycles_models_lazy")
    assert forward_refs(with_strings) > 2 * forward_refs(module)
