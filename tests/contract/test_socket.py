"""The contract suite over a real socket: the service under uvicorn, reached the way `make contract` reaches
any running implementation (CONTRACT_BASE_URL and tokens)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.service.conftest import start_service

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        bool(os.environ.get("CONTRACT_MUTANT") or os.environ.get("CONTRACT_BASE_URL")),
        reason="runs the suite itself, from an unmutated, in-process session",
    ),
]


def test_contract_suite_against_uvicorn(tmp_path: Path) -> None:
    running = start_service(tmp_path)
    try:
        skip = ["--deselect", "tests/contract/test_mutants.py", "--deselect", "tests/contract/test_socket.py"]
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/contract", *skip]
        env = {**os.environ, "CONTRACT_BASE_URL": running.url + "/v1.0", "CONTRACT_TOKEN": "rw"}
        env["CONTRACT_READ_TOKEN"] = "r"
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=600)
    finally:
        running.stop()
    assert done.returncode == 0, done.stdout[-3000:]
    assert " passed" in done.stdout
    assert "skipped" not in done.stdout  # with a read token, every test ran
