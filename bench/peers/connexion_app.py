"""connexion 3 (AsyncApp) serving the 3.0 rendition of openapi.yaml, with request validation on.

connexion reads only OpenAPI 3.0: the harness writes ``bench.peers.openapi30``'s rendition of the spec to
``$BENCH_PEER_SPEC``. The spec's OAuth2 scheme is enforced by connexion itself through ``x-tokenInfoFunc`` (the
token's scopes against the operation's); bodies are validated against the spec's schema (formats too: the
benchmark venv has rfc3339-validator, without which jsonschema skips ``date-time``), an invalid one answers 400.
Runs from ``.bench-venv/``: connexion is not a project dependency.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import secrets
from pathlib import Path
from typing import Any

from connexion import AsyncApp
from connexion.options import SwaggerUIOptions
from connexion.resolver import Resolver

TOKEN = os.environ["BENCH_TOKEN"]
_ids = itertools.count()
_store: dict[str, dict[str, Any]] = {}  # the latest 1,000, as bench.apps.MemoryHandlers keeps them


def token_info(token: str) -> dict[str, Any] | None:
    if secrets.compare_digest(token, TOKEN):
        return {"sub": "bench", "scope": ["DeviceManagementApps.ReadWrite.All"]}
    return None


async def create_user_statuses(
    managedDeviceMobileAppConfigurationId: str,
    body: dict[str, Any],
) -> tuple[dict[str, Any], int]:
    created = {**body, "id": body.get("id") or str(next(_ids))}
    _store[created["id"]] = created
    if len(_store) > 1000:
        del _store[next(iter(_store))]
    return created, 201


async def not_benchmarked(**_: Any) -> tuple[dict[str, Any], int]:
    return {"error": {"code": "NotImplemented", "message": "only create is benchmarked"}}, 501


def _handler(operation_id: str) -> Any:
    return create_user_statuses if operation_id.endswith(".CreateUserStatuses") else not_benchmarked


def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(Path(os.environ["BENCH_PEER_SPEC"]).read_text())
    for scheme in spec["components"]["securitySchemes"].values():
        if scheme["type"] == "oauth2":
            scheme["x-tokenInfoFunc"] = f"{__name__}.token_info"
    return spec


# connexion logs every 4xx as a warning: off, as uvicorn's access log is for every app measured.
logging.getLogger("connexion.middleware.exceptions").setLevel(logging.ERROR)
app = AsyncApp(__name__, swagger_ui_options=SwaggerUIOptions(swagger_ui=False))
app.add_api(_spec(), resolver=Resolver(function_resolver=_handler))
