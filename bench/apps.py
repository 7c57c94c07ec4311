"""The ASGI apps under load: the generated server and its two baselines.

- ``generated``: the generated server with a trivial in-memory handler, bearer-token auth on.
- ``starlette_floor``: a bare Starlette endpoint that parses JSON and answers 201, validating nothing.
- ``fixed_limit``: a raw ASGI app that answers a fixed 201: the most any Python ASGI app can do here.
- ``service``: the reference service, storing every create in SQLite (WAL) at ``$BENCH_DB``.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections import OrderedDict
from pathlib import Path
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.batches import ReportsBatches
from generated.server import RequestContext, bearer_tokens, create_app
from generated.server.models import ManagedDeviceMobileAppConfigurationUserStatus as Status
from generated.server.models import ManagedDeviceMobileAppConfigurationUserStatusCollectionResponse as Page
from service.app import ServiceApp
from service.auth import ServiceAuthenticator
from service.sqlite_store import SqliteStore

TOKEN = "bench-token"  # noqa: S105 - a local benchmark credential, not a secret
PATH = "/v1.0/deviceAppManagement/mobileAppConfigurations/cfg/userStatuses"
_ids = itertools.count()


class MemoryHandlers:
    """Keeps the latest statuses in a bounded dict: the cheapest honest handler. Bounded, because a heap
    that grows by a dict per request makes the garbage collector, not the server, the thing measured. An
    OrderedDict, because evicting the oldest from a plain dict scans the holes earlier evictions left (O(n))."""

    def __init__(self, keep: int = 1000) -> None:
        self.items: OrderedDict[str, Status] = OrderedDict()
        self.keep = keep

    async def create_user_statuses(
        self, ctx: RequestContext, *, managed_device_mobile_app_configuration_id: str, body: Status
    ) -> Status:
        created: Status = {**body, "id": body.get("id") or str(next(_ids))}
        self.items[created["id"]] = created
        if len(self.items) > self.keep:
            self.items.popitem(last=False)
        return created

    async def list_user_statuses(self, ctx: RequestContext, **_: Any) -> Page:
        return {"value": list(self.items.values())[:10]}

    async def get_count(self, ctx: RequestContext, **_: Any) -> int:
        return len(self.items)

    async def get_user_statuses(self, ctx: RequestContext, **_: Any) -> Status:
        return {}

    async def update_user_statuses(self, ctx: RequestContext, **_: Any) -> Status:
        return {}

    async def delete_user_statuses(self, ctx: RequestContext, **_: Any) -> None:
        return None


generated = create_app(MemoryHandlers(), authenticator=bearer_tokens({TOKEN: ["DeviceManagementApps.ReadWrite.All"]}))


async def _starlette_create(request: Request) -> Response:
    body = orjson.loads(await request.body())
    body["id"] = str(next(_ids))
    return Response(orjson.dumps(body), status_code=201, media_type="application/json")


starlette_floor = Starlette(routes=[Route(PATH, _starlette_create, methods=["POST"])])

_FIXED = b'{"id":"1","status":"compliant"}'


async def fixed_limit(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(_FIXED)).encode())]
    await send({"type": "http.response.start", "status": 201, "headers": headers})
    await send({"type": "http.response.body", "body": _FIXED})


_store = SqliteStore(Path(os.environ.get("BENCH_DB") or Path(tempfile.mkdtemp()) / "bench.db"))
_writer_auth = ServiceAuthenticator({TOKEN: ["DeviceManagementApps.ReadWrite.All"]})
service = ReportsBatches(ServiceApp(_store, _writer_auth), _store)
