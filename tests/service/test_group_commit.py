"""Group commit, in-process: writes queued together commit in one transaction, each answered on its own; a
failure in a batch costs no other request its write; the queue and the wait for the lock are bounded; reads
answer while writes wait; close() commits what was accepted.

Another connection holding the write lock (``BEGIN IMMEDIATE``) makes the writes queue up, so what is
batched is decided by the test, not by timing. Waits are bounded (``until``) so that a bug fails, not hangs.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

import service.sqlite_store
from service.sqlite_store import SqliteStore
from service.store import Unavailable
from tests.service.conftest import BASE, RW, InProcess, make_service

T = TypeVar("T")
HANG = 20.0  # seconds: only a bug waits this long


@contextmanager
def write_lock(db: Path) -> Iterator[sqlite3.Connection]:
    """Another connection holding the database's write lock until the block ends."""
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        if other.in_transaction:
            other.execute("ROLLBACK")
        other.close()


async def until(condition: Callable[[], bool]) -> None:
    for _ in range(int(HANG / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("waited too long")


async def answer(pending: Awaitable[T]) -> T:
    return await asyncio.wait_for(pending, HANG)


def client(running: InProcess) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=running.app)
    return httpx.AsyncClient(transport=transport, base_url="http://testserver", headers=RW)


def stored_ids(db: Path) -> list[str]:
    with sqlite3.connect(db) as other:
        found = [row[0] for row in other.execute("SELECT status_id FROM user_status ORDER BY seq")]
    other.close()
    return found


def test_writes_queued_together_commit_in_one_transaction(service: InProcess) -> None:
    async def scenario() -> list[httpx.Response]:
        async with client(service) as http:
            with write_lock(service.db):
                posts = [asyncio.create_task(http.post(BASE, json={"id": f"s{i}"})) for i in range(50)]
                await until(lambda: service.store.stats.accepted == 50)
            return await answer(asyncio.gather(*posts))

    assert [r.status_code for r in asyncio.run(scenario())] == [201] * 50
    stats = service.store.stats
    assert (stats.transactions, stats.writes, stats.largest, stats.sizes) == (1, 50, 50, {6: 1})
    assert stored_ids(service.db) == [f"s{i}" for i in range(50)]


def test_a_duplicate_id_in_a_batch_fails_only_its_own_request(service: InProcess) -> None:
    async def scenario() -> list[httpx.Response]:
        async with client(service) as http:
            for sid in ("x", "y"):
                assert (await http.post(BASE, json={"id": sid})).status_code == 201
            with write_lock(service.db):
                posts = [
                    http.post(BASE, json={"id": "a", "userDisplayName": "first"}),
                    http.post(BASE, json={"id": "a", "userDisplayName": "second"}),
                    http.post(BASE, json={"id": "b"}),
                    http.patch(f"{BASE}/x", json={"status": "error"}),
                    http.delete(f"{BASE}/y"),
                    http.post(BASE, json={"id": "c"}),
                ]
                tasks = [asyncio.create_task(post) for post in posts]
                await until(lambda: service.store.stats.accepted == 8)
            return await answer(asyncio.gather(*tasks))

    responses = asyncio.run(scenario())
    assert [r.status_code for r in responses] == [201, 409, 201, 200, 204, 201]
    assert responses[1].json()["error"]["code"] == "Conflict"
    assert service.store.stats.transactions == 3  # x, y, then the six together
    assert stored_ids(service.db) == ["x", "a", "b", "c"]
    assert service.call("GET", f"{BASE}/a").json()["userDisplayName"] == "first"
    assert service.call("GET", f"{BASE}/x").json()["status"] == "error"


def test_a_failing_batch_loses_no_other_write(tmp_path: Path) -> None:
    """The disk fills up in the middle of a batch: every write answered 201 is stored, every other one is 503."""
    running = make_service(tmp_path / "full.db")
    big = {"userDisplayName": "x" * 256, "userPrincipalName": "y" * 256}
    db = running.store.connection
    db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0] + 3}")

    async def scenario() -> list[httpx.Response]:
        async with client(running) as http:
            with write_lock(running.db):
                posts = [asyncio.create_task(http.post(BASE, json={**big, "id": f"s{i:02}"})) for i in range(40)]
                await until(lambda: running.store.stats.accepted == 40)
            return await answer(asyncio.gather(*posts))

    try:
        responses = asyncio.run(scenario())
    finally:
        running.store.close()
    acknowledged = [r.json()["id"] for r in responses if r.status_code == 201]
    refused = [r for r in responses if r.status_code != 201]
    assert acknowledged, "nothing fitted: the test proves nothing"
    assert refused, "everything fitted: the batch never failed"
    assert {r.status_code for r in refused} == {503}
    assert all("full" in r.json()["error"]["message"] for r in refused)
    assert stored_ids(running.db) == acknowledged


