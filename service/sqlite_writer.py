"""Group commit: one thread owns the write connection and commits whatever writes are waiting in one transaction.

Requests hand a write (a function running one SQL statement) over and wait, off the event loop, for the
transaction that holds it to commit: an acknowledged write is durable, and N concurrent writes cost one commit
instead of N. One statement failing on a constraint (a duplicate id) is rolled back by SQLite alone (the
``ABORT`` conflict rule) and fails only its own request. Any other failure (full disk, I/O error) may roll back
the whole transaction, so the batch is redone one write per transaction, each with its own verdict: no request
loses its write for another's. Bounded: the writes waiting (past ``max_waiting``, ``Unavailable``), the batch,
and the wait for the write lock (past ``timeout`` a write is ``Unavailable``, retry soon).

Handing over costs a thread wake-up and, with the GIL, a switch: so each event loop gathers the writes its
requests make in one iteration and hands them over together, and the answers of a batch go back to each loop
in one call.
"""

from __future__ import annotations

import asyncio
import queue
import sqlite3
import threading
import time
from collections import deque
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


_Outcome = tuple[_Job[Any], Any, BaseException | None]


class Writer:
    """The write connection's only user once started; ``close`` commits what was accepted, then stops."""

    def __init__(
        self,
        db: sqlite3.Connection,
        *,
        timeout: float,
        max_waiting: int,
        max_batch: int,
        committed: Callable[[int], None] = lambda writes: None,
    ) -> None:
        self.db = db
        self.committed = committed  # told how many writes each transaction committed (the checkpointer)
        self.timeout = timeout
        self.max_waiting = max_waiting
        self.max_batch = max_batch
        self.stats = BatchStats()
        self._answered = 0  # by the writer thread; accepted - answered is how many wait
        self._gathering: dict[asyncio.AbstractEventLoop, list[_Job[Any]]] = {}  # per loop, this iteration's
        self._handed: queue.SimpleQueue[list[_Job[Any]] | None] = queue.SimpleQueue()
        self._closed = False
        db.execute(f"PRAGMA busy_timeout = {min(LOCK_SLICE_MS, int(timeout * 1000))}")
        self._thread = threading.Thread(target=self._run, name="sqlite-writer", daemon=True)
        self._thread.start()

    async def write(self, write: Write[T]) -> T:
        """``write``'s result once its transaction has committed; IntegrityError if its statement broke a
        constraint; Unavailable if it could not be done now."""
        if self._closed:
            raise Unavailable("the service is stopping")
        if self.stats.accepted - self._answered >= self.max_waiting:
            self.stats.rejected_full += 1
            raise Unavailable("too many writes are waiting", retry_after=1)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        gathered = self._gathering.get(loop)
        if gathered is None:
            gathered = self._gathering[loop] = []
            loop.call_soon(self._hand_over, loop)
        gathered.append(_Job(write, loop, future, time.monotonic() + self.timeout))
        self.stats.accepted += 1
        return await future

    def _hand_over(self, loop: asyncio.AbstractEventLoop) -> None:
        jobs = self._gathering.pop(loop, None)
        if not jobs:
            return
        if self._closed and not self._thread.is_alive():  # raced with close: nobody will write them
            self._settle([(job, None, Unavailable("the service is stopping")) for job in jobs])
        else:
            self._handed.put(jobs)

    def close(self) -> None:
        """Refuse new writes, commit those accepted, stop the thread (the caller closes the connection)."""
        if not self._closed:
            self._closed = True
            for loop in list(self._gathering):  # gathered by a loop that stopped before handing them over
                self._hand_over(loop)
            self._handed.put(None)  # after every accepted job
        self._thread.join()

    def _run(self) -> None:
        waiting: deque[_Job[Any]] = deque()
        stopping = False
        while waiting or not stopping:
            if not waiting:
                jobs = self._handed.get()
                if jobs is None:
                    return
                waiting.extend(jobs)
            stopping = self._gather(waiting) or stopping
            batch = [waiting.popleft() for _ in range(min(len(waiting), self.max_batch))]
            try:
                stopping = self._commit(batch, waiting) or stopping
            except BaseException as error:  # a bug: answer the batch rather than leave requests hanging
                self._settle([(job, None, error) for job in batch])

    def _gather(self, waiting: deque[_Job[Any]]) -> bool:
        """Moves the jobs handed over meanwhile to ``waiting``; whether the stop mark was among them."""
        while True:
            try:
                jobs = self._handed.get_nowait()
            except queue.Empty:
                return False
            if jobs is None:
                return True
            waiting.extend(jobs)

    def _commit(self, batch: list[_Job[Any]], waiting: deque[_Job[Any]]) -> bool:
        """One transaction for the batch, topped up once the lock is held (what came while waiting for it
        joins); if it fails other than on a constraint, one transaction per write. Whether to stop."""
        if not self._begin(batch):
            return False
        stopping = self._gather(waiting)
        while waiting and len(batch) < self.max_batch:
            batch.append(waiting.popleft())
        outcomes: list[_Outcome] = []
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
        self._record(len(batch))
        self._settle(outcomes)
        return stopping

    def _record(self, writes: int) -> None:
        self.stats.record(writes)
        self.committed(writes)

    def _commit_alone(self, job: _Job[Any]) -> None:
        if not self._begin([job]):
            return
        try:
            outcome: _Outcome = (job, job.write(self.db), None)
            self.db.execute("COMMIT")
        except Exception as error:  # handed to the request that asked for this write
            self._rollback()
            constraint = isinstance(error, sqlite3.IntegrityError)
            outcome = (job, None, unavailable(error) if isinstance(error, sqlite3.Error) and not constraint else error)
        else:
            self._record(1)
        self._settle([outcome])

    def _begin(self, jobs: list[_Job[Any]]) -> bool:
        """Takes the write lock (BEGIN IMMEDIATE) for ``jobs``, answering each Unavailable and removing it when
        its deadline passes while another connection holds the lock. Whether any job is left to write."""
        while True:
            now = time.monotonic()
            expired = [job for job in jobs if job.deadline <= now]
            if expired:
                self.stats.timed_out += len(expired)
                busy = Unavailable("the database is busy: the write could not start in time", retry_after=1)
                self._settle([(job, None, busy) for job in expired])
                jobs[:] = [job for job in jobs if job.deadline > now]
            if not jobs:
                return False
            try:
                self.db.execute("BEGIN IMMEDIATE")
                return True
            except sqlite3.Error as error:
                if not is_busy(error):
                    self._settle([(job, None, unavailable(error)) for job in jobs])
                    jobs.clear()
                    return False

    def _rollback(self) -> None:
        if self.db.in_transaction:  # SQLite may already have rolled back (e.g. on SQLITE_FULL)
            with suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")

    def _settle(self, outcomes: list[_Outcome]) -> None:
        """Hands each outcome to its request's event loop: one call per loop, whatever the batch size."""
        self._answered += len(outcomes)
        by_loop: dict[asyncio.AbstractEventLoop, list[_Outcome]] = {}
        for outcome in outcomes:
            by_loop.setdefault(outcome[0].loop, []).append(outcome)
        for loop, some in by_loop.items():
            with suppress(RuntimeError):  # that loop is closed: nobody is waiting any more
                loop.call_soon_threadsafe(_resolve, some)


def _resolve(outcomes: list[_Outcome]) -> None:
    for job, result, error in outcomes:
        if job.future.done():  # the request was cancelled (its client went away)
            continue
        if error is None:
            job.future.set_result(result)
        else:
            job.future.set_exception(error)
