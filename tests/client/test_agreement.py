"""The halves agree: the generated client drives the generated server in-process, and for every operation what
the client is given is what the handler receives, and what the handler returns is what the client decodes.

Values come from the spec itself (schemathesis' strategies for each operation, decoded back from the wire
form schemathesis writes them in), plus the edges the contract is known for, run as explicit examples:
several ``$select`` values, leap seconds, 7-digit fractions, offsets, int32 bounds, null strings, enum
values the client does not know, and paging over several pages.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from schemathesis.core.result import Ok

from codegen.spec import load
from generated.client import AuthenticatedClient, paging, rfc3339, wire
from generated.client.api.user_statuses import (
    create_user_statuses,
    delete_user_statuses,
    get_count,
    get_user_statuses,
    list_user_statuses,
    update_user_statuses,
)
from generated.client.models import (
    ComplianceStatus,
    GetUserStatusesSelectItem,
    ListUserStatusesSelectItem,
    ManagedDeviceMobileAppConfigurationUserStatus,
    ManagedDeviceMobileAppConfigurationUserStatusCollectionResponse,
    ManagedDeviceMobileAppConfigurationUserStatusUpdate,
    ODataError,
)
from generated.server import RequestContext, bearer_tokens, create_app
from tests.asgi import SyncASGITransport
from tests.conftest import SPEC
from tests.spec.test_contract_document import DOCUMENTED_CREATE

BASE = "http://agreement.test/v1.0"
TOKEN = "agreement-token"
COLLECTION = "/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/userStatuses"
ITEM = COLLECTION + "/{managedDeviceMobileAppConfigurationUserStatusId}"
CONFIG_ID, STATUS_ID = "managedDeviceMobileAppConfigurationId", "managedDeviceMobileAppConfigurationUserStatusId"
SETTINGS = settings(max_examples=40, derandomize=True, database=None, deadline=None,
                    suppress_health_check=list(HealthCheck))  # fmt: skip


class Recorder:
    """Handlers that record what they receive and answer what the test says."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.answer: Callable[[RequestContext, dict[str, Any]], Any] = lambda ctx, kwargs: None

    def _record(self, name: str, ctx: RequestContext, kwargs: dict[str, Any]) -> Any:
        self.calls.append((name, kwargs))
        return self.answer(ctx, kwargs)

    async def list_user_statuses(self, ctx: RequestContext, **kwargs: Any) -> Any:
        return self._record("list", ctx, kwargs)

    async def create_user_statuses(self, ctx: RequestContext, **kwargs: Any) -> Any:
        return self._record("create", ctx, kwargs)

    async def get_count(self, ctx: RequestContext, **kwargs: Any) -> Any:
        return self._record("count", ctx, kwargs)

    async def get_user_statuses(self, ctx: RequestContext, **kwargs: Any) -> Any:
        return self._record("get", ctx, kwargs)

    async def update_user_statuses(self, ctx: RequestContext, **kwargs: Any) -> Any:
        return self._record("update", ctx, kwargs)

    async def delete_user_statuses(self, ctx: RequestContext, **kwargs: Any) -> Any:
        return self._record("delete", ctx, kwargs)


RECORDER = Recorder()
# Responses are not validated: the client must cope with what a newer service sends (unknown enum values).
APP = create_app(RECORDER, authenticator=bearer_tokens({TOKEN: ["DeviceManagementApps.ReadWrite.All"]}))
CLIENT = AuthenticatedClient(base_url=BASE, token=TOKEN, httpx_args={"transport": SyncASGITransport(APP)})


def answering(answer: Callable[[RequestContext, dict[str, Any]], Any]) -> Recorder:
    RECORDER.calls.clear()
    RECORDER.answer = answer
    return RECORDER


# ----------------------------------------------------------------------- values generated from the spec


def _operations() -> dict[str, Any]:
    config = schemathesis.Config.from_dict({"base-url": BASE, "generation": {"with-security-parameters": False}})
    schema = schemathesis.openapi.from_dict(load(SPEC).raw, config=config)
    found = {}
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        found[result.ok().label] = result.ok()
    return found


OPERATIONS = _operations()


def cases(method: str, path: str) -> st.SearchStrategy[Any]:
    strategy: st.SearchStrategy[Any] = OPERATIONS[f"{method} {path}"].as_strategy()
    return strategy


def path_value(case: Any, name: str) -> str:
    """A path parameter as the user means it (schemathesis holds it percent-encoded for the wire)."""
    return unquote(str(case.path_parameters[name]), errors="strict")


def query_values(case: Any) -> dict[str, Any]:
    """The query as the user means it: schemathesis writes it in the spec's wire form (``a,b``, ``true``)."""
    decoded: dict[str, Any] = {}
    for name, value in (case.query or {}).items():
        if name == "$select":
            decoded["select"] = str(value).split(",") if value != "" else []
        elif name == "$count":
            decoded["count"] = {"true": True, "false": False}.get(str(value), value)
        else:
            decoded[name.removeprefix("$")] = value
    return decoded


