"""Graph-style errors and headers on every response, handler errors, and OAuth2 scopes."""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

import pytest

from generated.server import Conflict, NoAuthentication, NotFound, Reply, create_app
from tests.server.conftest import BASE, RW, Caller, FakeHandlers, R, error_of, request


def test_request_id_is_a_new_guid_and_client_request_id_defaults_to_it(call: Caller) -> None:
    first, second = call("GET", BASE, headers=RW), call("GET", BASE, headers=RW)
    assert uuid.UUID(first.headers["request-id"]).version == 4
    assert first.headers["request-id"] != second.headers["request-id"]
    assert first.headers["client-request-id"] == first.headers["request-id"]


def test_client_request_id_is_echoed_on_success_and_error(call: Caller) -> None:
    ok = call("GET", BASE, headers={**RW, "client-request-id": "abc-123"})
    assert ok.headers["client-request-id"] == "abc-123"
    bad = call("POST", BASE, json={"status": "x"}, headers={**RW, "client-request-id": "abc-123"})
    assert bad.headers["client-request-id"] == "abc-123"
    assert error_of(bad)["innerError"]["client-request-id"] == "abc-123"


def test_unsafe_client_request_id_is_not_echoed(call: Caller) -> None:
    response = call("GET", BASE, headers={**RW, "client-request-id": "x" * 500})
    assert response.headers["client-request-id"] == response.headers["request-id"]


@pytest.mark.parametrize(("error", "status", "code"), [(NotFound("gone"), 404, "ResourceNotFound"),
                                                       (Conflict("taken", target="id"), 409, "Conflict")])  # fmt: skip
def test_handler_errors_map_to_their_status(
    call: Caller, handlers: FakeHandlers, error: Exception, status: int, code: str
) -> None:
    handlers.raise_error = error
    response = call("POST", BASE, json={}, headers=RW)
    assert response.status_code == status
    assert error_of(response)["code"] == code
    assert error_of(response)["message"] == str(error)


def test_unexpected_exception_is_500_without_internals_and_logged(
    call: Caller, handlers: FakeHandlers, caplog: pytest.LogCaptureFixture
) -> None:
    handlers.raise_error = RuntimeError("secret database password in this message")
    with caplog.at_level(logging.ERROR):
        response = call("POST", BASE, json={}, headers=RW)
    assert response.status_code == 500
    assert "secret" not in response.text
    assert error_of(response)["code"] == "InternalServerError"
    assert response.headers["request-id"] in caplog.text
    assert "secret database password" in caplog.text


def test_reply_that_breaks_the_spec_is_a_500_when_validating_responses(call: Caller, handlers: FakeHandlers) -> None:
    handlers.reply = {"status": "not-a-status"}
    assert call("POST", BASE, json={}, headers=RW).status_code == 500


def test_reply_chooses_status_and_headers(call: Caller, handlers: FakeHandlers) -> None:
    handlers.reply = Reply({"id": "x"}, status=201, headers={"Location": "/x"})
    response = call("POST", BASE, json={}, headers=RW)
    assert (response.status_code, response.headers["location"]) == (201, "/x")


def test_delete_is_204_without_body(call: Caller) -> None:
    response = call("DELETE", BASE + "/s1", headers=RW)
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers


def test_missing_token_is_401_with_www_authenticate(call: Caller, handlers: FakeHandlers) -> None:
    response = call("POST", BASE, json={})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert error_of(response)["code"] == "InvalidAuthenticationToken"
    assert handlers.calls == []


@pytest.mark.parametrize("authorization", ["Bearer wrong", "Basic cnctdG9rZW4=", "Bearer ", "rw-token"])
def test_bad_credentials_are_401(call: Caller, authorization: str) -> None:
    response = call("GET", BASE, headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_scopes_are_enforced_per_operation(call: Caller, handlers: FakeHandlers) -> None:
    assert call("GET", BASE, headers=R).status_code == 200
    assert call("GET", BASE + "/$count", headers=R).status_code == 200
    for method, url in (("POST", BASE), ("PATCH", BASE + "/s"), ("DELETE", BASE + "/s")):
        response = call(method, url, json={}, headers=R)
        assert response.status_code == 403, method
        assert error_of(response)["code"] == "Forbidden"
    none = call("GET", BASE, headers={"Authorization": "Bearer none-token"})
    assert none.status_code == 403
    assert [name for name, _ in handlers.calls] == ["list", "count"]


def test_authenticator_runs_before_the_body_is_read(app: Any) -> None:
    async def receive() -> dict[str, Any]:
        raise AssertionError("the body must not be read before authentication")

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": BASE, "raw_path": BASE.encode(), "query_string": b"",
             "headers": [(b"content-type", b"application/json")], "scheme": "http", "root_path": ""}  # fmt: skip
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 401


def test_principal_reaches_the_handler(call: Caller, handlers: FakeHandlers) -> None:
    call("POST", BASE, json={}, headers=RW)
    principal = handlers.calls[0][1]["ctx"].principal
    assert principal.scopes == frozenset({"DeviceManagementApps.ReadWrite.All"})
    assert "rw-token" not in principal.subject


def test_missing_handler_methods_are_refused_at_build_time() -> None:
    class Partial:
        async def get_count(self) -> int:
            return 0

    with pytest.raises(TypeError, match="create_user_statuses"):
        create_app(Partial(), authenticator=NoAuthentication())  # type: ignore[arg-type]


def test_lifespan_is_answered(app: Any) -> None:
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent: list[str] = []

    async def receive() -> dict[str, Any]:
        return next(messages)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message["type"])

    asyncio.run(app({"type": "lifespan"}, receive, send))
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


def test_websocket_connections_are_closed(app: Any) -> None:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "websocket.connect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app({"type": "websocket", "path": "/v1.0/x", "headers": []}, receive, send))
    assert sent == [{"type": "websocket.close", "code": 1008}]


def test_success_headers_are_added(handlers: FakeHandlers) -> None:
    app = create_app(handlers, authenticator=NoAuthentication(), success_headers={"OData-Version": "4.0"})
    assert request(app, "GET", BASE).headers["odata-version"] == "4.0"
    assert "odata-version" not in request(app, "GET", BASE + "?$top=x").headers
