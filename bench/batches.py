"""The service's group-commit numbers under load: its uvicorn process appends them to ``$BENCH_STATS`` at
shutdown (one JSON line per run), and the benchmark prints them beside the req/s they came with."""

from __future__ import annotations

import json
import os
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from generated.server import Receive, Scope, Send
from service.sqlite_store import SqliteStore


class ReportsBatches:
    """The wrapped app, plus a line of ``store.stats`` in ``$BENCH_STATS`` when the server shuts down."""

    def __init__(self, app: Any, store: SqliteStore) -> None:
        self.app = app
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def receiving() -> MutableMapping[str, Any]:
            message = await receive()
            target = os.environ.get("BENCH_STATS")
            if message["type"] == "lifespan.shutdown" and target:
                with Path(target).open("a", encoding="utf-8") as out:
                    out.write(json.dumps(self.store.stats.as_dict()) + "\n")
            return message

        await self.app(scope, receiving, send)


def summary(path: Path) -> str:
    """One line over every run recorded in ``path``: transactions, writes per transaction, the sizes seen."""
    runs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []
    if not runs:
        return "group commit: no statistics recorded (did the service shut down cleanly?)"
    transactions = sum(run["transactions"] for run in runs)
    writes = sum(run["writes"] for run in runs)
    sizes: dict[str, int] = {}
    for run in runs:
        for bound, count in run["sizes"].items():
            sizes[bound] = sizes.get(bound, 0) + count
    refused = sum(run["rejected_full"] for run in runs), sum(run["timed_out"] for run in runs)
    histogram = ", ".join(f"{bound}: {count}" for bound, count in sorted(sizes.items(), key=lambda i: int(i[0][2:])))
    return (
        f"group commit under load ({len(runs)} runs): {writes} writes in {transactions} transactions, "
        f"{writes / max(transactions, 1):.1f} writes per transaction on average, largest "
        f"{max(run['largest'] for run in runs)}; transactions by size {{{histogram}}}; "
        f"refused: {refused[0]} (queue full), {refused[1]} (lock wait)"
    )
