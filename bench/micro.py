"""In-process timings: body validation per call, and code generation against openapi-python-client."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
BODY = (
    b'{"@odata.type": "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus", "userDisplayName": '
    b'"User Display Name value", "devicesCount": 12, "status": "notApplicable", "lastReportedDateTime": '
    b'"2017-01-01T00:00:17.7769392-08:00", "userPrincipalName": "User Principal Name value"}'
)


def validation_us() -> tuple[float, float]:
    """Microseconds per create body: (schema validation alone, JSON parse + validation)."""
    from generated.server.operations import OPERATIONS

    body_spec = OPERATIONS["create_user_statuses"].body
    validator = body_spec.validator if body_spec else None
    if validator is None:
        raise RuntimeError("the create operation has no body validator")
    value = orjson.loads(BODY)
    assert validator.is_valid(value)
    n = 20000
    alone = min(timeit.repeat(lambda: validator.is_valid(value), number=n, repeat=5)) / n * 1e6
    parsed = min(timeit.repeat(lambda: validator.is_valid(orjson.loads(BODY)), number=n, repeat=5)) / n * 1e6
    return alone, parsed


def _time(command: list[str], runs: int = 3) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def generation_seconds() -> tuple[float, float, float]:
    """(full `codegen gen --force`, `openapi-python-client generate` alone, no-op `make gen`), medians."""
    with tempfile.TemporaryDirectory() as tmp:
        ours = _time([sys.executable, "-m", "codegen", "gen", "--force", "--out", f"{tmp}/gen"])
        theirs = _time([sys.executable, "-m", "openapi_python_client", "generate", "--path", "openapi.yaml",
                        "--output-path", f"{tmp}/opc", "--meta", "none", "--overwrite",
                        "--config", "codegen/client/config.yaml"])  # fmt: skip
    noop = _time(["make", "-s", "gen"], runs=5)
    return ours, theirs, noop
