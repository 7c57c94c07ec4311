"""The in-process target: our service (or a mutant of it) over a temporary SQLite file, called without a socket.
Imported only when no CONTRACT_BASE_URL is given: it needs the whole development install."""

from __future__ import annotations

import tempfile
from pathlib import Path

from service.app import ServiceApp
from service.auth import ServiceAuthenticator
from service.sqlite_store import SqliteStore
from tests.asgi import SyncASGITransport
from tests.contract import mutants
from tests.contract.target import READ, SERVE_URL, WRITE, Target

TOKENS = {"contract-rw": [READ, WRITE], "contract-r": [READ]}


def in_process_target(mutant: str | None) -> Target:
    folder = tempfile.TemporaryDirectory(prefix="contract-")
    store = SqliteStore(Path(folder.name) / "contract.db")
    service = ServiceApp(store, ServiceAuthenticator(TOKENS))
    app = mutants.apply(mutant, service, TOKENS)
    if mutant:
        name = f"our service in-process, as mutant {mutant} ({mutants.MUTANTS[mutant]})"
        defect = ", which runs without the mutant's defect"
    else:
        name, defect = "our service, in-process", ""
    hint = (
        f"in-process, requests reach no socket: the curl lines are written for `make serve` ({SERVE_URL}{defect}); "
        "start it, `export TOKEN=$(cat var/dev-token)`, then run them"
    )
    target = Target("http://contract.test/v1.0", "contract-rw", "contract-r", app, name=name, shown_url=SERVE_URL,
                    how_to_reproduce=hint, transport=SyncASGITransport(app))  # fmt: skip

    def cleanup() -> None:
        store.close()
        folder.cleanup()

    target.cleanup = cleanup
    return target
