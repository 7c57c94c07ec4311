"""Every property the create schema accepts comes back, equal, from create and from get. Generated from the spec:
a property added to it (``make gen`` accepts it at once) that the server does not store fails here by name,
where a hand-written list of properties would not have it."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.contract import document, samples
from tests.contract.api import Api


@pytest.mark.parametrize("name", list(document.create_schema().get("properties", {})))
def test_every_accepted_property_comes_back_from_create_and_get(api: Api, collection: str, name: str) -> None:
    sent = samples.body_with(name)
    created = api.request("POST", api.target.base_url + collection, json=sent)
    status_id = api.expect_kept(api.expect(created, 201), sent).get("id")
    if not isinstance(status_id, str):
        raise api.mismatch(created, "an id", "none")
    fetched = api.request("GET", f"{api.target.base_url}{collection}/{quote(status_id, safe='').replace('.', '%2E')}")
    api.expect_kept(api.expect(fetched, 200), sent)
