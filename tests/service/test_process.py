"""The service as a real process: concurrency, kill -9 durability, restart, clean SIGTERM shutdown."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from service.sqlite_store import SqliteStore
from tests.service.conftest import BASE, RW, Process, start_service
from tests.service.test_handlers import ODATA_TYPE

pytestmark = pytest.mark.slow


async def _creates(url: str, clients: int, per_client: int) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=url, headers=RW, limits=limits, timeout=30) as client:

        async def one_client(n: int) -> list[httpx.Response]:
            return [await client.post(BASE, json={"devicesCount": n}) for _ in range(per_client)]

        batches = await asyncio.gather(*(one_client(n) for n in range(clients)))
    return [response for batch in batches for response in batch]


def test_2000_creates_from_50_clients(process: Process) -> None:
    responses = asyncio.run(_creates(process.url, clients=50, per_client=40))
    assert [r.status_code for r in responses] == [201] * 2000
    ids = {r.json()["id"] for r in responses}
    assert len(ids) == 2000
    count = httpx.get(process.url + BASE + "/$count", headers=RW)
    assert count.text == "2000"
    assert all_ids(process.url) == ids


def all_ids(url: str) -> set[str]:
    """Every status id, following nextLink pages."""
    found: set[str] = set()
    next_url: str | None = url + BASE + "?$top=1000"
    with httpx.Client(headers=RW) as client:
        while next_url:
            page = client.get(next_url).json()
            found |= {item["id"] for item in page["value"]}
            next_url = page.get("@odata.nextLink")
    return found


@pytest.mark.parametrize("sync", ["normal", "full"])
def test_kill_9_loses_no_acknowledged_create(tmp_path: Path, sync: str) -> None:
    running = start_service(tmp_path, None, "--sync", sync)
    acknowledged: list[str] = []
    stop = threading.Event()

    def load() -> None:
        with httpx.Client(base_url=running.url, headers=RW, timeout=5) as client:
            while not stop.is_set():
                try:
                    response = client.post(BASE, json={"userDisplayName": "durable"})
                except httpx.HTTPError:
                    return  # the server died mid-request: that create was never acknowledged
                if response.status_code == 201:
                    acknowledged.append(response.json()["id"])

    workers = [threading.Thread(target=load) for _ in range(4)]
    for worker in workers:
        worker.start()
    time.sleep(1.5)
    running.stop(signal.SIGKILL)
    stop.set()
    for worker in workers:
        worker.join(timeout=10)
    assert len(acknowledged) > 50

    again = start_service(tmp_path, running.db, "--sync", sync)
    try:
        stored = all_ids(again.url)
    finally:
        again.stop(signal.SIGKILL)
    assert set(acknowledged) <= stored
    assert len(stored) - len(acknowledged) <= len(workers)  # at most the creates in flight at the kill


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_closes_the_database_and_exits_0(tmp_path: Path, stop: signal.Signals) -> None:
    running = start_service(tmp_path)
    created = httpx.post(running.url + BASE, json={"status": "compliant"}, headers=RW).json()
    assert Path(f"{running.db}-wal").exists()  # WAL mode: the write is in the log until a checkpoint
    assert running.stop(stop) == 0
    log = running.log.read_text()
    assert "Application shutdown complete" in log
    assert "Finished server process" in log
    assert "database closed" in log
    assert '"transactions": 1, "writes": 1' in log  # group commit's numbers, at shutdown
    assert "Traceback" not in log
    assert "request-id=" in log
    assert "Bearer" not in log
    assert not Path(f"{running.db}-wal").exists()  # SQLite checkpoints and removes it when the last connection closes
    assert not Path(f"{running.db}-shm").exists()
    again = start_service(tmp_path, running.db)
    try:
        assert httpx.get(f"{again.url}{BASE}/{created['id']}", headers=RW).json() == created
    finally:
        again.stop()


def read_only_directory(folder: Path) -> list[str]:
    """A prefix that runs a command with ``folder`` read-only: by permissions, or (root ignores those) as a
    read-only bind mount in a private mount namespace, which disappears with the process."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return []
    probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("running as root without the right to make a mount namespace")
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" "$0" && exec "$@"'
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, str(folder)]


def test_a_read_only_database_directory_serves_reads_and_answers_writes_503(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    store = SqliteStore(folder / "statuses.db")
    created = asyncio.run(store.create("cfg-1", {"id": "kept", "userDisplayName": "kept"}))
    store.close()
    assert sorted(os.listdir(folder)) == ["statuses.db"]  # no -wal or -shm: SQLite cannot create them now
    running = start_service(tmp_path, folder / "statuses.db", prefix=read_only_directory(folder))
    try:
        assert httpx.get(f"{running.url}{BASE}/kept", headers=RW).json() == {"@odata.type": ODATA_TYPE, **created}
        assert httpx.get(f"{running.url}{BASE}/$count", headers=RW).text == "1"
        item = f"{running.url}{BASE}/{created['id']}"
        for method, url, body in (("POST", running.url + BASE, {}), ("PATCH", item, {"status": "error"}),
                                  ("DELETE", item, None)):  # fmt: skip
            response = httpx.request(method, url, json=body, headers=RW)
            assert response.status_code == 503, method
            assert response.headers["retry-after"] == "5"
            assert "read-only" in response.json()["error"]["message"]
    finally:
        stopped = running.stop()
        folder.chmod(0o755)
    assert stopped == 0
    assert "cannot be written: serving reads; writes answer 503" in running.log.read_text()


def test_while_another_process_holds_the_write_lock_reads_answer_and_writes_get_503(tmp_path: Path) -> None:
    """Another process holds the lock as long as the test likes: reads must answer, and a write must give up
    after --write-timeout, before the lock is released; then writes go through again."""
    running = start_service(tmp_path, None, "--write-timeout", "1")
    url = running.url + BASE
    try:
        assert httpx.post(url, json={"id": "kept"}, headers=RW).status_code == 201
        other = sqlite3.connect(running.db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            waiting: list[httpx.Response] = []
            writer = threading.Thread(target=lambda: waiting.append(httpx.post(url, json={}, headers=RW, timeout=30)))
            writer.start()
            time.sleep(0.3)  # for the write to reach the service (only a step in the scenario: nothing is timed)
            with httpx.Client(headers=RW, timeout=30) as client:
                reads = [client.get(url), client.get(url + "/$count"), client.get(url + "/kept")]
            writes_pending = writer.is_alive()
            writer.join(timeout=30)  # answered while the lock is still held: the write gave up on its own
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert [r.status_code for r in reads] == [200, 200, 200]
        assert (reads[0].json()["value"][0]["id"], reads[1].text, reads[2].json()["id"]) == ("kept", "1", "kept")
        assert writes_pending, "the reads were answered only after the write: they waited for it"
        assert waiting[0].status_code == 503
        assert waiting[0].headers["retry-after"] == "1"
        assert httpx.post(url, json={"id": "after"}, headers=RW).status_code == 201
    finally:
        assert running.stop() == 0
    assert '"timed_out": 1' in running.log.read_text()
