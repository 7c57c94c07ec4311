"""Microsoft's own Graph SDK (msgraph-sdk), pointed at the sandbox, can list, create, get, update, count and delete."""

from __future__ import annotations

import asyncio
import datetime
from pathlib import Path

import httpx
import pytest
from kiota_abstractions.authentication import AnonymousAuthenticationProvider
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.device_app_management.mobile_app_configurations.item.user_statuses.user_statuses_request_builder import (  # noqa: E501
    UserStatusesRequestBuilder,
)
from msgraph.generated.models.compliance_status import ComplianceStatus
from msgraph.generated.models.managed_device_mobile_app_configuration_user_status import (
    ManagedDeviceMobileAppConfigurationUserStatus as Status,
)
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.graph_request_adapter import GraphRequestAdapter
from msgraph.graph_service_client import GraphServiceClient

from tests.service.conftest import RW, make_service

pytestmark = pytest.mark.slow


def test_graph_sdk_round_trip(tmp_path: Path) -> None:
    service = make_service(tmp_path / "db.sqlite")

    async def run() -> None:
        transport = httpx.ASGITransport(app=service.app)
        async with httpx.AsyncClient(transport=transport, headers=RW) as http:
            adapter = GraphRequestAdapter(AnonymousAuthenticationProvider(), client=http)
            adapter.base_url = "http://127.0.0.1:8000/v1.0"
            graph = GraphServiceClient(request_adapter=adapter)
            statuses = (
                graph.device_app_management.mobile_app_configurations.by_managed_device_mobile_app_configuration_id(
                    "cfg-1"
                ).user_statuses
            )
            when = datetime.datetime(2017, 1, 1, 8, 0, 17, tzinfo=datetime.timezone(datetime.timedelta(hours=-8)))
            body = Status(user_display_name="Ada", devices_count=3, status=ComplianceStatus.NonCompliant,
                          last_reported_date_time=when)  # fmt: skip
            created = await statuses.post(body)
            assert created is not None
            assert created.id
            assert (created.status, created.last_reported_date_time) == (ComplianceStatus.NonCompliant, when)
            await statuses.post(Status(status=ComplianceStatus.Compliant))

            query = UserStatusesRequestBuilder.UserStatusesRequestBuilderGetQueryParameters(top=1, count=True)
            page = await statuses.get(RequestConfiguration(query_parameters=query))  # sends %24top, %24count
            assert page is not None
            assert page.value is not None
            assert [item.id for item in page.value] == [created.id]
            assert page.odata_count == 2
            assert page.odata_next_link is not None

            one = statuses.by_managed_device_mobile_app_configuration_user_status_id(created.id)
            got = await one.get()
            assert got is not None
            assert got.user_display_name == "Ada"
            updated = await one.patch(Status(status=ComplianceStatus.Error))
            assert updated is not None
            assert (updated.status, updated.devices_count) == (ComplianceStatus.Error, 3)
            assert await statuses.count.get() == 2
            await one.delete()
            with pytest.raises(ODataError) as missing:
                await one.get()
            assert missing.value.response_status_code == 404
            assert missing.value.error is not None
            assert missing.value.error.code == "ResourceNotFound"
            with pytest.raises(ODataError) as invalid:
                await statuses.post(Status(devices_count=2**31))
            assert invalid.value.response_status_code == 400

    try:
        asyncio.run(run())
    finally:
        service.store.close()
