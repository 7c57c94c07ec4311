"""codegen.runtime.asgi: what the runtime reads from an ASGI scope."""

from __future__ import annotations

import pytest

from codegen.runtime.asgi import base_url, headers_of, segments
from codegen.runtime.errors import BadRequest, RequestHeaderFieldsTooLarge


def test_repeated_headers_are_joined_in_order() -> None:
    scope = {"headers": [(b"accept", b"a"), (b"x", b"1"), (b"accept", b"b")]}
    assert headers_of(scope, 100, 1000) == {"accept": "a, b", "x": "1"}


def test_too_many_headers_are_a_431() -> None:
    scope = {"headers": [(b"x-a", b"1")] * 101}
    with pytest.raises(RequestHeaderFieldsTooLarge, match="more than 100 headers"):
        headers_of(scope, 100, 10**9)


def test_headers_too_large_in_all_are_a_431() -> None:
    scope = {"headers": [(b"x-a", b"v" * 20_000), (b"x-b", b"v" * 20_000)]}
    with pytest.raises(RequestHeaderFieldsTooLarge, match="larger than 32768 bytes"):
        headers_of(scope, 100, 32 * 1024)


def test_each_segment_is_decoded_on_its_own() -> None:
    assert segments({"raw_path": b"/a%2Fb/%24count/%E2%9C%93?x=1"}) == ["a/b", "$count", "\u2713"]
    assert segments({"path": "/plain/path"}) == ["plain", "path"]


def test_the_mount_point_is_not_part_of_the_route() -> None:
    assert segments({"raw_path": b"/api/items", "root_path": "/api"}) == ["items"]


def test_a_path_that_is_not_utf8_is_a_400() -> None:
    with pytest.raises(BadRequest, match="not valid UTF-8"):
        segments({"raw_path": b"/a/%ff"})


def test_base_url_prefers_the_host_header() -> None:
    scope = {"scheme": "https", "server": ("10.0.0.1", 8443), "root_path": "/api"}
    assert base_url(scope, {"host": "example.com"}, "/v1.0") == "https://example.com/api/v1.0"
    assert base_url(scope, {}, "/v1.0") == "https://10.0.0.1:8443/api/v1.0"
    assert base_url({"server": ("h", 80)}, {}, "") == "http://h"


@pytest.mark.parametrize("host", ["evil.example/phish?x=", "a b", "x@evil.example", "evil.example#frag", "é.example"])
def test_a_host_header_that_is_not_a_host_is_not_echoed_into_links(host: str) -> None:
    assert base_url({"server": ("10.0.0.1", 8000)}, {"host": host}, "/v1.0") == "http://10.0.0.1:8000/v1.0"


@pytest.mark.parametrize(
    "host", ["api.example.com", "api.example.com:8443", "127.0.0.1:8000", "[::1]:8000", "localhost"]
)
def test_a_well_formed_host_is_used(host: str) -> None:
    assert base_url({}, {"host": host}, "/v1.0") == f"http://{host}/v1.0"
