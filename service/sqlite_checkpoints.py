"""Checkpoints off the writer's path: a thread of its own copies the write-ahead log into the database.

SQLite checkpoints after the commit that fills the log past ``wal_autocheckpoint`` pages, on the writer's
connection, and a checkpoint waits for the disk (fsync): every write queued meanwhile waits too. Here a
background connection checkpoints (``PASSIVE``: it never blocks the writer nor readers) each time the writer
says about ``EVERY_WRITES`` writes were committed, or after a second of quiet. The writer keeps SQLite's own
checkpoint as the bound, at ``WRITER_CHECKPOINT_PAGES``: should the log grow that far (this thread cannot keep
up, or never catches up with the last commit so that the log can restart), the writer checkpoints itself.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable

EVERY_WRITES = 500
WRITER_CHECKPOINT_PAGES = 10_000  # 40 MiB of log at 4 KiB pages
IDLE_SECONDS = 1.0


class Checkpointer:
    """Runs until ``close``; ``committed(n)`` is the writer telling it n more writes are in the log."""

    def __init__(self, connect: Callable[[], sqlite3.Connection]) -> None:
        self._db = connect()
        self._due = threading.Event()
        self._stop = threading.Event()
        self._pending = 0  # writes since the last request, counted by the writer thread only
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoints", daemon=True)
        self._thread.start()

    def committed(self, writes: int) -> None:
        self._pending += writes
        if self._pending >= EVERY_WRITES:
            self._pending = 0
            self._due.set()

    def close(self) -> None:
        self._stop.set()
        self._due.set()
        self._thread.join()
        self._db.close()

    def _run(self) -> None:
        while True:
            self._due.wait(IDLE_SECONDS)
            self._due.clear()
            if self._stop.is_set():
                return
            try:
                self._db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            except sqlite3.Error:  # the next one will try again; the writer's own checkpoint is the bound
                continue
