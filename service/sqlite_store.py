"""The SQLite store: one file in WAL mode, one writer thread (group commit), a few reader threads.

Every write is acknowledged after the transaction holding it has committed, so a killed process loses none
(``synchronous=NORMAL`` in WAL mode survives process crashes; ``full`` also survives power loss, at the price
of an fsync per transaction, shared by every write in it). No call blocks the event loop: while another
process holds the write lock, reads keep answering and writes wait at most ``write_timeout`` seconds.

A database that cannot be written (read-only file, directory or file system) is opened read-only instead of
stopping the service: reads are served and writes raise Unavailable (503 with Retry-After).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Literal

from service.batches import BatchStats
from service.sqlite_checkpoints import WRITER_CHECKPOINT_PAGES, Checkpointer
from service.sqlite_readers import Readers
from service.sqlite_schema import (
    BY_WIRE,
    COLUMNS,
    INSERT,
    SELECT,
    not_writable,
    open_for_checkpoints,
    open_read_only,
    open_writable,
    status_of,
)
from service.sqlite_writer import Write, Writer
from service.store import CannotOpen, DuplicateId, Positioned, Status, Unavailable

READERS = 4
MAX_WAITING_WRITES = 1024
MAX_BATCH = 256
MAX_WAITING_READS = 1024
_GET = f"SELECT {SELECT} FROM user_status WHERE config_id = ? AND status_id = ?"  # noqa: S608 - fixed columns
# The index on (config_id, seq) serves both the filter and the order: a page costs the same at any depth.
PAGE_SQL = f"SELECT seq, {SELECT} FROM user_status WHERE config_id = ? AND seq > ? ORDER BY seq LIMIT ? OFFSET ?"  # noqa: S608
_COUNT = "SELECT COUNT(*) FROM user_status WHERE config_id = ?"


class SqliteStore:
    """The Store protocol over one SQLite file: writes on the writer thread, reads on the reader threads."""

    def __init__(
        self,
        path: Path | str,
        *,
        sync: Literal["normal", "full"] = "normal",
        read_only: bool = False,
        write_timeout: float = 2.0,
    ) -> None:
        """Open (creating and migrating when needed); CannotOpen when the file can be neither written nor read."""
        #: True when writes are refused: asked for, or the database could not be opened for writing.
        self.read_only = read_only
        #: Seconds a write may wait for the write lock before it answers Unavailable.
        self.write_timeout = write_timeout
        self._writer: Writer | None = None
        self._checkpointer: Checkpointer | None = None
        if not read_only:
            try:
                self._open_writer(path, sync, write_timeout)
            except sqlite3.Error as error:
                if not not_writable(error):
                    raise CannotOpen(f"cannot open {path}: {error}") from error
                self.read_only = True
        busy_ms = int(write_timeout * 1000)
        try:
            self._readers = Readers(lambda: open_read_only(path, busy_ms), size=READERS, max_waiting=MAX_WAITING_READS)
        except BaseException:
            self._close_writer()
            raise

    def _open_writer(self, path: Path | str, sync: Literal["normal", "full"], write_timeout: float) -> None:
        """The writer thread and the checkpoint thread; sqlite3.Error when the file cannot be written."""
        db = open_writable(path, sync, int(write_timeout * 1000))
        try:
            db.execute(f"PRAGMA wal_autocheckpoint = {WRITER_CHECKPOINT_PAGES}")
            self._checkpointer = Checkpointer(lambda: open_for_checkpoints(path, sync))
        except BaseException:
            db.close()
            raise
        self._writer = Writer(
            db,
            timeout=write_timeout,
            max_waiting=MAX_WAITING_WRITES,
            max_batch=MAX_BATCH,
            committed=self._checkpointer.committed,
        )

    @property
    def stats(self) -> BatchStats:
        """What group commit did so far (empty when read-only)."""
        return self._writer.stats if self._writer else BatchStats()

    @property
    def connection(self) -> sqlite3.Connection:
        """The write connection, for tests and maintenance, between writes."""
        if self._writer is None:
            raise Unavailable("the database is read-only")
        return self._writer.db

    async def create(self, config_id: str, status: Status) -> Status:
        values = tuple(status.get(wire, default) for wire, _, default in COLUMNS)
        params = (config_id, *values)
        try:
            await self._write(lambda db: db.execute(INSERT, params))
        except sqlite3.IntegrityError:
            raise DuplicateId(status.get("id", "")) from None
        return status_of(values)

    async def get(self, config_id: str, status_id: str) -> Status | None:
        rows = await self._readers.read(lambda db: db.execute(_GET, (config_id, status_id)).fetchall())
        return status_of(rows[0]) if rows else None

    async def page(self, config_id: str, *, after: int, skip: int, limit: int) -> list[Positioned]:
        params = (config_id, after, limit, skip)
        rows = await self._readers.read(lambda db: db.execute(PAGE_SQL, params).fetchall())
        return [(row[0], status_of(row[1:])) for row in rows]

    async def count(self, config_id: str) -> int:
        rows = await self._readers.read(lambda db: db.execute(_COUNT, (config_id,)).fetchall())
        return int(rows[0][0])

    async def update(self, config_id: str, status_id: str, changes: Status) -> Status | None:
        sets = {BY_WIRE[wire]: value for wire, value in changes.items() if wire in BY_WIRE and wire != "id"}
        if not sets:
            return await self.get(config_id, status_id)
        assignments = ", ".join(f"{column} = ?" for column in sets)  # column names come from COLUMNS only
        sql = f"UPDATE user_status SET {assignments} WHERE config_id = ? AND status_id = ? RETURNING {SELECT}"  # noqa: S608
        params = (*sets.values(), config_id, status_id)
        rows: list[Any] = await self._write(lambda db: db.execute(sql, params).fetchall())
        return status_of(rows[0]) if rows else None

    async def delete(self, config_id: str, status_id: str) -> bool:
        sql = "DELETE FROM user_status WHERE config_id = ? AND status_id = ? RETURNING seq"
        rows: list[Any] = await self._write(lambda db: db.execute(sql, (config_id, status_id)).fetchall())
        return bool(rows)

    def close(self) -> None:
        """Commit the writes already accepted, stop the threads, close the connections (the writer's last, so
        that SQLite checkpoints the rest of the log into the database and removes it)."""
        if self._writer is not None:
            self._writer.close()
        self._readers.close()
        self._close_writer()

    async def _write(self, write: Write[Any]) -> Any:
        if self._writer is None:
            raise Unavailable("the database is read-only")
        return await self._writer.write(write)

    def _close_writer(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.close()
        if self._writer is not None:
            self._writer.close()
            self._writer.db.close()
