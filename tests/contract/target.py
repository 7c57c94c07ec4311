"""What the contract suite runs against: our service in-process (the default), a mutant of it
(``CONTRACT_MUTANT``), or any running implementation (``CONTRACT_BASE_URL`` + ``CONTRACT_TOKEN``).

Against a running server nothing of ours but the suite is imported (not service/, not generated/), so that
partners run it from the slim install of tests/contract/requirements.txt."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

READ, WRITE = "DeviceManagementApps.Read.All", "DeviceManagementApps.ReadWrite.All"
COLLECTION = "/deviceAppManagement/mobileAppConfigurations/{}/userStatuses"
#: Where curl lines point when the target is in-process: the sandbox that `make serve` starts.
SERVE_URL = "http://127.0.0.1:8000/v1.0"


@dataclass
class Target:
    """Where requests go: ``base_url`` ends with the API root (``.../v1.0``)."""

    base_url: str
    write_token: str
    read_token: str | None
    app: Any = None  # the ASGI app when in-process
    cleanup: Callable[[], None] = lambda: None
    #: What the report calls the target, and where its curl lines send requests.
    name: str = ""
    shown_url: str = ""
    #: How to run the report's curl lines, said once above them.
    how_to_reproduce: str = ""
    transport: httpx.BaseTransport | None = field(default=None, repr=False)

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.base_url, headers=headers, transport=self.transport, timeout=30)

    @property
    def token_names(self) -> dict[str, str]:
        """Token value -> the shell variable a curl line names instead of the token itself."""
        names = {self.write_token: "TOKEN"}
        if self.read_token:
            names[self.read_token] = "READ_TOKEN"
        return names


@functools.cache
def contract_target() -> Target:
    """One target per test session; module-level so that schemathesis can load it at import time. A running
    server is checked first (``preflight``): when it cannot be tested, the run stops with one line."""
    base_url = os.environ.get("CONTRACT_BASE_URL")
    if not base_url:
        from tests.contract.inprocess import in_process_target

        return in_process_target(os.environ.get("CONTRACT_MUTANT") or None)
    token = os.environ.get("CONTRACT_TOKEN")
    if not token:
        raise pytest.UsageError("CONTRACT_BASE_URL needs CONTRACT_TOKEN (make contract BASE_URL=... TOKEN=...)")
    base_url = base_url.rstrip("/")
    read_token = os.environ.get("CONTRACT_READ_TOKEN") or None
    exports = "TOKEN and READ_TOKEN are" if read_token else "TOKEN is"
    target = Target(base_url, token, read_token, name=base_url, shown_url=base_url,
                    how_to_reproduce=f"each curl line runs as printed once {exports} exported")  # fmt: skip
    from tests.contract.preflight import preflight

    problem = preflight(target)
    if problem:
        raise pytest.UsageError(f"contract preflight: {problem}")
    return target
