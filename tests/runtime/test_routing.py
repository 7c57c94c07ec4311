"""codegen.runtime.routing: the segment tree compiled from path templates, and what it refuses."""

from __future__ import annotations

import pytest

from codegen.runtime.routing import RouteError, Router, parameter_names


def router(*routes: tuple[str, str], base_path: str = "") -> Router[str]:
    built: Router[str] = Router(base_path)
    for template, method in routes:
        built.add(template, method, f"{method} {template}")
    return built


def match(r: Router[str], path: str) -> tuple[dict[str, str], list[str]] | None:
    found = r.match(path.split("/")[1:])
    return None if found is None else (dict(found[0]), found[1])


def test_parameters_are_captured_in_path_order() -> None:
    r = router(("/shops/{shop}/items/{item}", "GET"))
    assert match(r, "/shops/s1/items/i9") == ({"GET": "GET /shops/{shop}/items/{item}"}, ["s1", "i9"])


def test_a_literal_segment_wins_over_a_parameter() -> None:
    r = router(("/items/{id}", "GET"), ("/items/$count", "GET"))
    assert match(r, "/items/$count") == ({"GET": "GET /items/$count"}, [])
    assert match(r, "/items/7") == ({"GET": "GET /items/{id}"}, ["7"])


def test_a_dead_end_after_a_literal_backtracks_into_the_parameter() -> None:
    r = router(("/a/b/d", "GET"), ("/a/{x}/c", "GET"))
    assert match(r, "/a/b/c") == ({"GET": "GET /a/{x}/c"}, ["b"])
    assert match(r, "/a/b/d") == ({"GET": "GET /a/b/d"}, [])


def test_every_method_of_a_path_comes_back_together() -> None:
    r = router(("/items", "GET"), ("/items", "POST"))
    assert match(r, "/items") == ({"GET": "GET /items", "POST": "POST /items"}, [])


@pytest.mark.parametrize("path", ["/items//x", "/items/", "/items/7/extra", "/other", "/", "/items"])
def test_what_does_not_match_is_none(path: str) -> None:
    r = router(("/items/{id}/x", "GET"), ("/items/{id}", "GET"))
    assert match(r, path) is None


def test_a_parameter_never_matches_an_empty_segment() -> None:
    assert match(router(("/a/{x}", "GET")), "/a/") is None


def test_the_base_path_prefixes_every_template() -> None:
    r = router(("/items/{id}", "GET"), base_path="/v1.0/")
    assert match(r, "/v1.0/items/3") == ({"GET": "GET /items/{id}"}, ["3"])
    assert match(r, "/items/3") is None


def test_empty_template_segments_are_dropped() -> None:
    r = router(("//items//{id}/", "GET"))
    assert match(r, "/items/3") == ({"GET": "GET //items//{id}/"}, ["3"])


def test_two_templates_no_request_can_tell_apart_are_refused() -> None:
    r = router(("/a/{x}", "GET"), ("/a/{x}", "PUT"))
    with pytest.raises(RouteError, match=r"GET /a/\{y\} matches the same requests as /a/\{x\}"):
        r.add("/a/{y}", "GET", "again")


def test_segments_mixing_text_and_parameters() -> None:
    r = router(("/a/{sid}.json", "GET"), ("/a/{sid}", "GET"), ("/a/{sid}.tar.json", "GET"),
               ("/c/{base}...{head}", "GET"), ("/f/thumbnail.{ext}", "GET"), ("/f/{name}", "GET"))  # fmt: skip
    assert match(r, "/a/AC1.json") == ({"GET": "GET /a/{sid}.json"}, ["AC1"])
    assert match(r, "/a/x.tar.json") == ({"GET": "GET /a/{sid}.tar.json"}, ["x"])  # the most literal text wins
    assert match(r, "/a/AC1") == ({"GET": "GET /a/{sid}"}, ["AC1"])
    assert match(r, "/c/a...b...c") == ({"GET": "GET /c/{base}...{head}"}, ["a", "b...c"])
    assert match(r, "/f/thumbnail.png") == ({"GET": "GET /f/thumbnail.{ext}"}, ["png"])
    assert match(r, "/f/thumbnail.") == ({"GET": "GET /f/{name}"}, ["thumbnail."])  # a parameter is never empty


def test_a_mixed_segment_backtracks_like_the_others() -> None:
    r = router(("/a/{x}.json/b", "GET"), ("/a/{y}/c", "GET"))
    assert match(r, "/a/v.json/c") == ({"GET": "GET /a/{y}/c"}, ["v.json"])


@pytest.mark.parametrize(
    ("templates", "message"),
    [(["/x/{a}{b}"], "two parameters with no text between them"),
     (["/x/a}{b}"], "a brace that opens or closes no parameter"), (["/x/{a"], "a brace that opens or closes"),
     (["/x/{a}.json", "/x/{b}.json"], r"GET /x/\{b\}.json matches the same requests as /x/\{a\}.json")],
)  # fmt: skip
def test_templates_no_request_could_tell_apart_are_refused(templates: list[str], message: str) -> None:
    with pytest.raises(RouteError, match=message):
        router(*[(template, "GET") for template in templates])


def test_parameter_names() -> None:
    assert parameter_names("/shops/{shopId}/items/{item_id}/$count") == ["shopId", "item_id"]
    assert parameter_names("/c/{base}...{head}/{id}.json") == ["base", "head", "id"]
    assert parameter_names("/plain") == []
