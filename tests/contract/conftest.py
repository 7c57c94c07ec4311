"""The contract suite's fixtures, its preflight (a running server is checked before any test) and its report.

Where it runs is ``tests/contract/target.py``: our service in-process by default, a mutant of it
(``CONTRACT_MUTANT``), or any running implementation (``CONTRACT_BASE_URL`` + ``CONTRACT_TOKEN``)."""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from typing import Any

import jsonschema
import pytest

from tests.contract import document, report
from tests.contract.api import Api
from tests.contract.target import COLLECTION, Target, contract_target

#: Tests of the suite itself: they run it in subprocesses and need the whole development install. Against a
#: running server (the slim install) or a mutant, only the suite is collected.
META = ["test_mutants.py", "test_socket.py", "test_report.py", "test_install.py"]
collect_ignore = META if os.environ.get("CONTRACT_BASE_URL") or os.environ.get("CONTRACT_MUTANT") else []


def pytest_sessionstart(session: pytest.Session) -> None:
    """Against a running server, the preflight runs before collection: a failed one is the run's only line."""
    if os.environ.get("CONTRACT_BASE_URL"):
        contract_target()


@pytest.fixture(scope="session")
def target() -> Iterator[Target]:
    yield contract_target()
    contract_target().cleanup()


@pytest.fixture(scope="session")
def api(target: Target) -> Iterator[Api]:
    client = Api(target)
    yield client
    client.http.close()


@pytest.fixture
def collection() -> str:
    """A fresh configuration id per test, so tests never see each other's data."""
    return COLLECTION.format(f"contract-{os.urandom(6).hex()}")


@pytest.fixture(scope="session")
def odata_error_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(document.odata_error_schema())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    """A failed test keeps its root causes on its report, for the contract report."""
    test_report = yield
    if test_report.failed and call.excinfo is not None and "tests/contract/" in item.nodeid:
        test_report.user_properties.append(("contract-causes", report.causes(call.excinfo.value)))
    return test_report


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """A readable contract report: what failed, against what, and the curl line that reproduces it."""
    failed = [r for key in ("failed", "error") for r in terminalreporter.stats.get(key, [])]
    failed = [
        r for r in failed if "tests/contract/" in r.nodeid and r.nodeid.split("::")[0].rsplit("/")[-1] not in META
    ]
    if not failed:
        return
    target = contract_target()
    terminalreporter.section("contract report")
    terminalreporter.write_line(f"target: {target.name}")
    terminalreporter.write_line(f"reproduce: {target.how_to_reproduce}")
    entries = []
    for test_report in failed:
        found = dict(getattr(test_report, "user_properties", ())).get("contract-causes")
        if not found:  # failed outside a test (collection), or before the hook could see why
            lines = [line[1:].strip() for line in test_report.longreprtext.splitlines() if line.startswith("E ")]
            found = [{"key": line, "title": line, "step": "", "detail": "", "curl": ""} for line in lines[-1:]]
        name = test_report.head_line or test_report.nodeid.split("::", 1)[-1]
        entries.append((name, test_report.when or "", found))
    report.render(terminalreporter.write_line, entries)
