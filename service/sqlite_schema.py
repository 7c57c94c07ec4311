"""The SQLite file: its tables and migrations, how its connections are opened, and what its errors mean.

A database that cannot be written (read-only file, directory or file system) can still be opened for
reading: ``open_read_only`` says whether, and ``not_writable`` recognises the errors that mean so.
"""

from __future__ import annotations

import sqlite3
from contextlib import suppress
from pathlib import Path
from typing import Any, Literal

from service.store import CannotOpen, Status, Unavailable

SCHEMA_VERSION = 2
#: Versions this service can read without migrating them (2 only adds an index), for read-only databases.
READABLE_VERSIONS = (1, 2)
#: (wire name, column, default when never set) in response order; defaults are Graph's for value types.
COLUMNS: tuple[tuple[str, str, Any], ...] = (
    ("id", "status_id", None),
    ("userDisplayName", "user_display_name", None),
    ("devicesCount", "devices_count", 0),
    ("status", "status", "unknown"),
    ("lastReportedDateTime", "last_reported_date_time", "0001-01-01T00:00:00Z"),
    ("userPrincipalName", "user_principal_name", None),
)
BY_WIRE = {wire: column for wire, column, _ in COLUMNS}
SELECT = ", ".join(column for _, column, _ in COLUMNS)
INSERT = f"INSERT INTO user_status (config_id, {SELECT}) VALUES (?{', ?' * len(COLUMNS)})"  # noqa: S608
#: Statements per schema version, run in one transaction with the version bump.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE user_status (
            seq INTEGER PRIMARY KEY,  -- rowid: increasing, so ORDER BY seq is creation order
            config_id TEXT NOT NULL,
            status_id TEXT NOT NULL,
            user_display_name TEXT,
            devices_count INTEGER NOT NULL,
            status TEXT NOT NULL,
            last_reported_date_time TEXT NOT NULL,
            user_principal_name TEXT,
            UNIQUE (config_id, status_id)
        )""",
    ),
    # The list order: without it a page sorts every row of its configuration, and a deep page walks them all.
    2: ("CREATE INDEX user_status_list ON user_status (config_id, seq)",),
}
#: SQLite errors meaning "this file cannot be written here" (EROFS is SQLITE_CANTOPEN): worth reading only.
_NOT_WRITABLE = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")


def open_writable(path: Path | str, sync: Literal["normal", "full"], busy_ms: int) -> sqlite3.Connection:
    """A read-write connection in WAL mode, migrated; sqlite3.Error when the file cannot be written."""
    if str(path) == ":memory:":
        raise CannotOpen("the store needs a file: its writer and readers share it")
    with suppress(OSError):  # a read-only parent: SQLite says what that means for the file
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        db.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
        db.execute("PRAGMA journal_mode = WAL")  # writes (a read-only directory fails here)
        db.execute(f"PRAGMA synchronous = {'FULL' if sync == 'full' else 'NORMAL'}")
        _migrate(db)
    except BaseException:
        db.close()
        raise
    return db


def open_for_checkpoints(path: Path | str, sync: Literal["normal", "full"]) -> sqlite3.Connection:
    """A second read-write connection, for checkpoints only: they sync as the writer's commits do."""
    db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    db.execute(f"PRAGMA synchronous = {'FULL' if sync == 'full' else 'NORMAL'}")
    return db


def _migrate(db: sqlite3.Connection) -> None:
    """Brings the file to SCHEMA_VERSION in one transaction; CannotOpen for a newer schema."""
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        current = db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0
        if current > SCHEMA_VERSION:
            raise CannotOpen(f"database schema {current} is newer than this service ({SCHEMA_VERSION})")
        for version in range(current + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version]:
                db.execute(statement)
            db.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:  # SQLite may already have rolled back (e.g. on SQLITE_FULL)
            db.execute("ROLLBACK")
        raise


def open_read_only(path: Path | str, busy_ms: int) -> sqlite3.Connection:
    """A read-only connection to an existing database this service can read; CannotOpen says why not.

    A WAL database in a directory nobody can write, without its ``-wal``/``-shm`` files, can only be read as
    ``immutable`` (SQLite cannot create the shared-memory file): nothing can be writing to it then, since a
    writer would need that directory too. Plain ``mode=ro`` is tried first.
    """
    uri = Path(path).absolute().as_uri()
    error: sqlite3.Error | None = None
    for options in ("mode=ro", "mode=ro&immutable=1"):
        if error is not None and not not_writable(error):
            break
        db: sqlite3.Connection | None = None
        try:
            db = sqlite3.connect(f"{uri}?{options}", uri=True, isolation_level=None, check_same_thread=False)
            db.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
            version = db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
        except sqlite3.Error as failure:
            if db is not None:
                db.close()
            error = failure
            continue
        if version not in READABLE_VERSIONS:
            db.close()
            raise CannotOpen(f"{path} is read-only and has schema version {version}, not {SCHEMA_VERSION}")
        return db
    raise CannotOpen(f"cannot open {path}: {error}")


def not_writable(error: BaseException | None) -> bool:
    """Whether ``error`` says the file cannot be written here (so it may still be read)."""
    return isinstance(error, sqlite3.Error) and _error_name(error).startswith(_NOT_WRITABLE)


def unavailable(error: sqlite3.Error) -> Unavailable:
    """What to tell the client: the kind of failure, without SQL or paths. A busy database is worth retrying
    soon; a full or broken one later."""
    name = _error_name(error)
    if name.startswith("SQLITE_READONLY"):
        return Unavailable("the database is read-only")
    if name.startswith("SQLITE_FULL"):
        return Unavailable("the database or disk is full")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return Unavailable("the database is busy", retry_after=1)
    return Unavailable("the database failed")


def is_busy(error: sqlite3.Error) -> bool:
    return _error_name(error).startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def status_of(row: tuple[Any, ...] | list[Any]) -> Status:
    return {wire: value for (wire, _, _), value in zip(COLUMNS, row, strict=True)}


def _error_name(error: sqlite3.Error) -> str:
    return str(getattr(error, "sqlite_errorname", ""))
