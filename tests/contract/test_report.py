"""The contract report and the preflight, seen as a partner sees them: the suite run in a subprocess against a
broken server (a mutant served over HTTP, or in-process), its output read back, its curl lines run."""

from __future__ import annotations

import json
import os
import shlex
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.contract import report
from tests.service.conftest import Process, free_port, start_service, wait_listening

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        bool(os.environ.get("CONTRACT_MUTANT") or os.environ.get("CONTRACT_BASE_URL")),
        reason="runs the suite itself, from an unmutated, in-process session",
    ),
]
HEADLINE = "tests/contract/test_headline.py"
#: From the headline tests: a create that fails itself, and ten that need a create to set up a PATCH.
SELECTED = [f"{HEADLINE}::test_every_status_is_accepted_on_create_and_update[compliant]",
            f"{HEADLINE}::test_invalid_status_is_rejected_naming_status", "tests/contract/test_schemathesis.py",
            "-k", "compliant or PATCH or POST"]  # fmt: skip


def run_suite(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--tb=no", *args]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CONTRACT_")} | env
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, check=False, timeout=600)


def contract_report(output: str) -> list[str]:
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if "contract report" in line)
    end = next((i for i, line in enumerate(lines) if "short test summary" in line), len(lines))
    return lines[start + 1 : end]


