"""The storage interface the handlers use, so that a PostgreSQL backend can replace SQLite.

A stored status is the JSON object the API returns, minus ``@odata.type``: property names as on the wire,
values exactly as received (date-times stay strings, so 7 fractional digits and leap seconds survive).
Every call but ``close`` is a coroutine that never blocks the event loop: the store does its I/O elsewhere.
"""

from __future__ import annotations

from typing import Any, Protocol

Status = dict[str, Any]
#: A listed status with its position: an integer that grows in creation order (``page(after=...)`` resumes
#: after it) and fits in 63 bits.
Positioned = tuple[int, Status]


class StoreError(Exception):
    """Base of the errors a store raises on purpose."""


class DuplicateId(StoreError):
    """A status with this id already exists in the configuration."""


class Unavailable(StoreError):
    """The store cannot do this now (read-only, full, locked, overloaded); reads may still work.

    ``retry_after`` is how many seconds a client should wait before trying again.
    """

    def __init__(self, reason: str, retry_after: int = 5) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class CannotOpen(StoreError):
    """The store cannot be opened at all, not even for reading: the service cannot start."""


class Store(Protocol):
    """Statuses keyed by (configuration id, status id), listed in creation order.

    A write returns only once it is durable. ``close`` finishes the writes already accepted, then releases
    everything; it is called once, after the server has stopped.
    """

    read_only: bool

    async def create(self, config_id: str, status: Status) -> Status: ...

    async def get(self, config_id: str, status_id: str) -> Status | None: ...

    async def page(self, config_id: str, *, after: int, skip: int, limit: int) -> list[Positioned]:
        """At most ``limit`` statuses positioned after ``after`` (0: from the first), skipping ``skip`` more."""
        ...

    async def count(self, config_id: str) -> int: ...

    async def update(self, config_id: str, status_id: str, changes: Status) -> Status | None: ...

    async def delete(self, config_id: str, status_id: str) -> bool: ...

    def close(self) -> None: ...
