"""The headline promise, readable: every valid status is accepted, every invalid value is rejected with
a 400 OData error naming the property; the same for types, formats and bounds."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import jsonschema
import pytest

from tests.contract.conftest import Api, Target, assert_odata_error
from tests.spec.test_contract_document import DOCUMENTED_CREATE, STATUSES

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
    response = create(api, collection, {})
    assert response.status_code == 201, api.explain(response)
    status_id: str = response.json()["id"]
    return status_id


@pytest.mark.parametrize("status", STATUSES)
def test_every_status_is_accepted_on_create_and_update(api: Api, collection: str, status: str) -> None:
    created = create(api, collection, {"status": status})
    assert created.status_code == 201, api.explain(created)
    assert created.json()["status"] == status
    updated = api.request("PATCH", f"{api.target.base_url}{collection}/{created.json()['id']}", json={"status": status})
    assert updated.status_code == 200, api.explain(updated)
    assert updated.json()["status"] == status


@pytest.mark.parametrize("value", INVALID_STATUSES, ids=repr)
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_invalid_status_is_rejected_naming_status(
    api: Api, collection: str, odata_error_validator: jsonschema.Draft202012Validator, method: str, value: Any
) -> None:
    url = api.target.base_url + collection + ("" if method == "POST" else f"/{existing(api, collection)}")
    response = api.request(method, url, json={"status": value})
    error = assert_odata_error(api, response, 400, odata_error_validator)
    assert error["code"] == "BadRequest", api.explain(response)
    assert error["target"] == "status", api.explain(response)
    assert "status" in error["message"], api.explain(response)


@pytest.mark.parametrize(("prop", "value"), VIOLATIONS, ids=[f"{p}={v!r}" for p, v in VIOLATIONS])
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_type_format_and_bound_violations_are_rejected(
    api: Api,
    collection: str,
    odata_error_validator: jsonschema.Draft202012Validator,
    method: str,
    prop: str,
    value: Any,
) -> None:
    url = api.target.base_url + collection + ("" if method == "POST" else f"/{existing(api, collection)}")
    response = api.request(method, url, json={prop: value})
    error = assert_odata_error(api, response, 400, odata_error_validator)
    assert error["target"] == prop, api.explain(response)


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
    response = create(api, collection, body)
    assert response.status_code == 201, api.explain(response)
    assert {k: response.json().get(k) for k in body} == body, api.explain(response)


@pytest.mark.parametrize("status_id", ["a$b", "x/y?z#%", "..", "é ✓", "x" * 128])
def test_every_accepted_id_is_addressable(api: Api, collection: str, status_id: str) -> None:
    created = create(api, collection, {"id": status_id})
    assert created.status_code == 201, api.explain(created)
    url = f"{api.target.base_url}{collection}/{quote(status_id, safe='').replace('.', '%2E')}"
    for method, body in (("GET", None), ("PATCH", {"devicesCount": 1}), ("DELETE", None)):
        response = api.request(method, url, json=body)
        assert response.status_code in (200, 204), api.explain(response)


def test_create_is_201_and_echoes_every_property(api: Api, collection: str) -> None:
    response = create(api, collection, DOCUMENTED_CREATE)
    assert response.status_code == 201, api.explain(response)
    body = response.json()
    assert {k: body.get(k) for k in DOCUMENTED_CREATE} == DOCUMENTED_CREATE, api.explain(response)
    fetched = api.request("GET", f"{api.target.base_url}{collection}/{body['id']}")
    assert fetched.status_code == 200, api.explain(fetched)
    assert {k: fetched.json().get(k) for k in DOCUMENTED_CREATE} == DOCUMENTED_CREATE, api.explain(fetched)
    listed = api.request("GET", api.target.base_url + collection)
    assert [{k: item.get(k) for k in DOCUMENTED_CREATE} for item in listed.json()["value"]] == [DOCUMENTED_CREATE]


def test_missing_or_bad_token_is_401(
    target: Target, collection: str, odata_error_validator: jsonschema.Draft202012Validator
) -> None:
    api = Api(target)
    for token in (None, "not-a-real-token"):
        with target.client(token) as client:
            for method, path in (("POST", collection), ("GET", collection), ("GET", collection + "/$count")):
                response = client.request(method, target.base_url + path, json={} if method == "POST" else None)
                assert_odata_error(api, response, 401, odata_error_validator)
                assert response.headers.get("www-authenticate", "").startswith("Bearer"), api.explain(response)


def test_read_scope_cannot_write(
    target: Target, collection: str, odata_error_validator: jsonschema.Draft202012Validator
) -> None:
    if target.read_token is None:
        pytest.skip("no CONTRACT_READ_TOKEN given")
    api = Api(target)
    with target.client(target.read_token) as client:
        assert client.get(target.base_url + collection).status_code == 200
        response = client.post(target.base_url + collection, json={})
        assert_odata_error(api, response, 403, odata_error_validator)
