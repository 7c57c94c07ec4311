"""Listing a large configuration: a page's latency at depth 0 and at depth 100,000, and the time to read
100,000 items with the generated client's paging helper (``list_user_statuses.sync_all``).

The service runs as deployed: ``python -m service`` under uvicorn (pinned to one core, the client on the
other), over a database of 400,000 statuses (200,000 in the configuration listed, interleaved with another
configuration's 200,000) written directly with SQLite, since 400,000 HTTP creates would take minutes.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from generated.client import AuthenticatedClient
from generated.client.api.user_statuses import list_user_statuses
from service.sqlite_schema import INSERT
from service.sqlite_store import SqliteStore

ROOT = Path(__file__).resolve().parent.parent
PER_CONFIG = 200_000
DEPTH = 100_000
PAGE = 100
TOKEN = "bench-paging-token"  # noqa: S105 - a local benchmark credential, not a secret
SCOPES = ["DeviceManagementApps.Read.All", "DeviceManagementApps.ReadWrite.All"]
LISTED = "/v1.0/deviceAppManagement/mobileAppConfigurations/big/userStatuses"


@dataclass(frozen=True)
class Paging:
    first_page_ms: float
    deep_page_ms: float  # at depth DEPTH, by $skiptoken (the next links' way)
    deep_skip_ms: float  # the same page by $skip, for comparison
    read_seconds: float  # DEPTH items through sync_all, 1,000 per page


def build(path: Path) -> None:
    """The service's schema, then 2 x PER_CONFIG rows in one transaction, configurations alternating."""
    SqliteStore(path).close()
    rest = ("User Display Name value", 12, "compliant", "2017-01-01T00:00:17.7769392-08:00", "upn@example.com")
    rows = ((config, f"s{i:06}", *rest) for i in range(PER_CONFIG) for config in ("big", "other"))
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("BEGIN")
        db.executemany(INSERT, rows)
        db.execute("COMMIT")
    finally:
        db.close()


@contextmanager
def serving(db: Path, folder: Path) -> Iterator[str]:
    """``python -m service`` on a free port, pinned to core 0; its base URL."""
    tokens = folder / "tokens.json"
    tokens.write_text(json.dumps({TOKEN: SCOPES}))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    command = [*_pin(0), sys.executable, "-m", "service", "--port", str(port), "--db", str(db), "--tokens", str(tokens)]
    log = (folder / "service.log").open("w")
    server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the service did not start: {(folder / 'service.log').read_text()}") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def measure(rounds: int = 21) -> Paging:
    """Builds the database, serves it, and times the pages and the read (the median of ``rounds`` per page)."""
    affinity = os.sched_getaffinity(0)
    with tempfile.TemporaryDirectory(prefix="bench-paging-") as name:
        folder = Path(name)
        build(folder / "big.db")
        token = _token_after(folder / "big.db", DEPTH)
        with serving(folder / "big.db", folder) as url, httpx.Client(base_url=url, headers=_auth()) as http:
            if _pin(1):
                os.sched_setaffinity(0, {1})  # the client on the other core
            try:
                first = _median_ms(http, f"{LISTED}?$top={PAGE}", rounds)
                deep = _median_ms(http, f"{LISTED}?$top={PAGE}&$skiptoken={token}", rounds)
                by_skip = _median_ms(http, f"{LISTED}?$top={PAGE}&$skip={DEPTH}", rounds)
                after = http.get(f"{LISTED}?$top=1&$skiptoken={token}").json()["value"][0]["id"]
                if after != f"s{DEPTH:06}":
                    raise RuntimeError(f"the token of depth {DEPTH} resumed at {after}")
                read = _read_seconds(url)
            finally:
                os.sched_setaffinity(0, affinity)
    return Paging(first, deep, by_skip, read)


def report(found: Paging) -> list[tuple[str, float, str, float]]:
    """Rows for ``make bench`` (label, value, comparison, target), after a line of the absolute numbers."""
    print(
        f"\npaging {PER_CONFIG:,} statuses of one configuration ({2 * PER_CONFIG:,} in the table), {PAGE} per page, "
        f"python -m service on one core: first page {found.first_page_ms:.1f} ms, page at depth {DEPTH:,} "
        f"{found.deep_page_ms:.1f} ms by $skiptoken (by $skip: {found.deep_skip_ms:.1f} ms); "
        f"{DEPTH:,} items through sync_all (1,000 per page): {found.read_seconds:.1f} s"
    )
    return [(f"page at depth {DEPTH:,} / first page", found.deep_page_ms / found.first_page_ms, "<=", 2.0)]


def _token_after(path: Path, depth: int) -> str:
    """What the next link of the page ending at item ``depth`` carries: that item's position, in hex."""
    db = sqlite3.connect(path)
    try:
        query = "SELECT seq FROM user_status WHERE config_id = 'big' ORDER BY seq LIMIT 1 OFFSET ?"
        return f"{db.execute(query, (depth - 1,)).fetchone()[0]:016x}"
    finally:
        db.close()


def _median_ms(http: httpx.Client, url: str, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = http.get(url)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return statistics.median(times)


def _read_seconds(url: str) -> float:
    client = AuthenticatedClient(base_url=f"{url}/v1.0", token=TOKEN)
    started = time.perf_counter()
    items = itertools.islice(list_user_statuses.sync_all("big", client=client, top=1000), DEPTH)
    count = sum(1 for _ in items)
    seconds = time.perf_counter() - started
    if count != DEPTH:
        raise RuntimeError(f"read {count} items, not {DEPTH}")
    return seconds


def _auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def _pin(core: int) -> list[str]:
    return ["taskset", "-c", str(core)] if shutil.which("taskset") and (os.cpu_count() or 1) > 1 else []
