"""Group commit: one thread owns the write connection and commits whatever writes are waiting in one transaction.

Requests hand a write (a function running one SQL statement) to the queue and wait, off the event loop, for
the transaction that holds it to commit: an acknowledged write is durable, and N concurrent writes cost one
commit instead of N. One statement failing on a constraint (a duplicate id) is rolled back by SQLite alone
(the ``ABORT`` conflict rule) and fails only its own request. Any other failure (full disk, I/O error) may
roll back the whole transaction, so the batch is redone one write per transaction, each with its own verdict:
no request loses its write for another's. Everything is bounded: the queue (a full one is ``Unavailable``),
the batch, and the wait for the write lock (past ``timeout`` a write is ``Unavailable``, retry soon).
"""

from __future__ import annotations

import asyncio
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from service.batches import BatchStats
from service.sqlite_schema import is_busy, unavailable
from service.store import Unavailable

T = TypeVar("T")
Write = Callable[[sqlite3.Connection], T]
#: How long one attempt to take the write lock waits, so that expired writes are answered while waiting.
LOCK_SLICE_MS = 50


@dataclass
class _Job(Generic[T]):
    write: Write[T]
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[T]
    deadline: float


class Writer:
    """The write connection's only user once started; ``close`` commits what was accepted, then stops."""

    def __init__(self, db: sqlite3.Connection, *, timeout: float, max_queue: int, max_batch: int) -> None:
        self.db = db
        self.timeout = timeout
        self.max_batch = max_batch
        self.stats = BatchStats()
        self._queue: queue.Queue[_Job[Any] | None] = queue.Queue(max_queue)
        self._closed = False
        db.execute(f"PRAGMA busy_timeout = {min(LOCK_SLICE_MS, int(timeout * 1000))}")
        self._thread = threading.Thread(target=self._run, name="sqlite-writer", daemon=True)
        self._thread.start()

    async def write(self, write: Write[T]) -> T:
        """``write``'s result once its transaction has committed; IntegrityError if its statement broke a
        constraint; Unavailable if it could not be done now."""
        if self._closed:
            raise Unavailable("the service is stopping")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        job = _Job(write, loop, future, time.monotonic() + self.timeout)
        try:
            self._queue.put_nowait(job)
        except queue.Full:
            self.stats.rejected_full += 1
            raise Unavailable("too many writes are waiting", retry_after=1) from None
        self.stats.accepted += 1
        return await future

    def close(self) -> None:
        """Refuse new writes, commit those queued, stop the thread (the caller closes the connection)."""
        if not self._closed:
            self._closed = True
            self._queue.put(None)  # after every accepted job; blocks while the queue is full
        self._thread.join()
        while True:  # a write that raced with close, behind the stop mark
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                return
            if job is not None:
                _settle([(job, None, Unavailable("the service is stopping"))])

    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            try:
                stopping = self._take(batch)
                stopping = self._commit(batch) or stopping
            except BaseException as error:  # a bug: answer the batch rather than leave requests hanging
                _settle([(job, None, error) for job in batch])

    def _take(self, batch: list[_Job[Any]]) -> bool:
        """Adds the jobs waiting to ``batch``, up to max_batch; whether the stop mark was among them."""
        while len(batch) < self.max_batch:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                return False
            if job is None:
                return True
            batch.append(job)
        return False

    def _commit(self, batch: list[_Job[Any]]) -> bool:
        """One transaction for the batch, topped up once the lock is held (what queued while waiting for it
        joins); if it fails other than on a constraint, one transaction per write. Whether to stop."""
        if not self._begin(batch):
            return False
        stopping = self._take(batch)
        outcomes: list[tuple[_Job[Any], Any, BaseException | None]] = []
        try:
            for job in batch:
                try:
                    outcomes.append((job, job.write(self.db), None))
                except sqlite3.IntegrityError as error:  # only this statement was rolled back
                    outcomes.append((job, None, error))
            self.db.execute("COMMIT")
        except Exception:  # whatever it was, each write gets a transaction and a verdict of its own
            self._rollback()
            for job in batch:
                self._commit_alone(job)
            return stopping
        self.stats.record(len(batch))
        _settle(outcomes)
        return stopping

    def _commit_alone(self, job: _Job[Any]) -> None:
        if not self._begin([job]):
            return
        try:
            outcome = (job, job.write(self.db), None)
            self.db.execute("COMMIT")
        except Exception as error:  # handed to the request that asked for this write
            self._rollback()
            failure = unavailable(error) if isinstance(error, sqlite3.Error) and not _constraint(error) else error
            _settle([(job, None, failure)])
            return
        self.stats.record(1)
        _settle([outcome])

    def _begin(self, jobs: list[_Job[Any]]) -> bool:
        """Takes the write lock (BEGIN IMMEDIATE) for ``jobs``, answering each Unavailable and removing it when
        its deadline passes while another connection holds the lock. Whether any job is left to write."""
        while True:
            now = time.monotonic()
            expired = [job for job in jobs if job.deadline <= now]
            if expired:
                self.stats.timed_out += len(expired)
                busy = Unavailable("the database is busy: the write could not start in time", retry_after=1)
                _settle([(job, None, busy) for job in expired])
                jobs[:] = [job for job in jobs if job.deadline > now]
            if not jobs:
                return False
            try:
                self.db.execute("BEGIN IMMEDIATE")
                return True
            except sqlite3.Error as error:
                if not is_busy(error):
                    _settle([(job, None, unavailable(error)) for job in jobs])
                    jobs.clear()
                    return False

    def _rollback(self) -> None:
        if self.db.in_transaction:  # SQLite may already have rolled back (e.g. on SQLITE_FULL)
            with suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")


def _constraint(error: sqlite3.Error) -> bool:
    return isinstance(error, sqlite3.IntegrityError)


def _settle(outcomes: list[tuple[_Job[Any], Any, BaseException | None]]) -> None:
    """Hands each outcome to its request's event loop: one wake-up per loop, whatever the batch size."""
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[_Job[Any], Any, BaseException | None]]] = {}
    for outcome in outcomes:
        by_loop.setdefault(outcome[0].loop, []).append(outcome)
    for loop, some in by_loop.items():
        with suppress(RuntimeError):  # that loop is closed: nobody is waiting any more
            loop.call_soon_threadsafe(_resolve, some)


def _resolve(outcomes: list[tuple[_Job[Any], Any, BaseException | None]]) -> None:
    for job, result, error in outcomes:
        if job.future.done():  # the request was cancelled (its client went away)
            continue
        if error is None:
            job.future.set_result(result)
        else:
            job.future.set_exception(error)
