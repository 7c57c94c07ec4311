"""Golden cases: the server target's output for one-feature specs, byte for byte, and it type-checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.codegen import golden
from tests.conftest import GENERATED, ROOT

pytestmark = pytest.mark.slow
CASES = golden.case_names()


def test_there_are_golden_cases() -> None:
    assert {"enums", "nullable", "arrays", "nested_objects", "all_of", "parameters", "integer_bounds",
            "date_time", "openapi_30"} <= set(CASES)  # fmt: skip


@pytest.fixture(scope="module")
def outputs() -> dict[str, dict[str, bytes]]:
    return {case: golden.generate(case) for case in CASES}


@pytest.mark.parametrize("case", CASES)
def test_output_matches_expected(outputs: dict[str, dict[str, bytes]], case: str) -> None:
    produced = {rel: content for rel, content in outputs[case].items() if not golden.shared(rel)}
    stored = golden.expected(case)
    assert sorted(produced) == sorted(stored), "files differ: run `make update-golden` and review the diff"
    for rel in stored:
        assert produced[rel].decode() == stored[rel].decode(), f"{case}/{rel}: run `make update-golden`"


@pytest.mark.parametrize("case", CASES)
def test_runtime_is_shared(outputs: dict[str, dict[str, bytes]], case: str) -> None:
    runtime = {rel: content for rel, content in outputs[case].items() if golden.shared(rel)}
    ours = GENERATED / "server"
    assert runtime, "the runtime package is missing"
    assert runtime == {rel: (ours / rel).read_bytes() for rel in runtime}


def test_every_case_type_checks_and_imports(outputs: dict[str, dict[str, bytes]], tmp_path: Path) -> None:
    """One mypy --strict run over all cases, each written as its own package, then each imported."""
    root = tmp_path / "golden_cases"
    for case, files in outputs.items():
        for rel, content in files.items():
            (root / case / "server" / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / case / "server" / rel).write_bytes(content)
        (root / case / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    mypy = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--no-incremental",
        "--config-file",
        str(ROOT / "pyproject.toml"),
        "golden_cases",
    ]
    done = subprocess.run(mypy, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    script = "; ".join(f"import golden_cases.{case}.server" for case in outputs)
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
