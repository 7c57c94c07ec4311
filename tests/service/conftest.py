"""The service in-process (over a temporary SQLite file) and as a real process on a free port."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.app import ServiceApp
from service.auth import ServiceAuthenticator
from service.sqlite_store import SqliteStore
from tests.conftest import ROOT
from tests.server.conftest import request

READ, WRITE = "DeviceManagementApps.Read.All", "DeviceManagementApps.ReadWrite.All"
TOKENS = {"rw": [READ, WRITE], "r": [READ]}
RW = {"Authorization": "Bearer rw"}
COLLECTION = "/v1.0/deviceAppManagement/mobileAppConfigurations/{}/userStatuses"
BASE = COLLECTION.format("cfg-1")


@dataclass
class InProcess:
    app: ServiceApp
    store: SqliteStore
    db: Path

    def call(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        kwargs.setdefault("headers", RW)
        return request(self.app, method, url, **kwargs)

    def reopen(self) -> InProcess:
        """A new app over the same file, as after a restart."""
        self.store.close()
        return make_service(self.db)


def make_service(db: Path, **store_options: Any) -> InProcess:
    store = SqliteStore(db, **store_options)
    app = ServiceApp(store, ServiceAuthenticator(TOKENS), validate_responses=True)
    return InProcess(app, store, db)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[InProcess]:
    running = make_service(tmp_path / "var" / "statuses.db")
    yield running
    running.store.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Process:
    """``python -m service`` running on a free port."""

    process: subprocess.Popen[str]
    url: str
    db: Path
    tokens: Path
    log: Path

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=15)


def start_service(tmp_path: Path, db: Path | None = None, *extra: str, prefix: Sequence[str] = ()) -> Process:
    """The service on a free port with TOKENS and ``extra`` options; ``prefix`` runs it through a wrapper."""
    tokens = tmp_path / "tokens.json"
    tokens.write_text(json.dumps(TOKENS))
    db = db or tmp_path / "statuses.db"
    port = free_port()
    log = tmp_path / f"service-{port}.log"
    command = [*prefix, sys.executable, "-m", "service", "--port", str(port), "--db", str(db), "--tokens", str(tokens),
               *extra]  # fmt: skip
    with log.open("w") as output:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, text=True,
                                   env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
    try:
        wait_listening(port, process)
    except RuntimeError as error:
        process.kill()
        raise RuntimeError(f"{error}:\n{log.read_text()}") from None
    return Process(process, f"http://127.0.0.1:{port}", db, tokens, log)


def wait_listening(port: int, process: subprocess.Popen[Any], seconds: float = 20) -> None:
    """Return once something accepts connections on ``port``; RuntimeError if ``process`` exits or time runs out."""
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited early (status {process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nothing listens on port {port} after {seconds:g} s") from None
            time.sleep(0.05)


@pytest.fixture
def process(tmp_path: Path) -> Iterator[Process]:
    running = start_service(tmp_path)
    yield running
    running.stop(signal.SIGKILL)
