"""The storage interface the handlers use, so that a PostgreSQL backend can replace SQLite.

A stored status is the JSON object the API returns, minus ``@odata.type``: property names as on the wire,
values exactly as received (date-times stay strings, so 7 fractional digits and leap seconds survive).
"""

from __future__ import annotations

from typing import Any, Protocol

Status = dict[str, Any]


class StoreError(Exception):
    """Base of the errors a store raises on purpose."""


class DuplicateId(StoreError):
    """A status with this id already exists in the configuration."""


class Unavailable(StoreError):
    """The store cannot do this now (read-only, full, locked); reads may still work."""


class CannotOpen(StoreError):
    """The store cannot be opened at all, not even for reading: the service cannot start."""


class Store(Protocol):
    """Statuses keyed by (configuration id, status id), listed in creation order."""

    def create(self, config_id: str, status: Status) -> Status: ...

    def get(self, config_id: str, status_id: str) -> Status | None: ...

    def page(self, config_id: str, skip: int, limit: int) -> list[Status]: ...

    def count(self, config_id: str) -> int: ...

    def update(self, config_id: str, status_id: str, changes: Status) -> Status | None: ...

    def delete(self, config_id: str, status_id: str) -> bool: ...

    def close(self) -> None: ...
