"""codegen.naming: any text becomes a safe, distinct identifier."""

from __future__ import annotations

import keyword

import pytest

from codegen.naming import IDENTIFIER, Scope, pascal, snake


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("managedDeviceMobileAppConfigurationId", "managed_device_mobile_app_configuration_id"),
        ("$top", "top"),
        ("X-Trace-Id", "x_trace_id"),
        ("HTTPServer", "http_server"),
        ("class", "class_"),
        ("id", "id_"),
        ("None", "none"),
        ("123abc", "n123abc"),
        ("1st-place", "n1st_place"),
        ("", "value"),
        ("$$$", "value"),
        ("naïve", "naive"),
        ("a'b\"c", "a_b_c"),
        ("__import__('os')", "import_os"),
    ],
)
def test_snake(text: str, expected: str) -> None:
    assert snake(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("complianceStatus", "ComplianceStatus"), ("odata.error", "OdataError"), ("1st", "N1st"), ("None", "None_")],
)
def test_pascal(text: str, expected: str) -> None:
    assert pascal(text) == expected


@pytest.mark.parametrize("text", ["def", "import", "lambda", "match", "type", "list", "print", "\u2028", "{x}", "../a"])
def test_results_are_never_keywords_or_builtins(text: str) -> None:
    for name in (snake(text), pascal(text)):
        assert IDENTIFIER.match(name)
        assert not keyword.iskeyword(name)
        assert not keyword.issoftkeyword(name)
        assert name not in dir(__builtins__)


def test_scope_keeps_colliding_names_distinct() -> None:
    scope = Scope({"taken"})
    names = [scope.claim(snake(t)) for t in ("fooBar", "foo_bar", "FooBar", "taken", "ctx")]
    assert names == ["foo_bar", "foo_bar_2", "foo_bar_3", "taken_2", "ctx_"]


def test_a_scope_hands_out_suffixes_in_order_however_many_names_collide() -> None:
    # 20,000 operations named alike (a hostile or generated spec): each claim resumes where the last stopped.
    scope = Scope()
    assert [scope.claim("x") for _ in range(20_000)][-2:] == ["x_19999", "x_20000"]
    assert scope.claim("x_3") == "x_3_2"  # taken by the run above
    assert scope.claim("x") == "x_20001"
