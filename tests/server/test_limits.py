"""An attacker's requests against the generated server: each is answered in OData's shape, bounded, and early.

Issue 12, items 1-6: repeated and huge headers (431 before authentication), deep JSON (400, not 500), error
bodies bigger than the request, log injection, and integers written as 1.0.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import orjson
import pytest

from generated.server import bearer_tokens, create_app
from tests.server.conftest import BASE, RW, TOKENS, Caller, FakeHandlers, error_of, request

JSON = {**RW, "Content-Type": "application/json"}


class CountingAuthenticator:
    """The service's authenticator, counting its calls: limits must answer before it runs."""

    def __init__(self) -> None:
        self.calls = 0
        self._inner = bearer_tokens(TOKENS)

    async def __call__(self, ctx: Any, security: Any) -> Any:
        self.calls += 1
        return await self._inner(ctx, security)


def test_ten_thousand_repeated_headers_are_a_431_before_authentication(handlers: FakeHandlers) -> None:
    authenticator = CountingAuthenticator()
    app = create_app(handlers, authenticator=authenticator)
    headers = [("x-padding", "v" * 1000)] * 10_000
    response = request(app, "GET", BASE, headers=headers)
    assert response.status_code == 431
    assert error_of(response)["code"] == "RequestHeaderFieldsTooLarge"
    assert (authenticator.calls, handlers.calls) == (0, [])


def raw_call(app: Any, headers: list[tuple[bytes, bytes]]) -> tuple[int, dict[str, Any]]:
    """One GET straight through ASGI: httpx itself is slow to build 100,000 headers."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": BASE, "raw_path": BASE.encode(), "query_string": b"",
             "headers": headers}  # fmt: skip
    asyncio.run(app(scope, receive, send))
    return sent[0]["status"], orjson.loads(sent[1]["body"])["error"]


@pytest.mark.parametrize(
    ("headers", "message"),
    [([(b"x-big", b"v" * (64 * 1024 * 1024))], "larger than 32768 bytes"),
     ([(f"x-h{i}".encode(), b"1") for i in range(100_000)], "more than 100 headers")],
)  # fmt: skip
def test_huge_or_countless_headers_are_a_431(app: Any, headers: list[tuple[bytes, bytes]], message: str) -> None:
    status, error = raw_call(app, [(b"authorization", b"Bearer rw-token"), *headers])
    assert (status, error["code"]) == (431, "RequestHeaderFieldsTooLarge")
    assert message in error["message"]


def test_header_limits_are_configurable(handlers: FakeHandlers) -> None:
    app = create_app(handlers, authenticator=bearer_tokens(TOKENS), max_headers=200, max_header_bytes=200_000)
    response = request(app, "GET", BASE, headers=[*RW.items(), *[(f"x-h{i}", "v" * 500) for i in range(150)]])
    assert response.status_code == 200


def test_deep_json_is_a_400_naming_the_problem(call: Caller, handlers: FakeHandlers) -> None:
    body = b'{"userDisplayName": ' + b"[" * 300 + b"]" * 300 + b"}"
    response = call("POST", BASE, headers=JSON, content=body)
    assert response.status_code == 400
    assert "nested deeper than 64 levels" in error_of(response)["message"]
    assert handlers.calls == []


@pytest.mark.parametrize(
    ("url", "body"),
    [(BASE, orjson.dumps({f"k{i}": 0 for i in range(80_000)})),  # 0.9 MB: under the 1 MiB body limit
     (BASE + "?$select=" + ",".join(["userDisplayName"] * 4000), b""),
     (BASE + "?$select=" + ",".join(f"nope{i}" for i in range(6000)), b"")],
)  # fmt: skip
def test_error_bodies_stay_small_whatever_the_request(handlers: FakeHandlers, url: str, body: bytes) -> None:
    app = create_app(handlers, authenticator=bearer_tokens(TOKENS))  # the default 1 MiB body limit
    response = request(app, "POST" if body else "GET", url, headers=JSON, content=body)
    assert response.status_code == 400
    assert len(response.content) < 40_000, len(response.content)
    assert len(error_of(response)["details"]) <= 20


def test_integers_written_as_floats_arrive_and_answer_as_ints(call: Caller, handlers: FakeHandlers) -> None:
    response = call("POST", BASE, headers=JSON, content=b'{"devicesCount": 1.0, "userDisplayName": "a"}')
    assert response.status_code == 201
    assert response.content.count(b'"devicesCount":1,') + response.content.count(b'"devicesCount":1}') == 1
    received = handlers.calls[0][1]["body"]
    assert type(received["devicesCount"]) is int


def test_what_the_runtime_logs_from_a_request_cannot_forge_log_lines(
    handlers: FakeHandlers, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(handlers, authenticator=bearer_tokens(TOKENS), validate_responses=True)
    handlers.reply = {"id": "x", "status": "evil\nFAKE 200 GET /admin\x1b[31m"}
    with caplog.at_level(logging.ERROR):
        response = request(app, "POST", BASE, headers=JSON, content=b"{}")
    assert response.status_code == 500
    logged = [r.getMessage() for r in caplog.records if "breaks the spec" in r.getMessage()]
    assert logged
    assert all("\n" not in line and "\x1b" not in line for line in logged)