def test_a_full_queue_answers_503_and_the_writes_it_took_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service.sqlite_store, "MAX_WAITING_WRITES", 3)
    running = make_service(tmp_path / "queue.db")

    async def scenario() -> list[httpx.Response]:
        async with client(running) as http:
            with write_lock(running.db):
                posts = [asyncio.create_task(http.post(BASE, json={"id": f"s{i:02}"})) for i in range(20)]
                stats = running.store.stats
                await until(lambda: stats.accepted + stats.rejected_full == 20)
            return await answer(asyncio.gather(*posts))

    try:
        responses = asyncio.run(scenario())
    finally:
        running.store.close()
    stats = running.store.stats
    refused = [r for r in responses if r.status_code == 503]
    assert stats.accepted == 3
    assert len(refused) == stats.rejected_full == 20 - stats.accepted
    assert all(r.headers["retry-after"] == "1" and "too many writes" in r.json()["error"]["message"] for r in refused)
    assert stored_ids(running.db) == [r.json()["id"] for r in responses if r.status_code == 201]


def test_reads_answer_while_a_write_waits_for_the_lock_and_the_write_gives_up_alone(tmp_path: Path) -> None:
    running = make_service(tmp_path / "locked.db", write_timeout=1.0)
    running.call("POST", BASE, json={"id": "kept"})

    async def scenario() -> None:
        async with client(running) as http:
            with write_lock(running.db):
                waiting = asyncio.create_task(http.post(BASE, json={"id": "new"}))
                await until(lambda: running.store.stats.accepted == 2)
                listed = await answer(http.get(BASE))
                counted = await answer(http.get(BASE + "/$count"))
                got = await answer(http.get(BASE + "/kept"))
                assert not waiting.done(), "the write was answered before the reads: they waited for it"
                assert ([i["id"] for i in listed.json()["value"]], counted.text, got.json()["id"]) == (
                    ["kept"], "1", "kept",
                )  # fmt: skip
                refused = await answer(waiting)  # while the lock is still held: the write timed out on its own
                assert refused.status_code == 503
                assert refused.headers["retry-after"] == "1"
                assert "busy" in refused.json()["error"]["message"]
            assert (await http.post(BASE, json={"id": "new"})).status_code == 201

    try:
        asyncio.run(scenario())
    finally:
        running.store.close()
    assert running.store.stats.timed_out == 1
    assert stored_ids(running.db) == ["kept", "new"]


def test_close_commits_the_writes_already_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service.sqlite_store, "MAX_BATCH", 2)  # so that some writes are still queued at close
    store = SqliteStore(tmp_path / "close.db")

    async def scenario() -> list[Any]:
        with write_lock(tmp_path / "close.db") as other:
            creates = [asyncio.create_task(store.create("cfg", {"id": f"s{i}"})) for i in range(5)]
            await until(lambda: store.stats.accepted == 5)
            closing = asyncio.create_task(asyncio.to_thread(store.close))
            await asyncio.sleep(0.2)
            assert not closing.done(), "close() returned while accepted writes were still waiting"
            other.execute("ROLLBACK")
        await answer(closing)
        results = await answer(asyncio.gather(*creates))
        assert store.stats.transactions == 3
        with pytest.raises(Unavailable, match="stopping"):
            await store.create("cfg", {"id": "late"})
        return results

    assert [status["id"] for status in asyncio.run(scenario())] == [f"s{i}" for i in range(5)]
    assert stored_ids(tmp_path / "close.db") == [f"s{i}" for i in range(5)]