EDGE_STATUSES = [
    {"lastReportedDateTime": "2016-12-31T23:59:60Z"},  # a leap second
    {"lastReportedDateTime": "2017-01-01T00:00:17.7769392-08:00", "devicesCount": 2**31 - 1},  # 7 digits
    {"lastReportedDateTime": "2017-01-01t00:00:00.1+05:30", "devicesCount": -(2**31)},  # lowercase t, offset
    {"userDisplayName": None, "userPrincipalName": None, "status": "notAssigned"},  # null strings
    DOCUMENTED_CREATE,
]


# ------------------------------------------------------------------------------------------- requests


def check_create(config: str, sent: dict[str, Any]) -> None:
    answering(lambda ctx, kwargs: {**kwargs["body"], "id": "created-1"})
    created = create_user_statuses.sync(
        config, client=CLIENT, body=ManagedDeviceMobileAppConfigurationUserStatus.from_dict(sent)
    )
    assert RECORDER.calls == [("create", {"managed_device_mobile_app_configuration_id": config, "body": sent})]
    assert isinstance(created, ManagedDeviceMobileAppConfigurationUserStatus), created
    assert created.to_dict() == {**sent, "id": "created-1"}


@SETTINGS
@given(case=cases("POST", COLLECTION))
def test_create_bodies_from_the_spec_arrive_and_come_back_as_given(case: Any) -> None:
    check_create(path_value(case, CONFIG_ID), case.body)


@pytest.mark.parametrize("body", EDGE_STATUSES)
def test_create_edge_bodies_arrive_and_come_back_as_given(body: dict[str, Any]) -> None:
    check_create("cfg/é 1", body)


@SETTINGS
@given(case=cases("PATCH", ITEM))
def test_update_bodies_and_both_path_parameters_arrive_as_given(case: Any) -> None:
    config, status = path_value(case, CONFIG_ID), path_value(case, STATUS_ID)
    answering(
        lambda ctx, kwargs: {**kwargs["body"], "id": kwargs["managed_device_mobile_app_configuration_user_status_id"]}
    )
    updated = update_user_statuses.sync(
        config, status, client=CLIENT, body=ManagedDeviceMobileAppConfigurationUserStatusUpdate.from_dict(case.body)
    )
    assert RECORDER.calls == [("update", {"managed_device_mobile_app_configuration_id": config,
                                          "managed_device_mobile_app_configuration_user_status_id": status,
                                          "body": case.body})]  # fmt: skip
    assert isinstance(updated, ManagedDeviceMobileAppConfigurationUserStatus), updated
    assert updated.to_dict() == {**case.body, "id": status}


SELECTS = [["status", "userDisplayName"], ["id", "userDisplayName", "devicesCount", "status", "lastReportedDateTime",
                                            "userPrincipalName"]]  # fmt: skip


def check_list(config: str, given_values: dict[str, Any]) -> None:
    page = {"value": [{**DOCUMENTED_CREATE, "id": "a"}], "@odata.count": 1}
    answering(lambda ctx, kwargs: page)
    kwargs = dict(given_values)
    if "select" in kwargs:
        kwargs["select"] = [ListUserStatusesSelectItem(v) for v in kwargs["select"]]
    got = list_user_statuses.sync(config, client=CLIENT, **kwargs)
    expected = {"managed_device_mobile_app_configuration_id": config, "top": None, "skip": None, "skiptoken": None,
                "count": None, "select": None, **given_values}  # fmt: skip
    assert RECORDER.calls == [("list", expected)]
    assert isinstance(got, ManagedDeviceMobileAppConfigurationUserStatusCollectionResponse), got
    assert got.to_dict() == page


@SETTINGS
@given(case=cases("GET", COLLECTION))
def test_list_query_options_from_the_spec_arrive_as_given(case: Any) -> None:
    check_list(path_value(case, CONFIG_ID), query_values(case))


@pytest.mark.parametrize("select", SELECTS)
def test_several_select_values_all_arrive(select: list[str]) -> None:
    check_list("cfg", {"select": select, "top": 2**31 - 1, "count": False})


def check_get(config: str, status: str, given_values: dict[str, Any]) -> None:
    answering(lambda ctx, kwargs: {"id": kwargs["managed_device_mobile_app_configuration_user_status_id"]})
    select = given_values.get("select")
    options = {"select": [GetUserStatusesSelectItem(v) for v in select]} if select is not None else {}
    got = get_user_statuses.sync(config, status, client=CLIENT, **options)
    assert RECORDER.calls == [("get", {"managed_device_mobile_app_configuration_id": config,
                                       "managed_device_mobile_app_configuration_user_status_id": status,
                                       "select": select})]  # fmt: skip
    assert isinstance(got, ManagedDeviceMobileAppConfigurationUserStatus), got
    assert got.id == status


@SETTINGS
@given(case=cases("GET", ITEM))
def test_get_path_parameters_and_select_from_the_spec_arrive_as_given(case: Any) -> None:
    check_get(path_value(case, CONFIG_ID), path_value(case, STATUS_ID), query_values(case))


