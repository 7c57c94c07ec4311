"""codegen.runtime.app (and operation): the runtime serves hand-written operations, no generated code needed."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from codegen.runtime.app import App
from codegen.runtime.asgi import Message
from codegen.runtime.context import Reply, RequestContext
from codegen.runtime.errors import Unauthorized
from codegen.runtime.operation import Operation, Parameter, RequestBody, Response, Unserved
from codegen.runtime.security import NoAuthentication
from codegen.runtime.validation import compile_schema

ITEM = compile_schema('{"type": "object", "properties": {"n": {"type": "integer"}}, "additionalProperties": false}')
ID = compile_schema('{"type": "string", "minLength": 1}')
ITEM_ID = Parameter("itemId", "item_id", "path", True, "string", ID)
GET = Operation("getItem", "get_item", "GET", "/items/{itemId}", (ITEM_ID,), frozenset(), None, 200,
                ((("oauth", ("read",)),),), {"200": Response("application/json", "json", ITEM)})  # fmt: skip
PUT_RESPONSES = {"2XX": Response("application/json", "json", ITEM), "default": Response("application/json", "json")}
PUT = Operation("putItem", "put_item", "PUT", "/items/{itemId}", (ITEM_ID,), frozenset(),
                RequestBody(True, "json", ("application/json",), ITEM), 200, (), PUT_RESPONSES)  # fmt: skip


class Handlers:
    def __init__(self) -> None:
        self.seen: list[tuple[str, dict[str, Any]]] = []

    async def get_item(self, ctx: RequestContext, *, item_id: str) -> Any:
        self.seen.append((ctx.operation_id, {"item_id": item_id, "scopes": ctx.principal and ctx.principal.scopes}))
        return {"n": "not an integer"} if item_id == "bad" else {"n": 1}

    async def put_item(self, ctx: RequestContext, *, item_id: str, body: Any) -> Any:
        self.seen.append((ctx.operation_id, {"item_id": item_id, "body": body}))
        return Reply(body, 201, {"Location": f"/items/{item_id}"})


def call(app: App, method: str, path: str, body: bytes = b"", **headers: str) -> tuple[int, dict[str, str], Any]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "raw_path": path.encode(), "query_string": b"",
             "headers": [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()]}  # fmt: skip
    asyncio.run(app(scope, receive, send))
    start, end = sent
    text = end["body"].decode()
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, json.loads(text) if text else None


def app(handlers: Handlers, **options: Any) -> App:
    return App(handlers, operations={"get_item": GET, "put_item": PUT}, authenticator=NoAuthentication(),
               openapi_json=b"{}", base_path="/v1", **options)  # fmt: skip


def test_a_request_reaches_its_handler_with_path_parameters_and_principal() -> None:
    handlers = Handlers()
    status, headers, body = call(app(handlers), "GET", "/v1/items/a%2Fb")
    assert (status, body) == (200, {"n": 1})
    assert handlers.seen == [("getItem", {"item_id": "a/b", "scopes": frozenset({"read"})})]
    assert headers["request-id"] == headers["client-request-id"]


def test_a_reply_chooses_the_status_and_headers_and_ranges_document_it() -> None:
    status, headers, body = call(app(Handlers()), "PUT", "/v1/items/7", b'{"n": 2}', content_type="application/json")
    assert (status, headers["location"], body) == (201, "/items/7", {"n": 2})


def test_405_lists_the_allowed_methods_and_options_answers_them() -> None:
    status, headers, body = call(app(Handlers()), "DELETE", "/v1/items/7")
    assert (status, headers["allow"], body["error"]["code"]) == (405, "GET, OPTIONS, PUT", "MethodNotAllowed")
    status, headers, _ = call(app(Handlers()), "OPTIONS", "/v1/items/7")
    assert (status, headers["allow"]) == (204, "GET, OPTIONS, PUT")


def test_unknown_paths_are_404_and_the_spec_is_served() -> None:
    status, _, body = call(app(Handlers()), "GET", "/v1/things")
    assert (status, body["error"]["message"]) == (404, "Resource not found for the segment 'things'.")
    assert body["error"]["target"] == "things"
    assert call(app(Handlers()), "GET", "/v1/openapi.json")[::2] == (200, {})


def test_a_response_that_breaks_the_spec_is_a_500_when_responses_are_validated() -> None:
    assert call(app(Handlers()), "GET", "/v1/items/bad")[0] == 200
    status, _, body = call(app(Handlers(), validate_responses=True), "GET", "/v1/items/bad")
    assert (status, body["error"]["code"]) == (500, "InternalServerError")


def test_handlers_missing_an_operation_are_refused_at_build_time() -> None:
    class Partial:
        async def get_item(self, ctx: RequestContext, *, item_id: str) -> Any: ...

    with pytest.raises(TypeError, match="lack the operation method"):
        App(Partial(), operations={"get_item": GET, "put_item": PUT}, authenticator=NoAuthentication(),
            openapi_json=b"{}")  # fmt: skip


def test_documented_responses_are_found_exactly_then_by_range_then_default() -> None:
    assert PUT.response(200) is PUT.responses["2XX"]
    assert PUT.response(404) is PUT.responses["default"]
    assert GET.response(200) is GET.responses["200"]
    assert GET.response(500) is None


def test_a_public_url_decides_links_whatever_the_host_header() -> None:
    class Linking(Handlers):
        async def get_item(self, ctx: RequestContext, *, item_id: str) -> Any:
            return {"n": 1} if ctx.base_url == "https://api.example.com/v1" else {"n": ctx.base_url}

    linking = App(Linking(), operations={"get_item": GET, "put_item": PUT}, authenticator=NoAuthentication(),
                  openapi_json=b"{}", base_path="/v1", public_url="https://api.example.com/")  # fmt: skip
    assert call(linking, "GET", "/v1/items/1", host="evil.example")[2] == {"n": 1}


@pytest.mark.parametrize("url", ["ftp://x", "https://", "https://x/?q=1", "https://u@x", "x.example"])
def test_a_public_url_that_is_not_one_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="public_url"):
        app(Handlers(), public_url=url)


def test_a_path_parameter_inside_a_segment_reaches_its_handler() -> None:
    report = Operation("getReport", "get_item", "GET", "/reports/{itemId}.json", (ITEM_ID,), frozenset(), None, 200,
                       (), {"200": Response("application/json", "json")})  # fmt: skip
    handlers = Handlers()
    served = App(handlers, operations={"get_item": report, "put_item": PUT}, authenticator=NoAuthentication(),
                 openapi_json=b"{}")  # fmt: skip
    assert call(served, "GET", "/reports/r%2F1.json")[0] == 200
    assert handlers.seen[-1][1]["item_id"] == "r/1"


SEARCH = Unserved("search", "GET", "/items", "parameter 'filters': an array of objects in the query")


def test_an_unserved_operation_is_501_before_authentication_and_needs_no_handler() -> None:
    class Refusing:
        """An authenticator that lets nobody in: an unserved operation answers 501 all the same."""

        async def __call__(self, ctx: RequestContext, security: Any) -> Any:
            raise Unauthorized("no")

    handlers = Handlers()  # has no ``search`` method, and need not
    served = App(handlers, operations={"get_item": GET, "put_item": PUT}, unserved={"search": SEARCH},
                 authenticator=Refusing(), openapi_json=b"{}", base_path="/v1")  # fmt: skip
    status, headers, body = call(served, "GET", "/v1/items?filters=x", b"{", client_request_id="mine-1")
    assert (status, headers["content-type"], headers["client-request-id"]) == (501, "application/json", "mine-1")
    assert body["error"]["code"] == "NotImplemented"
    assert body["error"]["message"] == (
        "This server does not implement GET /items: parameter 'filters': an array of objects in the query."
    )
    assert body["error"]["innerError"]["request-id"] == headers["request-id"]
    assert handlers.seen == []
    # routed like any operation: other methods on its path are 405s listing it; served ones still authenticate
    status, headers, _ = call(served, "DELETE", "/v1/items")
    assert (status, headers["allow"]) == (405, "GET, OPTIONS")
    assert call(served, "GET", "/v1/items/1")[0] == 401


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/v1/itemz/7", "Resource not found for the segment 'itemz'. Did you mean 'items'?"),  # not the last one
        ("/vv1/items/7", "Resource not found for the segment 'vv1'. Did you mean 'v1'?"),
        ("/v1/items/7/extra", "Resource not found for the segment 'extra'."),  # nothing close: no suggestion
        ("/v1", "Resource not found for the segment 'v1'."),  # a prefix of routes, not one
        ("/v1/" + "x" * 5000 + "/7", "Resource not found for the segment '" + "x" * 900),  # long: no suggestion, cut
    ],
    ids=["typo-in-the-middle", "base-path", "too-long", "prefix", "huge-segment"],
)
def test_a_404_names_the_first_segment_that_matches_nothing(path: str, message: str) -> None:
    status, _, body = call(app(Handlers()), "GET", path)
    assert status == 404
    assert body["error"]["message"].startswith(message), body["error"]["message"]
