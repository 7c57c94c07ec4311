"""The contract suite over a real socket: the service under uvicorn, reached the way `make contract` reaches
any running implementation (CONTRACT_BASE_URL and tokens). Such a run imports nothing of the service or of the
generated code, which a partner's slim install (tests/contract/requirements.txt) does not hold."""

from __future__ import annotations

import json
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
#: pytest in-process, then the modules it imported, one JSON line.
RUN_AND_LIST = "import json, sys, pytest\ncode = pytest.main(sys.argv[1:])\nprint(json.dumps(sorted(sys.modules)))\n" \
               "sys.exit(code)"  # fmt: skip


def test_contract_suite_against_uvicorn(tmp_path: Path) -> None:
    running = start_service(tmp_path)
    try:
        command = [sys.executable, "-c", RUN_AND_LIST, "-q", "-p", "no:cacheprovider", "tests/contract"]
        env = {**os.environ, "CONTRACT_BASE_URL": running.url + "/v1.0", "CONTRACT_TOKEN": "rw"}
        env["CONTRACT_READ_TOKEN"] = "r"
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=600)
    finally:
        running.stop()
    assert done.returncode == 0, done.stdout[-3000:]
    assert " passed" in done.stdout
    assert "skipped" not in done.stdout  # with a read token, every test ran
    modules = set(json.loads(done.stdout.splitlines()[-1]))
    roots = {m.split(".")[0] for m in modules}
    assert not roots & {"service", "generated"}, "against a server, the suite needs the whole install"
    assert not modules & {"tests.contract.mutants", "tests.contract.inprocess"}
