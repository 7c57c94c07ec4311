"""The generated client against the service: sync and async, in-process (ASGI) and over a real socket.

create -> get -> list -> update -> count -> delete -> 404, with the enum and an offset-carrying
date-time intact (the exact text: 7 fractional digits and a +05:30 offset).
"""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from generated.client import AuthenticatedClient, rfc3339
from generated.client.api.user_statuses import create_user_statuses as create_op
from generated.client.api.user_statuses import delete_user_statuses as delete_op
from generated.client.api.user_statuses import get_count as count_op
from generated.client.api.user_statuses import get_user_statuses as get_op
from generated.client.api.user_statuses import list_user_statuses as list_op
from generated.client.api.user_statuses import update_user_statuses as update_op
from generated.client.models import ComplianceStatus, ODataError
from generated.client.models import ManagedDeviceMobileAppConfigurationUserStatus as Status
from generated.client.models import ManagedDeviceMobileAppConfigurationUserStatusUpdate as StatusUpdate
from tests.asgi import SyncASGITransport
from tests.service.conftest import RW, make_service, start_service

CONFIG = "cfg/with slash"  # the client must encode it into one path segment
WHEN = "2017-01-01T00:00:17.7769392+05:30"


def new_status() -> Status:
    return Status(user_display_name="Ada", devices_count=2, status=ComplianceStatus.NOT_APPLICABLE,
                  last_reported_date_time=WHEN, user_principal_name=None)  # fmt: skip


def check_created(created: Any) -> str:
    assert isinstance(created, Status), created
    assert created.status is ComplianceStatus.NOT_APPLICABLE
    assert created.last_reported_date_time == WHEN
    assert isinstance(created.last_reported_date_time, str)
    when = rfc3339.to_datetime(created.last_reported_date_time)
    assert when.utcoffset() == datetime.timedelta(hours=5, minutes=30)
    assert when.microsecond == 776939
    assert isinstance(created.id, str)
    return created.id


def sync_round_trip(client: AuthenticatedClient) -> None:
    sid = check_created(create_op.sync(CONFIG, client=client, body=new_status()))
    got = get_op.sync(CONFIG, sid, client=client)
    assert isinstance(got, Status)
    assert (got.status, got.last_reported_date_time, got.devices_count) == (ComplianceStatus.NOT_APPLICABLE, WHEN, 2)
    page = list_op.sync(CONFIG, client=client, count=True)
    assert not isinstance(page, ODataError | None)
    assert [item.id for item in page.value] == [sid]
    assert page.odata_count == 1
    updated = update_op.sync(CONFIG, sid, client=client, body=StatusUpdate(status=ComplianceStatus.NON_COMPLIANT))
    assert isinstance(updated, Status)
    assert (updated.status, updated.user_display_name, updated.last_reported_date_time) == (
        ComplianceStatus.NON_COMPLIANT, "Ada", WHEN,
    )  # fmt: skip
    assert count_op.sync(CONFIG, client=client) == 1
    assert delete_op.sync_detailed(CONFIG, sid, client=client).status_code == 204
    missing = get_op.sync_detailed(CONFIG, sid, client=client)
    assert missing.status_code == 404
    assert isinstance(missing.parsed, ODataError)
    assert missing.parsed.error.code == "ResourceNotFound"


async def async_round_trip(client: AuthenticatedClient) -> None:
    sid = check_created(await create_op.asyncio(CONFIG, client=client, body=new_status()))
    got = await get_op.asyncio(CONFIG, sid, client=client)
    assert isinstance(got, Status)
    assert got.last_reported_date_time == WHEN
    page = await list_op.asyncio(CONFIG, client=client)
    assert not isinstance(page, ODataError | None)
    assert sid in [item.id for item in page.value]
    updated = await update_op.asyncio(CONFIG, sid, client=client, body=StatusUpdate(status=ComplianceStatus.CONFLICT))
    assert isinstance(updated, Status)
    assert updated.status is ComplianceStatus.CONFLICT
    count = await count_op.asyncio(CONFIG, client=client)
    assert isinstance(count, int)
    assert count == 1
    assert (await delete_op.asyncio_detailed(CONFIG, sid, client=client)).status_code == 204
    assert (await get_op.asyncio_detailed(CONFIG, sid, client=client)).status_code == 404


@pytest.fixture
def service_app(tmp_path: Path) -> Iterator[Any]:
    running = make_service(tmp_path / "db.sqlite")
    yield running.app
    running.store.close()


def test_sync_in_process(service_app: Any) -> None:
    client = AuthenticatedClient(base_url="http://testserver/v1.0", token="unused")
    transport = SyncASGITransport(service_app)
    with httpx.Client(transport=transport, base_url="http://testserver/v1.0", headers=RW) as http:
        client.set_httpx_client(http)
        sync_round_trip(client)


def test_async_in_process(service_app: Any) -> None:
    async def run() -> None:
        client = AuthenticatedClient(base_url="http://testserver/v1.0", token="unused")
        transport = httpx.ASGITransport(app=service_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver/v1.0", headers=RW) as http:
            client.set_async_httpx_client(http)
            await async_round_trip(client)

    asyncio.run(run())


@pytest.mark.slow
def test_sync_and_async_over_a_socket(tmp_path: Path) -> None:
    running = start_service(tmp_path)
    try:
        with AuthenticatedClient(base_url=running.url + "/v1.0", token="rw") as client:
            sync_round_trip(client)

        async def run() -> None:
            async with AuthenticatedClient(base_url=running.url + "/v1.0", token="rw") as client:
                await async_round_trip(client)

        asyncio.run(run())
    finally:
        running.stop()


def test_sync_all_reads_every_item_through_the_services_skiptoken_links(service_app: Any) -> None:
    client = AuthenticatedClient(base_url="http://testserver/v1.0", token="unused")
    transport = SyncASGITransport(service_app)
    with httpx.Client(transport=transport, base_url="http://testserver/v1.0", headers=RW) as http:
        client.set_httpx_client(http)
        created = [check_created(create_op.sync(CONFIG, client=client, body=new_status())) for _ in range(25)]
        pages = list_op.sync(CONFIG, client=client, top=10)
        assert not isinstance(pages, ODataError | None)
        assert "$skiptoken=" in str(pages.odata_next_link)
        assert [item.id for item in list_op.sync_all(CONFIG, client=client, top=10)] == created
