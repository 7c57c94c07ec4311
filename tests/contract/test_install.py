"""tests/contract/requirements.txt is the slim install partners use to test their server: it must list exactly
what the suite imports against a running server (nothing of service/ or generated/), at the locked versions."""

from __future__ import annotations

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

from tests.conftest import ROOT

CONTRACT = ROOT / "tests" / "contract"
#: The suite that tests a server (the other test files test the suite itself, with the whole install).
SUITE = ["conftest", "test_headline", "test_bad_input", "test_schemathesis", "test_round_trip"]
#: Imported only in-process (no CONTRACT_BASE_URL), inside the functions that build that target.
IN_PROCESS = {"tests.contract.inprocess", "tests.contract.mutants"}
OURS = {"tests", "codegen", "service", "generated", "bench"}


def requirements(path: Path) -> dict[str, str]:
    """Normalised distribution name -> the line."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return {_name(line): line for line in lines if line and not line.startswith("#")}


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[<>=~!; \[]", requirement, maxsplit=1)[0]).lower()


def _file(module: str) -> Path | None:
    base = ROOT.joinpath(*module.split("."))
    return next((p for p in (base.with_suffix(".py"), base / "__init__.py") if p.is_file()), None)


def _imported(module: str, everywhere: bool) -> set[str]:
    """What ``module`` imports: in any function too when ``everywhere``, else at its top level only."""
    path = _file(module)
    assert path is not None, module
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = ast.walk(tree) if everywhere else iter(tree.body)
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names if _file(f"{node.module}.{alias.name}")}
    return found


def suite_imports() -> tuple[set[str], set[str]]:
    """(our modules, third-party top-level modules) a run against a server imports: the suite's files with
    their lazy imports (but the in-process ones), and our modules they reach with what those import at load."""
    ours: set[str] = set()
    theirs: set[str] = set()
    todo = [f"tests.contract.{name}" for name in SUITE]
    while todo:
        module = todo.pop()
        if module in ours or module in IN_PROCESS:
            continue
        ours.add(module)
        parts = module.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]  # packages run their __init__ first
        for name in _imported(module, everywhere=module.startswith("tests.contract.")):
            root = name.split(".")[0]
            if root in OURS:
                todo.append(name if _file(name) else name.rsplit(".", 1)[0])
            elif root not in sys.stdlib_module_names and root != "__future__":
                theirs.add(root)
    return ours, theirs


def test_the_suite_imports_nothing_of_the_service_or_generated_code() -> None:
    ours, _ = suite_imports()
    assert "tests.contract.preflight" in ours  # the walk follows lazy imports
    assert not {m for m in ours if m.split(".")[0] in ("service", "generated", "bench")}, sorted(ours)


def test_the_slim_install_lists_exactly_what_the_suite_imports() -> None:
    _, theirs = suite_imports()
    providers = metadata.packages_distributions()
    needed = {_name(dist) for module in theirs for dist in providers[module]}
    assert needed == set(requirements(CONTRACT / "requirements.txt"))


def test_its_pins_are_the_locked_versions() -> None:
    locked = requirements(ROOT / "requirements.lock")
    for name, line in requirements(CONTRACT / "requirements.txt").items():
        assert line == locked[name], f"{line} is not what requirements.lock pins: {locked[name]}"