@pytest.fixture(scope="module")
def create_200() -> Iterator[str]:
    """The mutant whose create answers 200, served over HTTP: its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "tests.contract.mutants", "create_200", "--port", str(port)]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_listening(port, server, 30)
        yield f"http://127.0.0.1:{port}/v1.0"
    finally:
        server.terminate()
        server.wait(timeout=15)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    running = start_service(tmp_path_factory.mktemp("preflight"))
    yield running
    running.stop()


#: name -> (server, TOKEN, READ_TOKEN, the one line's start): every way the preflight stops a run.
STOPS = {
    "unreachable": ("nothing", "rw", "r", "cannot reach http://127.0.0.1:{port}/v1.0: Connection refused"),
    "wrong-token": ("service", "wrong", "r", "the server refuses TOKEN: GET "),
    "read-only-token": ("service", "r", "", "TOKEN cannot write, it needs DeviceManagementApps.ReadWrite.All: POST "),
    "read-token-that-writes": ("service", "rw", "rw", "READ_TOKEN can write, it must have DeviceManagementApps.Read."),
    "not-the-api-root": ("root", "rw", "r", "is http://127.0.0.1:{port} the API's root (for this API it ends with"),
}


Run = tuple[int, subprocess.CompletedProcess[str]]  # the port a run was given, and what it printed


@pytest.fixture(scope="module")
def runs(create_200: str, service: Process) -> Iterator[dict[str, Future[Run]]]:
    """Every run of the suite this module reads, two at a time (one per core), started once: against
    create_200 served over HTTP, against enum_off in-process, and each of STOPS."""
    nothing, port = free_port(), int(service.url.rsplit(":", 1)[1])
    urls = {"nothing": f"http://127.0.0.1:{nothing}/v1.0", "service": f"{service.url}/v1.0", "root": service.url}

    def stop(case: tuple[str, str, str, str]) -> Run:
        server, token, read_token, _ = case
        env = {"CONTRACT_BASE_URL": urls[server], "CONTRACT_TOKEN": token, "CONTRACT_READ_TOKEN": read_token}
        return (nothing if server == "nothing" else port), run_suite("tests/contract", **env)

    remote = {"CONTRACT_BASE_URL": create_200, "CONTRACT_TOKEN": "contract-rw", "CONTRACT_READ_TOKEN": "contract-r"}
    with ThreadPoolExecutor(max_workers=2) as pool:
        started = {
            "remote": pool.submit(lambda: (0, run_suite(*SELECTED, **remote))),
            "in-process": pool.submit(
                lambda: (0, run_suite("tests/contract/test_schemathesis.py", "-k", "POST", CONTRACT_MUTANT="enum_off"))
            ),
        }
        started |= {name: pool.submit(stop, case) for name, case in STOPS.items()}
        yield started


@pytest.fixture(scope="module")
def remote_report(runs: dict[str, Future[Run]]) -> list[str]:
    _, done = runs["remote"].result()
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    return contract_report(done.stdout)


def test_failures_say_expected_and_got_grouped_by_cause_with_a_setup_step_once(remote_report: list[str]) -> None:
    text = "\n".join(remote_report)
    assert "12 test(s) failed, from 2 cause(s):" in text, text
    create = next(line for line in remote_report if line.startswith("1. "))
    assert create.endswith("POST /deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}"
                           "/userStatuses: expected 201, got 200"), text  # fmt: skip
    assert "   11 test(s): test_every_status_is_accepted_on_create_and_update[compliant], " in text
    assert "   10 of them failed in a setup step (create a status to update: 10), before what they test" in text
    assert "banana" not in text  # no test is reported as if its own value had been accepted
    schemathesis = next(line for line in remote_report if line.startswith("2. "))
    assert schemathesis.endswith(": ST108 Response violates schema: keyword `required` at the top level"), text
    assert (
        '   "error" is a required property; Validated against the `default` response schema (status code 200).' in text
    )


def test_curl_lines_run_as_printed_with_the_tokens_exported(create_200: str, remote_report: list[str]) -> None:
    curls = [line.strip().removeprefix(report.REPRODUCE) for line in remote_report if "reproduce: curl" in line]
    assert len(curls) == 3, remote_report  # one per test function and cause
    for line in curls:
        assert line.startswith(f"curl -sS -i -X POST {create_200}/deviceAppManagement/"), line  # the URL first
        assert ' -H "Authorization: Bearer $TOKEN" ' in line, line
        assert "[Filtered]" not in line, line
        assert line.endswith("'"), line  # the whole body, quoted
        env = {"PATH": os.environ["PATH"], "TOKEN": "contract-rw"}
        done = subprocess.run(["bash", "-c", line], env=env, capture_output=True, text=True, check=False, timeout=60)
        status = done.stdout.splitlines()[0] if done.stdout else done.stderr
        # schemathesis' case chose its id, so sent again it may conflict with what it created
        allowed = ["HTTP/1.1 200 OK"] + ["HTTP/1.1 409 Conflict"] * ("44960944" in line)
        assert status in allowed, (line, done.stdout, done.stderr)


def test_a_body_a_line_cannot_hold_is_sent_from_a_file(create_200: str) -> None:
    body = {"id": "x" * 128, "userDisplayName": "é" * 256, "userPrincipalName": "\u2028" * 256}
    content = json.dumps(body, ensure_ascii=False).encode()
    url = f"{create_200}/deviceAppManagement/mobileAppConfigurations/contract-file/userStatuses"
    headers = [("Authorization", "Bearer contract-rw"), ("Content-Type", "application/json")]
    line = report.curl("POST", url, headers, content, {"contract-rw": "TOKEN"})
    assert "\u2028" not in line, line
    assert "--data-binary @" in line, line
    sent_from = Path(shlex.split(line)[-1].removeprefix("@"))
    assert sent_from.parent.stat().st_mode & 0o077 == 0  # a folder of the run's own: no one else's file or link
    env = {"PATH": os.environ["PATH"], "TOKEN": "contract-rw"}
    done = subprocess.run(["bash", "-c", line.replace(" -i ", " ")], env=env, capture_output=True, check=False)
    assert json.loads(done.stdout) | body == json.loads(done.stdout), done.stdout[:300]


def test_in_process_the_report_says_so_and_points_curl_at_make_serve(runs: dict[str, Future[Run]]) -> None:
    _, done = runs["in-process"].result()
    text = "\n".join(contract_report(done.stdout))
    assert "target: our service in-process, as mutant enum_off" in text, text
    assert "the curl lines are written for `make serve` (http://127.0.0.1:8000/v1.0" in text, text
    assert "reproduce: curl -sS -i -X POST http://127.0.0.1:8000/v1.0/deviceAppManagement/" in text, text
    # schemathesis' finding, by property and keyword
    assert ": ST108 Response violates schema: keyword `enum` at /status" in text, text
    assert ": ST201 Schema-violating request accepted (got 201)" in text, text


@pytest.mark.parametrize("case", STOPS)
def test_the_preflight_stops_with_one_line(runs: dict[str, Future[Run]], case: str) -> None:
    port, done = runs[case].result()
    output = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, output
    assert len(output) == 1, output
    assert output[0].startswith(f"ERROR: contract preflight: {STOPS[case][3].format(port=port)}"), output


def test_the_preflight_leaves_nothing_behind(service: Process, runs: dict[str, Future[Run]]) -> None:
    """What it created to check the tokens (READ_TOKEN's too, when it could write) is deleted: after a passing
    preflight and the failed ones of STOPS, the service holds no status."""
    for name in STOPS:
        runs[name].result()
    probe = [sys.executable, "-c", "from tests.contract.target import contract_target; contract_target()"]
    env = {**os.environ, "CONTRACT_BASE_URL": f"{service.url}/v1.0", "CONTRACT_TOKEN": "rw", "CONTRACT_READ_TOKEN": "r"}
    subprocess.run(probe, cwd=ROOT, env=env, check=True, capture_output=True, timeout=60)
    with closing(sqlite3.connect(service.db)) as db:
        assert db.execute("SELECT COUNT(*) FROM user_status").fetchone() == (0,)
