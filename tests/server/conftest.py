"""A fake Handlers implementation and helpers to call the generated server in-process."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from generated.server import App, RequestContext, bearer_tokens, create_app
from generated.server.models import (
    ManagedDeviceMobileAppConfigurationUserStatus as Status,
)
from generated.server.models import (
    ManagedDeviceMobileAppConfigurationUserStatusCollectionResponse as Page,
)
from generated.server.models import (
    ManagedDeviceMobileAppConfigurationUserStatusUpdate as StatusUpdate,
)

BASE = "/v1.0/deviceAppManagement/mobileAppConfigurations/cfg-1/userStatuses"
READ = "DeviceManagementApps.Read.All"
WRITE = "DeviceManagementApps.ReadWrite.All"
TOKENS = {"rw-token": [WRITE], "r-token": [READ], "none-token": []}
RW = {"Authorization": "Bearer rw-token"}
R = {"Authorization": "Bearer r-token"}


class FakeHandlers:
    """Records every call; behaviour switches let a test pick what the handler does."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.raise_error: Exception | None = None
        self.reply: Any = None

    def _record(self, name: str, kwargs: dict[str, Any]) -> None:
        self.calls.append((name, kwargs))
        if self.raise_error is not None:
            raise self.raise_error

    async def list_user_statuses(
        self,
        ctx: RequestContext,
        *,
        managed_device_mobile_app_configuration_id: str,
        count: bool | None,
        select: list[Any] | None,
        skip: int | None,
        skiptoken: str | None,
        top: int | None,
    ) -> Page:
        self._record("list", {"cid": managed_device_mobile_app_configuration_id, "count": count, "select": select,
                              "skip": skip, "skiptoken": skiptoken, "top": top, "base_url": ctx.base_url})  # fmt: skip
        return self.reply if self.reply is not None else {"value": []}

    async def create_user_statuses(
        self, ctx: RequestContext, *, managed_device_mobile_app_configuration_id: str, body: Status
    ) -> Status:
        self._record("create", {"cid": managed_device_mobile_app_configuration_id, "body": body, "ctx": ctx})
        return self.reply if self.reply is not None else {**body, "id": "new-id"}

    async def get_count(self, ctx: RequestContext, *, managed_device_mobile_app_configuration_id: str) -> int:
        self._record("count", {"cid": managed_device_mobile_app_configuration_id})
        return 7

    async def get_user_statuses(
        self,
        ctx: RequestContext,
        *,
        managed_device_mobile_app_configuration_id: str,
        managed_device_mobile_app_configuration_user_status_id: str,
        select: list[Any] | None,
    ) -> Status:
        sid = managed_device_mobile_app_configuration_user_status_id
        self._record("get", {"cid": managed_device_mobile_app_configuration_id, "sid": sid, "select": select})
        return {"id": sid}

    async def update_user_statuses(
        self,
        ctx: RequestContext,
        *,
        managed_device_mobile_app_configuration_id: str,
        managed_device_mobile_app_configuration_user_status_id: str,
        body: StatusUpdate,
    ) -> Status:
        self._record("update", {"sid": managed_device_mobile_app_configuration_user_status_id, "body": body})
        return {**body, "id": managed_device_mobile_app_configuration_user_status_id}

    async def delete_user_statuses(
        self,
        ctx: RequestContext,
        *,
        managed_device_mobile_app_configuration_id: str,
        managed_device_mobile_app_configuration_user_status_id: str,
    ) -> None:
        self._record("delete", {"sid": managed_device_mobile_app_configuration_user_status_id})


@pytest.fixture
def handlers() -> FakeHandlers:
    return FakeHandlers()


@pytest.fixture
def app(handlers: FakeHandlers) -> App:
    return create_app(handlers, authenticator=bearer_tokens(TOKENS), max_body_bytes=4096, validate_responses=True)


Caller = Callable[..., httpx.Response]


@pytest.fixture
def call(app: App) -> Caller:
    """``call(method, url, **httpx_kwargs)``: one request through the ASGI app, synchronously."""

    def run(method: str, url: str, **kwargs: Any) -> httpx.Response:
        return request(app, method, url, **kwargs)

    return run


def request(app: Any, method: str, url: str, **kwargs: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.request(method, url, **kwargs)

    return asyncio.run(go())


def error_of(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    error: dict[str, Any] = body["error"]
    assert set(error) == {"code", "message", "target", "details", "innerError"}
    assert error["innerError"]["request-id"] == response.headers["request-id"]
    return error
