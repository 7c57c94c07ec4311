"""The README's client example runs as written (its TOKEN and base URL pointed at a real sandbox)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.service.conftest import start_service

pytestmark = pytest.mark.slow


def test_the_readme_client_example_runs(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## The generated client", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    running = start_service(tmp_path)
    try:
        check = "print(list_user_statuses.sync('cfg-1', client=client).value[0].status.value)"  # the update landed
        script = f"TOKEN = 'rw'\n{code.replace('http://127.0.0.1:8000', running.url)}\n{check}"
        done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              capture_output=True, text=True, check=False, timeout=60)  # fmt: skip
    finally:
        running.stop()
    assert done.returncode == 0, done.stderr
    listed, after_update = done.stdout.splitlines()
    assert after_update == "compliant"
    created_id, status, when = listed.split()
    assert (status, when) == ("notApplicable", "2017-01-01T00:00:17.7769392-08:00")
    assert created_id
