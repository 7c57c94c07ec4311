"""The service as a real process: concurrency, kill -9 durability, restart, clean SIGTERM shutdown."""

from __future__ import annotations

import asyncio
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.service.conftest import BASE, RW, Process, start_service

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


def test_kill_9_loses_no_acknowledged_create(tmp_path: Path) -> None:
    running = start_service(tmp_path)
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

    again = start_service(tmp_path, running.db)
    try:
        stored = all_ids(again.url)
    finally:
        again.stop(signal.SIGKILL)
    assert set(acknowledged) <= stored
    assert len(stored) - len(acknowledged) <= len(workers)  # at most the creates in flight at the kill


def test_sigterm_shuts_down_cleanly_and_restart_keeps_data(tmp_path: Path) -> None:
    running = start_service(tmp_path)
    created = httpx.post(running.url + BASE, json={"status": "compliant"}, headers=RW).json()
    # uvicorn shuts down gracefully, then re-raises the signal so the exit status reports it.
    assert running.stop(signal.SIGTERM) in (0, -signal.SIGTERM)
    log = running.log.read_text()
    assert "Application shutdown complete" in log
    assert "Finished server process" in log
    assert "request-id=" in log
    assert "Bearer" not in log
    again = start_service(tmp_path, running.db)
    try:
        assert httpx.get(f"{again.url}{BASE}/{created['id']}", headers=RW).json() == created
    finally:
        again.stop()
