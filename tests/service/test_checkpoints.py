"""Checkpoints run on their own thread: the log reaches the database file without the writer waiting for it."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

from service.sqlite_checkpoints import EVERY_WRITES, WRITER_CHECKPOINT_PAGES
from service.sqlite_store import SqliteStore


def rows_in_the_database_file(db: Path) -> int:
    """What the main file holds, the log ignored (``immutable``): only what a checkpoint copied there."""
    reader = sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return int(reader.execute("SELECT COUNT(*) FROM user_status").fetchone()[0])
    except sqlite3.OperationalError:  # not even the table yet: the migration is still in the log
        return 0
    except sqlite3.DatabaseError:  # "malformed": a checkpoint is copying pages, and an immutable reader saw half
        return 0
    finally:
        reader.close()


def test_the_checkpoint_thread_copies_the_log_into_the_database(tmp_path: Path) -> None:
    db = tmp_path / "statuses.db"
    store = SqliteStore(db)
    try:
        assert store.connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == WRITER_CHECKPOINT_PAGES

        async def creates() -> None:
            await asyncio.gather(*(store.create("cfg", {"id": f"s{i}"}) for i in range(EVERY_WRITES + 10)))

        asyncio.run(creates())
        deadline = time.monotonic() + 20  # a bound for a hang, not a timing: the checkpoint is asked for at once
        copied = rows_in_the_database_file(db)
        while copied < EVERY_WRITES and time.monotonic() < deadline:
            time.sleep(0.02)
            copied = rows_in_the_database_file(db)
        assert copied >= EVERY_WRITES
    finally:
        store.close()
    assert rows_in_the_database_file(db) == EVERY_WRITES + 10  # and closing copies the rest
