"""What group commit did, for the log line at shutdown and for the benchmark: how many writes each
transaction held, and how many writes were refused instead of waiting."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class BatchStats:
    """Counters; ``accepted`` and ``rejected_full`` are counted where writes are queued, the rest by the writer."""

    accepted: int = 0
    rejected_full: int = 0
    #: Writes answered 503 because the write lock could not be had before their deadline.
    timed_out: int = 0
    transactions: int = 0
    #: Writes in committed transactions (a write that broke a constraint counts: it was answered in one).
    writes: int = 0
    largest: int = 0
    #: Transactions by size: key k counts those holding more than 2**(k-1) and at most 2**k writes.
    sizes: dict[int, int] = field(default_factory=dict)

    def record(self, size: int) -> None:
        """One committed transaction of ``size`` writes."""
        self.transactions += 1
        self.writes += size
        self.largest = max(self.largest, size)
        bucket = (size - 1).bit_length()
        self.sizes[bucket] = self.sizes.get(bucket, 0) + 1

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready; sizes keyed by their upper bound (``"<=32"``)."""
        return {
            "accepted": self.accepted,
            "rejected_full": self.rejected_full,
            "timed_out": self.timed_out,
            "transactions": self.transactions,
            "writes": self.writes,
            "largest": self.largest,
            "sizes": {f"<={2**k}": n for k, n in sorted(self.sizes.items())},
        }
