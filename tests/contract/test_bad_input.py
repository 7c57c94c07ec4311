"""The bad-input catalogue: anything malformed gets a 4xx in Graph's shape, never a 5xx, never a crash."""

from __future__ import annotations

import jsonschema
import pytest

from tests.contract.api import Api

JSON = {"Content-Type": "application/json"}

BODIES: list[tuple[str, bytes, dict[str, str], tuple[int, ...]]] = [
    ("malformed JSON", b'{"status": ', JSON, (400,)),
    ("trailing garbage", b'{"status": "compliant"} x', JSON, (400,)),
    ("non-UTF-8 bytes", b'{"userDisplayName": "\xff\xfe"}', JSON, (400,)),
    ("top-level array", b'[{"status": "compliant"}]', JSON, (400,)),
    ("top-level string", b'"compliant"', JSON, (400,)),
    ("top-level number", b"42", JSON, (400,)),
    ("deeply nested JSON", b'{"userDisplayName": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", JSON, (400, 413)),
    ("huge body", b'{"userDisplayName": "' + b"x" * (2 * 1024 * 1024) + b'"}', JSON, (413,)),
    ("wrong Content-Type", b'{"status": "compliant"}', {"Content-Type": "text/plain"}, (415,)),
    ("form Content-Type", b"status=compliant", {"Content-Type": "application/x-www-form-urlencoded"}, (415,)),
    ("missing Content-Type", b'{"status": "compliant"}', {}, (415,)),
    ("empty body", b"", JSON, (400,)),
    ("NaN", b'{"devicesCount": NaN}', JSON, (400,)),
    ("duplicate keys with a bad value", b'{"status": "compliant", "status": "Compliant"}', JSON, (400,)),
]

QUERIES = [
    "$top=2147483648",
    "$top=100000000000000000000000000000",
    "$top=-1",
    "$top=abc",
    "$skip=-5",
    "$count=maybe",
    "$select=nope",
    "$filter=status eq 'compliant'",
    "$orderby=id",
    "$expand=x",
    "foo=bar",
    "$top=1&$top=2",
    "$select=%ff",
]


@pytest.mark.parametrize(("name", "content", "headers", "statuses"), BODIES, ids=[b[0] for b in BODIES])
def test_bad_bodies(
    api: Api,
    collection: str,
    odata_error_validator: jsonschema.Draft202012Validator,
    name: str,
    content: bytes,
    headers: dict[str, str],
    statuses: tuple[int, ...],
) -> None:
    response = api.request("POST", api.target.base_url + collection, content=content, headers=headers)
    api.expect_error(response, statuses, odata_error_validator)
    count = api.expect(api.request("GET", api.target.base_url + collection + "/$count"), 200)
    api.expect_equal(count, "the count after a rejected create", "0", count.text)  # nothing stored


@pytest.mark.parametrize("query", QUERIES)
def test_bad_query_options(
    api: Api, collection: str, odata_error_validator: jsonschema.Draft202012Validator, query: str
) -> None:
    api.expect_error(api.request("GET", f"{api.target.base_url}{collection}?{query}"), 400, odata_error_validator)


@pytest.mark.parametrize(
    ("method", "suffix", "status"),
    [("PUT", "/some-id", 405), ("POST", "/some-id", 405), ("DELETE", "", 405), ("GET", "/a/b/c", 404),
     ("GET", "/%ff", 400), ("PATCH", "/$count", 405)],
)  # fmt: skip
def test_bad_paths_and_methods(
    api: Api,
    collection: str,
    odata_error_validator: jsonschema.Draft202012Validator,
    method: str,
    suffix: str,
    status: int,
) -> None:
    response = api.request(method, api.target.base_url + collection + suffix, json={} if method != "GET" else None)
    error = api.expect_error(response, status, odata_error_validator)
    if status == 405 and not response.headers.get("allow"):
        raise api.mismatch(response, "an Allow header", "none")
    if not error["code"]:
        raise api.mismatch(response, "an error.code", "an empty one")


def test_unknown_ids_are_404(api: Api, collection: str, odata_error_validator: jsonschema.Draft202012Validator) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        response = api.request(
            method, f"{api.target.base_url}{collection}/no-such-id", json={} if method == "PATCH" else None
        )
        api.expect_error(response, 404, odata_error_validator)
