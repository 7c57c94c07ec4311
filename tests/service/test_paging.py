"""Keyset paging: ``@odata.nextLink`` carries ``$skiptoken``, so pages cost the same at any depth and items
created or deleted between pages make none of the others repeat or go missing."""

from __future__ import annotations

import random
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from service.sqlite_store import PAGE_SQL
from tests.service.conftest import BASE, InProcess
from tests.service.test_handlers import create

TOKEN = re.compile(r"^[0-7][0-9a-f]{15}$")  # the spec's pattern for $skiptoken


def relative(link: str) -> str:
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def page(service: InProcess, url: str) -> dict[str, Any]:
    response = service.call("GET", url)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def ids(body: dict[str, Any]) -> list[str]:
    return [item["id"] for item in body["value"]]


def test_next_links_carry_a_skiptoken_and_the_options_asked(service: InProcess) -> None:
    for i in range(5):
        create(service, {"id": f"s{i}"})
    link = page(service, BASE + "?$top=2&$count=true&$select=status,id&$skip=1")["@odata.nextLink"]
    query = parse_qs(urlsplit(link).query)
    assert set(query) == {"$skiptoken", "$top", "$count", "$select"}  # $skip was spent: the token is after it
    assert TOKEN.match(query["$skiptoken"][0])
    assert (query["$top"], query["$count"], query["$select"]) == (["2"], ["true"], ["status,id"])
    assert ids(page(service, relative(link))) == ["s3", "s4"]


def test_inserts_and_deletes_between_pages_neither_repeat_nor_skip_items(service: InProcess) -> None:
    for i in range(30):
        create(service, {"id": f"s{i:02}"})
    # After page n: delete an item already listed and one not listed yet, and create one (it comes last).
    between = {1: ("s00", "s15"), 2: ("s01", "s25")}
    seen: list[str] = []
    url: str | None = BASE + "?$top=10"
    pages = 0
    while url:
        body = page(service, url)
        seen += ids(body)
        pages += 1
        assert pages <= 5, "the links go round in circles"
        for victim in between.get(pages, ()):
            assert service.call("DELETE", f"{BASE}/{victim}").status_code == 204
        if pages in between:
            create(service, {"id": f"new{pages}"})
        url = relative(body["@odata.nextLink"]) if "@odata.nextLink" in body else None
    assert seen == [f"s{i:02}" for i in range(30) if i not in (15, 25)] + ["new1", "new2"]


def test_a_token_is_stable_and_survives_the_deletion_of_its_item(service: InProcess) -> None:
    for i in range(6):
        create(service, {"id": f"s{i}"})
    first = page(service, BASE + "?$top=3")
    assert page(service, BASE + "?$top=3") == first  # the same page, the same link
    assert service.call("DELETE", f"{BASE}/s2").status_code == 204  # the item the token points after
    assert ids(page(service, relative(first["@odata.nextLink"]))) == ["s3", "s4", "s5"]


def test_every_token_the_schema_allows_is_accepted(service: InProcess) -> None:
    created = [create(service, {"id": f"s{i}"})["id"] for i in range(3)]
    assert ids(page(service, BASE + "?$skiptoken=0000000000000000")) == created  # before the first item
    assert ids(page(service, BASE + "?$skiptoken=7fffffffffffffff")) == []  # the largest position
    tokens = random.Random(14)  # noqa: S311 - test data, not a secret
    for _ in range(25):
        token = f"{tokens.randrange(8):x}" + "".join(tokens.choice("0123456789abcdef") for _ in range(15))
        assert TOKEN.match(token)
        assert page(service, f"{BASE}?$skiptoken={token}&$top=2")["value"] == []  # far past these three


def test_skip_still_works_and_skips_further_after_a_token(service: InProcess) -> None:
    for i in range(6):
        create(service, {"id": f"s{i}"})
    assert ids(page(service, BASE + "?$skip=4")) == ["s4", "s5"]
    link = page(service, BASE + "?$top=2")["@odata.nextLink"]
    assert ids(page(service, relative(link) + "&$skip=1")) == ["s3", "s4"]


@pytest.mark.parametrize(
    "token",
    ["", "ABCDEF0123456789", "8000000000000000", "ffffffffffffffff", "000000000000000", "00000000000000000",
     "-000000000000001", "0x00000000000001", "000000000000000g", "0000000000000000%0A", "%200000000000000000"],
)  # fmt: skip
def test_a_token_the_schema_refuses_is_400_naming_it(service: InProcess, token: str) -> None:
    response = service.call("GET", f"{BASE}?$skiptoken={token}")
    assert response.status_code == 400, response.text
    assert response.json()["error"]["target"] == "$skiptoken"


def test_the_list_query_walks_the_index_in_order(service: InProcess) -> None:
    rows = service.store.connection.execute(f"EXPLAIN QUERY PLAN {PAGE_SQL}", ("c", 0, 10, 0))
    plan = " | ".join(row[-1] for row in rows)
    assert "USING INDEX user_status_list (config_id=? AND seq>?)" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # no sort: a page reads only the rows it returns (and those skipped)
