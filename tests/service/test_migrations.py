"""Schema versions: a version-1 database (no list index) is migrated on open, and served as it is when it
cannot be written; a newer schema than the service knows refuses to start."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from service.sqlite_schema import INSERT, MIGRATIONS, SCHEMA_VERSION
from service.sqlite_store import SqliteStore
from service.store import CannotOpen

ROWS = [("cfg", f"s{i}", None, i, "unknown", "0001-01-01T00:00:00Z", None) for i in range(3)]


def version_1_database(path: Path) -> None:
    """A database as the first release of the service left it."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        for statement in MIGRATIONS[1]:
            db.execute(statement)
        db.execute("INSERT INTO schema_version (version) VALUES (1)")
        db.executemany(INSERT, ROWS)
    db.close()


def indexes(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}


def test_a_version_1_database_migrates_on_open_and_keeps_its_rows(tmp_path: Path) -> None:
    version_1_database(tmp_path / "v1.db")
    with sqlite3.connect(tmp_path / "v1.db") as before:
        assert "user_status_list" not in indexes(before)
    before.close()
    store = SqliteStore(tmp_path / "v1.db")
    try:
        db = store.connection
        assert db.execute("SELECT version FROM schema_version ORDER BY version").fetchall() == [(1,), (SCHEMA_VERSION,)]
        assert "user_status_list" in indexes(db)
        listed = asyncio.run(store.page("cfg", after=0, skip=0, limit=10))
        assert [status["id"] for _, status in listed] == ["s0", "s1", "s2"]
    finally:
        store.close()


def test_a_read_only_version_1_database_is_served_without_migrating(tmp_path: Path) -> None:
    version_1_database(tmp_path / "v1.db")
    store = SqliteStore(tmp_path / "v1.db", read_only=True)
    try:
        assert asyncio.run(store.count("cfg")) == 3
        assert asyncio.run(store.get("cfg", "s1")) == {
            "id": "s1", "userDisplayName": None, "devicesCount": 1, "status": "unknown",
            "lastReportedDateTime": "0001-01-01T00:00:00Z", "userPrincipalName": None,
        }  # fmt: skip
    finally:
        store.close()
    with sqlite3.connect(tmp_path / "v1.db") as after:
        assert after.execute("SELECT MAX(version) FROM schema_version").fetchone() == (1,)
    after.close()


def test_a_newer_schema_refuses_to_start(tmp_path: Path) -> None:
    SqliteStore(tmp_path / "new.db").close()
    with sqlite3.connect(tmp_path / "new.db") as db:
        db.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION + 1,))
    db.close()
    with pytest.raises(CannotOpen, match="newer than this service"):
        SqliteStore(tmp_path / "new.db")
