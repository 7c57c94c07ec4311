"""A classified difference between two contract versions, and the report that collects them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum


class Severity(Enum):
    """What a change does to clients written against the older contract."""

    #: Some existing client fails: a request it sends is refused, or a response it reads surprises it.
    BREAKING = "breaking"
    #: Only clients that refuse enum values they do not know fail (a new value in a response). The generated
    #: client's enums are open, so it keeps working; the changelog still flags it for other clients.
    CLOSED_ENUMS = "breaks closed enums"
    #: Every existing client keeps working.
    COMPATIBLE = "compatible"


BREAKING = Severity.BREAKING
CLOSED_ENUMS = Severity.CLOSED_ENUMS
COMPATIBLE = Severity.COMPATIBLE


@dataclass(frozen=True)
class Change:
    severity: Severity
    #: The operation, as ``METHOD /path (operationId)``.
    where: str
    #: What changed, from the operation's point of view (``response 200.value[].status: enum value(s) added``).
    message: str
    #: The operation named briefly (its operationId, shortened while it stays unique); ``where`` when not given.
    operation: str = ""
    #: The named component schema (``components/schemas/<name>``) the change is inside, if any: the same
    #: change then shows up once per operation using that schema, and the changelog lists it once.
    schema: str | None = None
    #: What changed, from that schema's point of view (``enum value(s) added``); ``message`` when not given.
    detail: str = ""
    #: The operation as ``METHOD /path``; ``where`` when not given.
    endpoint: str = ""

    def __post_init__(self) -> None:
        if not self.operation:
            object.__setattr__(self, "operation", self.where)
        if not self.endpoint:
            object.__setattr__(self, "endpoint", self.where)
        if not self.detail:
            object.__setattr__(self, "detail", self.message)

    @property
    def breaking(self) -> bool:
        return self.severity is BREAKING

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Report:
    changes: list[Change] = field(default_factory=list)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.severity is BREAKING]

    @property
    def closed_enums(self) -> list[Change]:
        return [c for c in self.changes if c.severity is CLOSED_ENUMS]

    @property
    def compatible(self) -> list[Change]:
        return [c for c in self.changes if c.severity is COMPATIBLE]

    def add(
        self,
        severity: Severity,
        where: str,
        message: str,
        operation: str = "",
        schema: str | None = None,
        detail: str = "",
        endpoint: str = "",
    ) -> None:
        self.changes.append(Change(severity, where, message, operation, schema, detail, endpoint))


@dataclass(frozen=True)
class Entry:
    """One distinct change in a group, and the operations (named briefly) it reaches."""

    text: str
    operations: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """The changes of one named schema, or those of one operation that are in no named schema."""

    #: The schema's name; None for an operation's own changes.
    schema: str | None
    #: The schema's name, or the operation as ``METHOD /path``.
    title: str
    #: Every operation the group's changes reach, named briefly (for an operation's group, just itself).
    operations: tuple[str, ...]
    entries: tuple[Entry, ...]


def grouped(changes: Iterable[Change]) -> list[Group]:
    """Changes by named schema (by name), then by operation (in the order given): a change of a schema used by
    four operations is one entry naming the four, not four changes."""
    schemas: dict[str, dict[str, list[str]]] = {}
    own: dict[tuple[str, str], dict[str, list[str]]] = {}
    for change in changes:
        if change.schema is not None:
            entries = schemas.setdefault(change.schema, {})
        else:
            entries = own.setdefault((change.endpoint, change.operation), {})
        reached = entries.setdefault(change.detail, [])
        if change.operation not in reached:
            reached.append(change.operation)
    groups = []
    for name, entries in sorted(schemas.items()):
        operations = tuple(dict.fromkeys(op for reached in entries.values() for op in reached))
        groups.append(Group(name, name, operations, tuple(Entry(t, tuple(r)) for t, r in entries.items())))
    for (endpoint, brief), entries in own.items():
        groups.append(Group(None, endpoint, (brief,), tuple(Entry(t, (brief,)) for t in entries)))
    return groups


def named(operations: Iterable[str], most: int = 8) -> str:
    """Operations as a short list: the first ``most``, then how many more."""
    names = list(operations)
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def summary(changes: Iterable[Change]) -> list[str]:
    """One line per distinct change, for a terminal: ``schema: change (operations)`` or ``operation: change``."""
    lines = []
    for group in grouped(changes):
        for entry in group.entries:
            if group.schema is None:
                lines.append(f"{group.operations[0]}: {entry.text}")
            else:
                lines.append(f"{group.schema}: {entry.text} (in {named(entry.operations)})")
    return lines
