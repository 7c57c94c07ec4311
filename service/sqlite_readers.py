"""Reads on a few threads, each query on a read-only connection of its own: never on the event loop, never on
the writer's connection. In WAL mode a reader sees the last committed transaction and never waits for the
writer, so reads go on while writes wait for the lock. Bounded: the connections, and the reads waiting."""

from __future__ import annotations

import asyncio
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from service.sqlite_schema import unavailable
from service.store import Unavailable

T = TypeVar("T")
Read = Callable[[sqlite3.Connection], T]


class Readers:
    """``size`` connections from ``connect``, lent to one query at a time."""

    def __init__(self, connect: Callable[[], sqlite3.Connection], *, size: int, max_waiting: int) -> None:
        self._idle: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        self._all: list[sqlite3.Connection] = []
        try:
            for _ in range(size):
                self._all.append(connect())
        except BaseException:
            self._close_connections()
            raise
        for db in self._all:
            self._idle.put(db)
        self._slots = threading.BoundedSemaphore(max_waiting)
        self._pool = ThreadPoolExecutor(size, thread_name_prefix="sqlite-reader")

    async def read(self, read: Read[T]) -> T:
        """``read(connection)`` on a reader thread; Unavailable when too many reads wait or SQLite fails."""
        if not self._slots.acquire(blocking=False):
            raise Unavailable("too many reads are waiting", retry_after=1)
        try:
            future = asyncio.get_running_loop().run_in_executor(self._pool, self._lend, read)
        except RuntimeError:  # the pool has shut down
            self._slots.release()
            raise Unavailable("the service is stopping") from None
        try:
            return await future
        except sqlite3.Error as error:
            raise unavailable(error) from error

    def _lend(self, read: Read[T]) -> T:
        db = self._idle.get()
        try:
            return read(db)
        finally:
            self._idle.put(db)
            self._slots.release()

    def close(self) -> None:
        """Finish the reads already started, then close every connection."""
        self._pool.shutdown(wait=True)
        self._close_connections()

    def _close_connections(self) -> None:
        for db in self._all:
            db.close()
