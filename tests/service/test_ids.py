"""Ids for statuses created without one: version-4 UUIDs in their usual text form, never repeated."""

from __future__ import annotations

import uuid

from service.ids import RandomIds


def test_ids_are_distinct_version_4_uuids_in_canonical_form() -> None:
    new_id = RandomIds()
    ids = [new_id() for _ in range(3000)]  # past several reads from the OS
    assert len(set(ids)) == len(ids)
    for text in ids:
        parsed = uuid.UUID(text)
        assert (parsed.version, parsed.variant, str(parsed)) == (4, uuid.RFC_4122, text)
    assert {text[19] for text in ids} == set("89ab")  # every variant digit occurs: the bits are random
