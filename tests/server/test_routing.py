"""The static router: base path, literal segments, percent-decoding, 404/405/OPTIONS, the served spec."""

from __future__ import annotations

import json

from tests.conftest import SPEC
from tests.server.conftest import BASE, RW, Caller, FakeHandlers, error_of


def test_item_route_passes_decoded_ids(call: Caller, handlers: FakeHandlers) -> None:
    response = call("GET", BASE + "/a%2Fb%20c", headers=RW)
    assert response.status_code == 200
    assert handlers.calls == [("get", {"cid": "cfg-1", "sid": "a/b c", "select": None})]


def test_count_is_a_literal_segment_even_when_encoded(call: Caller, handlers: FakeHandlers) -> None:
    for path in ("/$count", "/%24count"):
        response = call("GET", BASE + path, headers=RW)
        assert response.status_code == 200
        assert response.text == "7"
        assert response.headers["content-type"] == "text/plain"
    assert [name for name, _ in handlers.calls] == ["count", "count"]


def test_unknown_paths_are_404_in_odata_shape(call: Caller, handlers: FakeHandlers) -> None:
    for path in ("/v1.0/nothing", BASE + "/a/b", BASE + "/", "/deviceAppManagement", "/v2/x", "/v1.0"):
        response = call("GET", path, headers=RW)
        assert response.status_code == 404, path
        assert error_of(response)["code"] == "ResourceNotFound"
    assert handlers.calls == []


def test_a_typo_is_named_where_it_is_with_the_route_it_resembles(call: Caller) -> None:
    # The typo is in the third segment; the last one ('userStatuses') is fine.
    response = call("GET", "/v1.0/deviceAppManagement/mobileAppConfiguration/c/userStatuses", headers=RW)
    assert response.status_code == 404
    error = error_of(response)
    assert error["message"] == (
        "Resource not found for the segment 'mobileAppConfiguration'. Did you mean 'mobileAppConfigurations'?"
    )
    assert error["target"] == "mobileAppConfiguration"


def test_wrong_method_is_405_with_allow(call: Caller) -> None:
    response = call("PUT", BASE + "/x", headers=RW)
    assert response.status_code == 405
    assert response.headers["allow"] == "DELETE, GET, OPTIONS, PATCH"
    assert error_of(response)["code"] == "MethodNotAllowed"
    assert call("DELETE", BASE, headers=RW).headers["allow"] == "GET, OPTIONS, POST"


def test_options_answers_allow(call: Caller) -> None:
    response = call("OPTIONS", BASE + "/$count")
    assert response.status_code == 204
    assert response.headers["allow"] == "GET, OPTIONS"
    assert response.content == b""


def test_openapi_json_is_the_spec(call: Caller) -> None:
    import yaml

    response = call("GET", "/v1.0/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert json.loads(response.content) == yaml.safe_load(SPEC.read_text())


def test_other_base_path_and_mounting(handlers: FakeHandlers) -> None:
    from starlette.applications import Starlette
    from starlette.routing import Mount

    from generated.server import bearer_tokens, create_app
    from tests.server.conftest import TOKENS, request

    bare = create_app(handlers, authenticator=bearer_tokens(TOKENS), base_path="/")
    assert request(bare, "GET", BASE.removeprefix("/v1.0") + "/$count", headers=RW).status_code == 200
    mounted = Starlette(routes=[Mount("/api", app=create_app(handlers, authenticator=bearer_tokens(TOKENS)))])
    response = request(mounted, "GET", "/api" + BASE, headers=RW)
    assert response.status_code == 200
    assert handlers.calls[-1][1]["base_url"] == "http://testserver/api/v1.0"
