"""Request bodies: content type, size, JSON syntax, and validation against the spec's schema."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.server.conftest import BASE, RW, Caller, FakeHandlers, error_of
from tests.spec.test_contract_document import DOCUMENTED_CREATE, STATUSES

JSON = {**RW, "Content-Type": "application/json"}


def test_documented_example_reaches_the_handler_verbatim(call: Caller, handlers: FakeHandlers) -> None:
    response = call("POST", BASE, json=DOCUMENTED_CREATE, headers=RW)
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {**DOCUMENTED_CREATE, "id": "new-id"}
    ((name, args),) = handlers.calls
    assert (name, args["cid"], args["body"]) == ("create", "cfg-1", DOCUMENTED_CREATE)


@pytest.mark.parametrize("status", STATUSES)
def test_every_status_is_accepted(call: Caller, status: str) -> None:
    assert call("POST", BASE, json={"status": status}, headers=RW).status_code == 201


@pytest.mark.parametrize(
    "value",
    [
        "2017-01-01T00:00:17.7769392-08:00",
        "2016-12-31T23:59:60Z",
        "2017-01-01t00:00:00z",
        "2017-01-01T00:00:00.123456789012+14:00",
    ],
)
def test_date_times_are_kept_as_sent(call: Caller, handlers: FakeHandlers, value: str) -> None:
    response = call("POST", BASE, json={"lastReportedDateTime": value}, headers=RW)
    assert response.status_code == 201
    assert handlers.calls[0][1]["body"]["lastReportedDateTime"] == value
    assert response.json()["lastReportedDateTime"] == value


def test_invalid_enum_names_property_value_and_allowed_values(call: Caller, handlers: FakeHandlers) -> None:
    response = call("POST", BASE, json={"status": "Compliant"}, headers=RW)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "BadRequest"
    assert error["target"] == "status"
    assert error["message"] == (
        "Invalid value 'Compliant' for property 'status': expected one of 'unknown', 'notApplicable', 'compliant', "
        "'remediated', 'nonCompliant', 'error', 'conflict', 'notAssigned'."
    )
    assert error["details"] == [{"code": "InvalidValue", "message": error["message"], "target": "status"}]
    assert handlers.calls == []


@pytest.mark.parametrize(
    ("body", "target", "fragment"),
    [
        ({"devicesCount": 2**31}, "devicesCount", "must be <= 2147483647"),
        ({"devicesCount": -(2**31) - 1}, "devicesCount", "must be >= -2147483648"),
        ({"devicesCount": "12"}, "devicesCount", "expected integer"),
        ({"devicesCount": 1.5}, "devicesCount", "expected integer"),
        ({"lastReportedDateTime": "2017-01-01T00:00:00"}, "lastReportedDateTime", "expected a date-time value"),
        ({"lastReportedDateTime": "2017-02-30T00:00:00Z"}, "lastReportedDateTime", "expected a date-time value"),
        ({"userDisplayName": 5}, "userDisplayName", "expected null or string"),
        ({"@odata.type": "#microsoft.graph.user"}, "@odata.type", "expected '#microsoft.graph.managedDevice"),
        ({"id": ""}, "id", "property 'id'"),
        ({"nickname": "x"}, "nickname", "The property 'nickname' does not exist on this type"),
        ({"status": None}, "status", "Invalid value null for property 'status'"),
    ],
)
def test_schema_violations_are_400_naming_the_property(
    call: Caller, body: dict[str, Any], target: str, fragment: str
) -> None:
    response = call("POST", BASE, json=body, headers=RW)
    assert response.status_code == 400
    error = error_of(response)
    assert error["target"] == target
    assert fragment in error["message"]


def test_one_detail_per_violation(call: Caller) -> None:
    body = {"status": "Compliant", "devicesCount": 2**31, "extra": 1}
    error = error_of(call("POST", BASE, json=body, headers=RW))
    assert sorted(d["target"] for d in error["details"]) == ["devicesCount", "extra", "status"]
    assert "(2 more problems in details.)" in error["message"]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"{bad", "not valid JSON"),
        (b'{"status": "compliant"', "not valid JSON"),
        (b'{"userDisplayName": "\xff"}', "not valid JSON"),
        (b"[]", "expected object"),
        (b'"text"', "expected object"),
        (b"null", "expected object"),
        (b"[" * 1500 + b"]" * 1500, "not valid JSON"),  # deeper than orjson parses
        (b"NaN", "not valid JSON"),
    ],
)
def test_malformed_bodies_are_400(call: Caller, handlers: FakeHandlers, content: bytes, fragment: str) -> None:
    response = call("POST", BASE, content=content, headers=JSON)
    assert response.status_code == 400
    assert fragment in error_of(response)["message"]
    assert handlers.calls == []


def test_missing_body_is_400(call: Caller) -> None:
    response = call("POST", BASE, headers=JSON)
    assert response.status_code == 400
    assert error_of(response)["message"] == "A request body is required."


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/xml", "application/json; charset=latin-1", "multipart/form-data; boundary=x"],
)
def test_wrong_content_type_is_415(call: Caller, content_type: str) -> None:
    response = call("POST", BASE, content=b"{}", headers={**RW, "Content-Type": content_type})
    assert response.status_code == 415
    assert error_of(response)["code"] == "UnsupportedMediaType"


def test_missing_content_type_is_415(call: Caller) -> None:
    response = call("POST", BASE, content=b"{}", headers=RW)
    assert response.status_code == 415


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "Application/JSON", "application/json;odata.metadata=minimal"]
)
def test_json_content_type_variants_are_accepted(call: Caller, content_type: str) -> None:
    assert call("POST", BASE, content=b"{}", headers={**RW, "Content-Type": content_type}).status_code == 201


def test_body_over_the_limit_is_413(call: Caller, handlers: FakeHandlers) -> None:
    big = b'{"userDisplayName": "' + b"x" * 5000 + b'"}'
    response = call("POST", BASE, content=big, headers=JSON)
    assert response.status_code == 413
    assert error_of(response)["code"] == "RequestEntityTooLarge"
    assert handlers.calls == []


def test_413_from_content_length_without_reading_the_body(app: Any) -> None:
    """A declared length over the limit is refused before a single body chunk is read."""
    received: list[str] = []

    async def receive() -> dict[str, Any]:
        received.append("read")
        raise AssertionError("the body must not be read")

    status = asyncio.run(_raw_post(app, receive, [(b"content-length", b"999999999")]))
    assert status == 413
    assert received == []


def test_streamed_body_stops_at_the_limit(app: Any) -> None:
    """Without a length, chunks are read only until the limit is passed."""
    chunks = 0

    async def receive() -> dict[str, Any]:
        nonlocal chunks
        chunks += 1
        return {"type": "http.request", "body": b"x" * 1000, "more_body": True}

    assert asyncio.run(_raw_post(app, receive, [])) == 413
    assert chunks == 5  # 4096-byte limit, 1000-byte chunks


async def _raw_post(app: Any, receive: Any, extra_headers: list[tuple[bytes, bytes]]) -> int:
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "method": "POST", "path": BASE, "raw_path": BASE.encode(), "query_string": b"",
        "headers": [(b"authorization", b"Bearer rw-token"), (b"content-type", b"application/json"), *extra_headers],
        "scheme": "http", "server": ("testserver", 80), "root_path": "",
    }  # fmt: skip
    await app(scope, receive, send)
    status: int = sent[0]["status"]
    return status


def test_patch_validates_its_body_too(call: Caller, handlers: FakeHandlers) -> None:
    assert call("PATCH", BASE + "/s1", json={"status": "bogus"}, headers=RW).status_code == 400
    response = call("PATCH", BASE + "/s1", json={"status": "error"}, headers=RW)
    assert response.status_code == 200
    assert handlers.calls == [("update", {"sid": "s1", "body": {"status": "error"}})]
