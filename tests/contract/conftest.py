"""What the contract suite runs against: our service in-process (the default), a mutant of it
(``CONTRACT_MUTANT``), or any running implementation (``CONTRACT_BASE_URL`` + ``CONTRACT_TOKEN``)."""

from __future__ import annotations

import functools
import json
import os
import shlex
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from service.app import ServiceApp
from service.auth import ServiceAuthenticator
from service.sqlite_store import SqliteStore
from tests.asgi import SyncASGITransport
from tests.conftest import SPEC
from tests.contract import mutants

READ, WRITE = "DeviceManagementApps.Read.All", "DeviceManagementApps.ReadWrite.All"
TOKENS = {"contract-rw": [READ, WRITE], "contract-r": [READ]}
COLLECTION = "/deviceAppManagement/mobileAppConfigurations/{}/userStatuses"


@dataclass
class Target:
    """Where requests go: ``base_url`` ends with the API root (``.../v1.0``)."""

    base_url: str
    write_token: str
    read_token: str | None
    app: Any = None  # the ASGI app when in-process
    cleanup: Callable[[], None] = lambda: None

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        transport = SyncASGITransport(self.app) if self.app is not None else None
        return httpx.Client(base_url=self.base_url, headers=headers, transport=transport, timeout=30)


@functools.cache
def contract_target() -> Target:
    """One target per test session; module-level so that schemathesis can load it at import time."""
    base_url = os.environ.get("CONTRACT_BASE_URL")
    if base_url:
        token = os.environ.get("CONTRACT_TOKEN")
        if not token:
            raise pytest.UsageError("CONTRACT_BASE_URL needs CONTRACT_TOKEN (make contract BASE_URL=... TOKEN=...)")
        return Target(base_url.rstrip("/"), token, os.environ.get("CONTRACT_READ_TOKEN") or None)
    folder = tempfile.TemporaryDirectory(prefix="contract-")
    store = SqliteStore(Path(folder.name) / "contract.db")
    service = ServiceApp(store, ServiceAuthenticator(TOKENS))
    app = mutants.apply(os.environ.get("CONTRACT_MUTANT") or None, service, TOKENS)
    target = Target("http://contract.test/v1.0", "contract-rw", "contract-r", app)

    def cleanup() -> None:
        store.close()
        folder.cleanup()

    target.cleanup = cleanup
    return target


@pytest.fixture(scope="session")
def target() -> Iterator[Target]:
    yield contract_target()
    contract_target().cleanup()


class Api:
    """A client with the write token that explains any surprise with a curl line to reproduce it."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.http = target.client(target.write_token)

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.request(method, path, **kwargs)

    def curl(self, response: httpx.Response) -> str:
        request = response.request
        parts = ["curl", "-X", request.method, str(request.url)]
        for name, value in request.headers.items():
            if name.lower() in ("content-type", "authorization"):
                parts += ["-H", f"{name}: {'Bearer $TOKEN' if name.lower() == 'authorization' else value}"]
        if request.content:
            parts += ["--data-binary", request.content.decode("utf-8", "replace")[:300]]
        return shlex.join(parts)

    def explain(self, response: httpx.Response) -> str:
        return f"got {response.status_code}: {response.text[:300]}\n  reproduce: {self.curl(response)}"


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
    from codegen.spec import load
    from codegen.spec.refs import bundle

    document = load(SPEC).document
    return jsonschema.Draft202012Validator(bundle(document, ("components", "schemas", "ODataError")))


def assert_odata_error(
    api: Api, response: httpx.Response, status: int | tuple[int, ...], validator: jsonschema.Draft202012Validator
) -> dict[str, Any]:
    expected = (status,) if isinstance(status, int) else status
    assert response.status_code in expected, api.explain(response)
    assert response.headers.get("content-type", "").startswith("application/json"), api.explain(response)
    body = response.json()
    problems = [e.message for e in validator.iter_errors(body)]
    assert not problems, f"not an OData error ({problems}): {api.explain(response)}"
    assert response.headers.get("request-id"), api.explain(response)
    error: dict[str, Any] = body["error"]
    return error


def dump(value: Any) -> bytes:
    return json.dumps(value).encode()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """A readable contract report: what failed, against what, and the curl line that reproduces it."""
    failed = terminalreporter.stats.get("failed", [])
    if not failed or not any("tests/contract" in report.nodeid for report in failed):
        return
    target = os.environ.get("CONTRACT_BASE_URL") or "the reference service (in-process)"
    write = terminalreporter.write_line
    terminalreporter.section("contract report")
    write(f"target: {target}")
    write(f"{len(failed)} contract test(s) failed:")
    for report in failed:
        write(f"- {report.head_line or report.nodeid}")
        lines = [_plain(line) for line in str(report.longrepr).splitlines()]
        reasons = [line for line in lines if line.startswith(("- ST", "AssertionError:"))]
        for line in dict.fromkeys(reasons):
            write(f"    {line.removeprefix('AssertionError: ')[:240]}")
        curls = [line.removeprefix("reproduce: ") for line in lines if line.startswith(("curl ", "reproduce: curl"))]
        for line in dict.fromkeys(curls):
            write(f"    reproduce: {line[:400]}")


def _plain(line: str) -> str:
    """A traceback line without pytest's ``E`` marker or an exception group's ``|`` gutter."""
    line = line.strip()
    if line.startswith(("E ", "| ")) or line in ("E", "|"):
        line = line[1:].strip()
    return line