@pytest.mark.parametrize(("config", "status"), [("a/b ✓", ".."), (".", "%2F"), ("?x=1#y", "a b")])
def test_awkward_path_values_arrive_as_given(config: str, status: str) -> None:
    check_get(config, status, {"select": SELECTS[0]})


@SETTINGS
@given(count=st.integers(0, 2**31 - 1))
@example(count=2**31 - 1)
def test_count_is_an_int(count: int) -> None:
    answering(lambda ctx, kwargs: count)
    got = get_count.sync("cfg", client=CLIENT)
    assert type(got) is int
    assert got == count


def test_delete_arrives_and_answers_no_content() -> None:
    answering(lambda ctx, kwargs: None)
    assert delete_user_statuses.sync_detailed("c", "s", client=CLIENT).status_code == 204
    assert RECORDER.calls == [("delete", {"managed_device_mobile_app_configuration_id": "c",
                                          "managed_device_mobile_app_configuration_user_status_id": "s"})]  # fmt: skip


# ------------------------------------------------------------------------------------------- responses


@pytest.mark.parametrize("status", ["someStatusAddedLater", "Compliant", "", "notApplicable"])
def test_enum_values_the_client_does_not_know_are_kept(status: str) -> None:
    returned = {"id": "a", "status": status}
    answering(lambda ctx, kwargs: returned)
    got = get_user_statuses.sync("c", "a", client=CLIENT)
    assert isinstance(got, ManagedDeviceMobileAppConfigurationUserStatus), got
    assert isinstance(got.status, ComplianceStatus)
    assert got.status.value == status
    assert got.to_dict() == returned


@pytest.mark.parametrize("text", ["2016-12-31T23:59:60Z", "2017-01-01T00:00:17.7769392-08:00", "1985-04-12t23:20:50z"])
def test_date_times_keep_their_text_and_read_as_datetimes(text: str) -> None:
    answering(lambda ctx, kwargs: {"id": "a", "lastReportedDateTime": text})
    got = get_user_statuses.sync("c", "a", client=CLIENT)
    assert isinstance(got, ManagedDeviceMobileAppConfigurationUserStatus), got
    assert got.last_reported_date_time == text
    when = rfc3339.to_datetime(text)
    assert when.tzinfo is not None
    assert rfc3339.to_datetime(rfc3339.from_datetime(when)) == when


def paged(total: int, size: int) -> Callable[[RequestContext, dict[str, Any]], Any]:
    """A list handler that pages like Graph: ``$top`` items from ``$skip``, and a next link while more remain."""

    def answer(ctx: RequestContext, kwargs: dict[str, Any]) -> Any:
        skip = kwargs["skip"] or 0
        page: dict[str, Any] = {"value": [{"id": str(i)} for i in range(skip, min(skip + size, total))]}
        if skip + size < total:
            page["@odata.nextLink"] = (
                f"{ctx.base_url}{COLLECTION.format(**{CONFIG_ID: 'c'})}?$top={size}&$skip={skip + size}"
            )
        return page

    return answer


@pytest.mark.parametrize(("total", "size"), [(7, 2), (6, 3), (0, 5), (1, 5)])
def test_sync_all_follows_every_next_link(total: int, size: int) -> None:
    answering(paged(total, size))
    assert [item.id for item in list_user_statuses.sync_all("c", client=CLIENT, top=size)] == [
        str(i) for i in range(total)
    ]
    assert len(RECORDER.calls) == max(1, -(-total // size))


def test_asyncio_all_follows_every_next_link() -> None:
    async def run() -> list[str]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=APP), base_url=BASE,
                                     headers={"Authorization": f"Bearer {TOKEN}"}) as http:  # fmt: skip
            client = AuthenticatedClient(base_url=BASE, token=TOKEN)
            client.set_async_httpx_client(http)
            return [str(item.id) async for item in list_user_statuses.asyncio_all("c", client=client, top=3)]

    answering(paged(8, 3))
    assert asyncio.run(run()) == [str(i) for i in range(8)]


def test_paging_never_follows_a_link_away_from_the_service() -> None:
    answering(lambda ctx, kwargs: {"value": [], "@odata.nextLink": "http://attacker.test/v1.0/steal"})
    with pytest.raises(paging.PageError, match="leaves the service"):
        list(list_user_statuses.sync_all("c", client=CLIENT))


def test_paging_stops_on_an_error_page() -> None:
    answering(lambda ctx, kwargs: {"value": [{"id": "1"}], "@odata.nextLink": f"{ctx.base_url}/nowhere"})
    with pytest.raises(paging.PageError) as caught:
        list(list_user_statuses.sync_all("c", client=CLIENT))
    assert isinstance(caught.value.answer, ODataError)


# ---------------------------------------------------------------------------------------------- mutant


@pytest.fixture(autouse=True)
def _client_mutant(monkeypatch: pytest.MonkeyPatch) -> None:
    """``CLIENT_MUTANT=explode_select``: the old bug, every array query parameter exploded (see test_mutants)."""
    if os.environ.get("CLIENT_MUTANT") == "explode_select":
        query = wire.query
        monkeypatch.setattr(wire, "query", lambda values, unexploded=(): query(values, ()))
