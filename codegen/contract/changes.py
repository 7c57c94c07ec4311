"""A classified difference between two contract versions, and the report that collects them."""

from __future__ import annotations

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

    def __post_init__(self) -> None:
        if not self.operation:
            object.__setattr__(self, "operation", self.where)
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
    ) -> None:
        self.changes.append(Change(severity, where, message, operation, schema, detail))
