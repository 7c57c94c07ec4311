"""The headline promise, readable: every valid status is accepted, every invalid value is rejected with
a 400 OData error naming the property; the same for types, formats and bounds."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import jsonschema
import pytest

from tests.contract import document
from tests.contract.api import Api
from tests.contract.target import Target

STATUSES = document.statuses()
DOCUMENTED_CREATE = document.documented_create()
INVALID_STATUSES: list[Any] = ["Compliant", "", "banana", 1, None, [], {}, " compliant ", "compliant\n", "COMPLIANT"]
VIOLATIONS: list[tuple[str, Any]] = [
    ("devicesCount", 2**31),
    ("devicesCount", -(2**31) - 1),
    ("devicesCount", "12"),
    ("devicesCount", 1.5),
    ("devicesCount", None),
    ("devicesCount", True),
    ("lastReportedDateTime", "2017-01-01T00:00:00"),
    ("lastReportedDateTime", "2017-02-30T00:00:00Z"),
    ("lastReportedDateTime", "2017-01-01 00:00:00Z"),
    ("lastReportedDateTime", "yesterday"),
    ("lastReportedDateTime", 1483228800),
    ("userDisplayName", 5),
    ("userPrincipalName", ["a"]),
    ("id", ""),
    ("id", 7),
    ("id", "$count"),  # a route, never addressable as an id
    ("id", "$x"),
    ("id", "x" * 129),
    ("userDisplayName", "x" * 257),  # strings are bounded, so pages are
    ("userPrincipalName", "é" * 257),
    ("@odata.type", "#microsoft.graph.user"),
    ("unknownProperty", "x"),
]


def create(api: Api, collection: str, body: Any) -> Any:
    return api.request("POST", api.target.base_url + collection, json=body)


def existing(api: Api, collection: str) -> str:
    """A status to update, created in setup: when that fails, the report says so once, not as each test's failure."""
    step = "create a status to update"
    created = api.expect(create(api, collection, {}), 201, step=step)
    status_id = api.body(created, step=step).get("id")
    if not isinstance(status_id, str):
        raise api.mismatch(created, "an id", "none", step=step)
    return status_id


@pytest.fixture
def url(api: Api, collection: str, method: str) -> str:
    """Where a POST or PATCH test sends its body: the collection, or a status created in setup."""
    return (
        api.target.base_url + collection + ("" if method == "POST" else f"/{quote(existing(api, collection), safe='')}")
    )


@pytest.mark.parametrize("status", STATUSES)
def test_every_status_is_accepted_on_create_and_update(api: Api, collection: str, status: str) -> None:
    created = api.expect_kept(api.expect(create(api, collection, {"status": status}), 201), {"status": status})
    updated = api.request("PATCH", f"{api.target.base_url}{collection}/{created['id']}", json={"status": status})
    api.expect_kept(api.expect(updated, 200), {"status": status})


@pytest.mark.parametrize("value", INVALID_STATUSES, ids=repr)
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_invalid_status_is_rejected_naming_status(
    api: Api, url: str, odata_error_validator: jsonschema.Draft202012Validator, method: str, value: Any
) -> None:
    response = api.request(method, url, json={"status": value})
    error = api.expect_error(response, 400, odata_error_validator)
    api.expect_equal(response, "error.code", "BadRequest", error["code"])
    api.expect_equal(response, "error.target", "status", error["target"])
    if "status" not in error["message"]:
        raise api.mismatch(response, "an error.message naming status", f"error.message = {error['message']!r}")


@pytest.mark.parametrize(("prop", "value"), VIOLATIONS, ids=[f"{p}={v!r}" for p, v in VIOLATIONS])
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_type_format_and_bound_violations_are_rejected(
    api: Api, url: str, odata_error_validator: jsonschema.Draft202012Validator, method: str, prop: str, value: Any
) -> None:
    response = api.request(method, url, json={prop: value})
    error = api.expect_error(response, 400, odata_error_validator)
    api.expect_equal(response, "error.target", prop, error["target"])


@pytest.mark.parametrize(
    "body",
    [
        {"devicesCount": 2**31 - 1},
        {"devicesCount": -(2**31)},
        {"userDisplayName": None, "userPrincipalName": None},
        {"lastReportedDateTime": "2016-12-31T23:59:60Z"},
        {"lastReportedDateTime": "2017-01-01T00:00:00.123456789+14:00"},
        {"@odata.type": "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus"},
        {"id": "client-chosen-id"},
        {"id": "x" * 128, "userDisplayName": "é" * 256, "userPrincipalName": "\u2028" * 256},
    ],
    ids=lambda body: repr(body)[:60],
)
def test_edge_values_are_accepted_and_kept(api: Api, collection: str, body: dict[str, Any]) -> None:
    api.expect_kept(api.expect(create(api, collection, body), 201), body)


@pytest.mark.parametrize("status_id", ["a$b", "x/y?z#%", "..", "é ✓", "x" * 128])
def test_every_accepted_id_is_addressable(api: Api, collection: str, status_id: str) -> None:
    step = "create a status with that id"
    api.expect_kept(
        api.expect(create(api, collection, {"id": status_id}), 201, step=step), {"id": status_id}, step=step
    )
    url = f"{api.target.base_url}{collection}/{quote(status_id, safe='').replace('.', '%2E')}"
    for method, body, status in (("GET", None, 200), ("PATCH", {"devicesCount": 1}, 200), ("DELETE", None, 204)):
        api.expect(api.request(method, url, json=body), status)


def test_create_is_201_and_echoes_every_property(api: Api, collection: str) -> None:
    body = api.expect_kept(api.expect(create(api, collection, DOCUMENTED_CREATE), 201), DOCUMENTED_CREATE)
    fetched = api.request("GET", f"{api.target.base_url}{collection}/{quote(body['id'], safe='')}")
    api.expect_kept(api.expect(fetched, 200), DOCUMENTED_CREATE)
    listed = api.request("GET", api.target.base_url + collection)
    items = api.body(api.expect(listed, 200)).get("value")
    if isinstance(items, list) and all(isinstance(item, dict) for item in items):
        items = [{k: item.get(k) for k in DOCUMENTED_CREATE} for item in items]
    api.expect_equal(listed, "value", [DOCUMENTED_CREATE], items)


def test_missing_or_bad_token_is_401(
    target: Target, collection: str, odata_error_validator: jsonschema.Draft202012Validator
) -> None:
    api = Api(target)
    for token in (None, "not-a-real-token"):
        with target.client(token) as client:
            for method, path in (("POST", collection), ("GET", collection), ("GET", collection + "/$count")):
                response = client.request(method, target.base_url + path, json={} if method == "POST" else None)
                api.expect_error(response, 401, odata_error_validator)
                challenge = response.headers.get("www-authenticate", "")
                if not challenge.startswith("Bearer"):
                    raise api.mismatch(
                        response, "a WWW-Authenticate: Bearer header", repr(challenge) if challenge else "none"
                    )


def test_read_scope_cannot_write(
    target: Target, collection: str, odata_error_validator: jsonschema.Draft202012Validator
) -> None:
    if target.read_token is None:
        pytest.skip("no CONTRACT_READ_TOKEN given")
    api = Api(target)
    with target.client(target.read_token) as client:
        api.expect(client.get(target.base_url + collection), 200)
        api.expect_error(client.post(target.base_url + collection, json={}), 403, odata_error_validator)
