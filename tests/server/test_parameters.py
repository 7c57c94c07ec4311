"""Path, query and header parameters: OData names (also as %24...), coercion, bounds, unknown options."""

from __future__ import annotations

import pytest

from tests.server.conftest import BASE, RW, Caller, FakeHandlers, error_of


def test_query_options_arrive_typed(call: Caller, handlers: FakeHandlers) -> None:
    response = call("GET", BASE + "?%24top=5&%24skip=0&$count=true&%24select=id,status", headers=RW)
    assert response.status_code == 200
    ((name, args),) = handlers.calls
    assert name == "list"
    assert (args["top"], args["skip"], args["count"], args["select"]) == (5, 0, True, ["id", "status"])


def test_absent_options_are_none(call: Caller, handlers: FakeHandlers) -> None:
    assert call("GET", BASE, headers=RW).status_code == 200
    args = handlers.calls[0][1]
    assert (args["top"], args["skip"], args["count"], args["select"]) == (None, None, None, None)


@pytest.mark.parametrize(
    ("query", "target", "fragment"),
    [
        ("$top=abc", "$top", "Invalid value 'abc' for query option '$top': expected an integer"),
        ("$top=-1", "$top", "must be >= 0"),
        ("$top=2147483648", "$top", "must be <= 2147483647"),
        ("$top=1.5", "$top", "expected an integer"),
        ("$top=" + "9" * 5000, "$top", "expected an integer"),
        ("$count=yes", "$count", "expected true or false"),
        ("$select=id,nope", "$select[1]", "'nope' for query option '$select[1]': expected one of 'id'"),
        ("$select=id,id", "$select", "query option '$select'"),
        ("$select=", "$select", "query option '$select'"),  # an empty array, and the spec says minItems 1
        ("$top=1&$top=2", "$top", "given more than once"),
        ("$select=id&$select=status", "$select", "given more than once: send its values once, comma-separated"),
        ("$filter=x", "$filter", "Query option '$filter' is not supported"),
        ("unknown=1", "unknown", "Query option 'unknown' is not supported"),
    ],
)
def test_bad_query_options_are_400(
    call: Caller, handlers: FakeHandlers, query: str, target: str, fragment: str
) -> None:
    response = call("GET", BASE + "?" + query, headers=RW)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "BadRequest"
    assert error["target"] == target
    assert fragment in error["message"]
    assert handlers.calls == []


def test_query_not_utf8_is_400(call: Caller) -> None:
    response = call("GET", BASE + "?$select=%ff", headers=RW)
    assert response.status_code == 400
    assert "UTF-8" in error_of(response)["message"]


def test_too_many_query_fields_is_400(call: Caller) -> None:
    response = call("GET", BASE + "?" + "&".join(["$top=1"] * 200), headers=RW)
    assert response.status_code == 400


def test_path_not_utf8_is_400(call: Caller) -> None:
    response = call("GET", BASE + "/%ff%fe", headers=RW)
    assert response.status_code == 400
    assert error_of(response)["code"] == "BadRequest"
