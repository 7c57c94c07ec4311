"""The SQLite store: one file, WAL, created on first start, with a schema-version table.

Every acknowledged write is committed before the handler returns, so a killed process loses none
(``synchronous=NORMAL`` in WAL mode survives process crashes; ``full`` also survives power loss, at the
price of an fsync per write). The server runs one event loop, so one connection serves all requests.

A database that cannot be written (read-only file, directory or file system) is opened read-only instead of
stopping the service: reads are served and writes raise Unavailable (503 with Retry-After).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Literal

from service.store import CannotOpen, DuplicateId, Status, Unavailable

SCHEMA_VERSION = 1
#: (wire name, column, default when never set) in response order; defaults are Graph's for value types.
COLUMNS: tuple[tuple[str, str, Any], ...] = (
    ("id", "status_id", None),
    ("userDisplayName", "user_display_name", None),
    ("devicesCount", "devices_count", 0),
    ("status", "status", "unknown"),
    ("lastReportedDateTime", "last_reported_date_time", "0001-01-01T00:00:00Z"),
    ("userPrincipalName", "user_principal_name", None),
)
_BY_WIRE = {wire: column for wire, column, _ in COLUMNS}
_SELECT = ", ".join(column for _, column, _ in COLUMNS)
_INSERT = f"INSERT INTO user_status (config_id, {_SELECT}) VALUES (?{', ?' * len(COLUMNS)})"  # noqa: S608
#: Statements per schema version, run in one transaction with the version bump.
_MIGRATIONS: dict[int, tuple[str, ...]] = {
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
}
#: SQLite errors meaning "this file cannot be written here" (EROFS is SQLITE_CANTOPEN): worth reading only.
_NOT_WRITABLE = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")


class SqliteStore:
    def __init__(
        self, path: Path | str, *, sync: Literal["normal", "full"] = "normal", read_only: bool = False
    ) -> None:
        """Open (creating and migrating when needed); CannotOpen when the file can be neither written nor read."""
        #: True when writes are refused: asked for, or the database could not be opened for writing.
        self.read_only = read_only
        if not read_only:
            try:
                self._db = _open_writable(path, sync)
            except sqlite3.Error as error:
                _raise_unless_not_writable(error, path)
            else:
                try:
                    self._migrate()
                    return
                except Unavailable as error:  # the migration's write transaction failed
                    self._db.close()
                    _raise_unless_not_writable(error.__cause__, path)
                except BaseException:
                    self._db.close()
                    raise
            self.read_only = True
        self._db = _open_read_only(path)

    def _migrate(self) -> None:
        with self._transaction():
            self._db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = self._db.execute("SELECT MAX(version) FROM schema_version").fetchone()
            current = row[0] or 0
            if current > SCHEMA_VERSION:
                raise CannotOpen(f"database schema {current} is newer than this service ({SCHEMA_VERSION})")
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[version]:
                    self._db.execute(statement)
                self._db.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """A multi-statement write transaction (migrations); any SQLite failure rolls back, as Unavailable."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:  # SQLite may already have rolled back (e.g. on SQLITE_FULL)
                    self._db.execute("ROLLBACK")
                raise
        except sqlite3.Error as error:
            raise Unavailable(_reason(error)) from error

    # Each write below is one statement in autocommit mode: SQLite makes it atomic and durable on its own,
    # and a failed statement changes nothing.

    def create(self, config_id: str, status: Status) -> Status:
        values = tuple(status.get(wire, default) for wire, _, default in COLUMNS)
        try:
            self._write(_INSERT, (config_id, *values))
        except sqlite3.IntegrityError:
            raise DuplicateId(status.get("id", "")) from None
        return _status(values)

    def get(self, config_id: str, status_id: str) -> Status | None:
        row = self._read(
            f"SELECT {_SELECT} FROM user_status WHERE config_id = ? AND status_id = ?",  # noqa: S608 - fixed columns
            (config_id, status_id),
        )
        return _status(row[0]) if row else None

    def page(self, config_id: str, skip: int, limit: int) -> list[Status]:
        rows = self._read(
            f"SELECT {_SELECT} FROM user_status WHERE config_id = ? ORDER BY seq LIMIT ? OFFSET ?",  # noqa: S608
            (config_id, limit, skip),
        )
        return [_status(row) for row in rows]

    def count(self, config_id: str) -> int:
        rows = self._read("SELECT COUNT(*) FROM user_status WHERE config_id = ?", (config_id,))
        return int(rows[0][0])

    def update(self, config_id: str, status_id: str, changes: Status) -> Status | None:
        sets = {_BY_WIRE[wire]: value for wire, value in changes.items() if wire in _BY_WIRE and wire != "id"}
        if not sets:
            return self.get(config_id, status_id)
        assignments = ", ".join(f"{column} = ?" for column in sets)  # column names come from COLUMNS only
        rows = self._write(
            f"UPDATE user_status SET {assignments} WHERE config_id = ? AND status_id = ? RETURNING {_SELECT}",  # noqa: S608
            (*sets.values(), config_id, status_id),
        )
        return _status(rows[0]) if rows else None

    def delete(self, config_id: str, status_id: str) -> bool:
        rows = self._write(
            "DELETE FROM user_status WHERE config_id = ? AND status_id = ? RETURNING seq", (config_id, status_id)
        )
        return bool(rows)

    def close(self) -> None:
        self._db.close()

    def _read(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as error:
            raise Unavailable(_reason(error)) from error

    def _write(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """One autocommit statement; constraint violations pass through, other failures are Unavailable."""
        if self.read_only:
            raise Unavailable("the database is read-only")
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.IntegrityError:
            raise
        except sqlite3.Error as error:
            raise Unavailable(_reason(error)) from error

    @property
    def connection(self) -> sqlite3.Connection:
        """The underlying connection, for tests and maintenance."""
        return self._db


def _open_writable(path: Path | str, sync: str) -> sqlite3.Connection:
    """A read-write connection in WAL mode; raises sqlite3.Error when the file cannot be written."""
    if str(path) != ":memory:":
        with suppress(OSError):  # a read-only parent: SQLite says what that means for the file
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        db.execute("PRAGMA busy_timeout = 5000")
        db.execute("PRAGMA journal_mode = WAL")  # writes (a read-only directory fails here)
        db.execute(f"PRAGMA synchronous = {'FULL' if sync == 'full' else 'NORMAL'}")
    except sqlite3.Error:
        db.close()
        raise
    return db


def _open_read_only(path: Path | str) -> sqlite3.Connection:
    """A read-only connection to an existing database of this schema version; CannotOpen says why not.

    A WAL database in a directory nobody can write, without its ``-wal``/``-shm`` files, can only be read as
    ``immutable`` (SQLite cannot create the shared-memory file): nothing can be writing to it then, since a
    writer would need that directory too. Plain ``mode=ro`` is tried first.
    """
    uri = Path(path).absolute().as_uri()
    error: sqlite3.Error | None = None
    for options in ("mode=ro", "mode=ro&immutable=1"):
        if error is not None and not _error_name(error).startswith(_NOT_WRITABLE):
            break
        db: sqlite3.Connection | None = None
        try:
            db = sqlite3.connect(f"{uri}?{options}", uri=True, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA busy_timeout = 5000")
            version = db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
        except sqlite3.Error as failure:
            if db is not None:
                db.close()
            error = failure
            continue
        if version != SCHEMA_VERSION:
            db.close()
            raise CannotOpen(f"{path} is read-only and has schema version {version}, not {SCHEMA_VERSION}")
        return db
    raise CannotOpen(f"cannot open {path}: {error}")


def _raise_unless_not_writable(error: BaseException | None, path: Path | str) -> None:
    """Return when ``error`` says the file cannot be written (so it may still be read); else CannotOpen."""
    if isinstance(error, sqlite3.Error) and _error_name(error).startswith(_NOT_WRITABLE):
        return
    raise CannotOpen(f"cannot open {path}: {error}") from error


def _error_name(error: sqlite3.Error) -> str:
    return str(getattr(error, "sqlite_errorname", ""))


def _status(row: tuple[Any, ...]) -> Status:
    return {wire: value for (wire, _, _), value in zip(COLUMNS, row, strict=True)}


def _reason(error: sqlite3.Error) -> str:
    """A message for the client: what kind of failure, without SQL or paths."""
    name = _error_name(error)
    if name.startswith("SQLITE_READONLY"):
        return "the database is read-only"
    if name.startswith("SQLITE_FULL"):
        return "the database or disk is full"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return "the database is busy"
    return "the database failed"
