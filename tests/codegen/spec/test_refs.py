"""codegen.spec.refs: local references only, and schemas bundled into one self-contained JSON Schema."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from codegen.spec.refs import bundle, check, located, target_of

DOC: dict[str, Any] = {
    "components": {
        "schemas": {
            "Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"},
                                                      "v": {"$ref": "#/components/schemas/V"}}},
            "V": {"type": "integer", "enum": [1, 2]},
        }
    }
}  # fmt: skip


def test_bundle_is_self_contained_and_handles_recursion() -> None:
    schema = bundle(DOC, ("components", "schemas", "Node"))
    assert schema["$defs"]["Node"]["properties"]["next"] == {"$ref": "#/$defs/Node"}
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid({"next": {"next": {"v": 1}}})
    assert not validator.is_valid({"next": {"next": {"v": 3}}})


def test_bundle_drop_only_touches_the_top() -> None:
    schema = bundle(DOC, ("components", "schemas", "V"), drop=("enum",))
    assert schema == {"type": "integer"}


def test_bundle_of_a_bare_reference_has_no_wrapper() -> None:
    doc = {**DOC, "x": {"$ref": "#/components/schemas/V"}}
    assert bundle(doc, ("x",)) == {"$ref": "#/$defs/V", "$defs": {"V": {"type": "integer", "enum": [1, 2]}}}


@pytest.mark.parametrize(
    ("ref", "reason"),
    [("https://x.test/s.json", "remote reference"), ("other.yaml#/a", "another file"), ("#", "whole document"),
     ("#anchor", "not a JSON pointer")],
)  # fmt: skip
def test_only_local_json_pointers_are_followed(ref: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        target_of(ref)


def test_check_names_each_reference_that_does_not_resolve() -> None:
    problems = check(DOC, [(("a", "$ref"), "#/components/schemas/Nope"), (("b", "$ref"), "#/components/schemas/V")])
    assert problems == [(("a", "$ref"), "unresolvable reference '#/components/schemas/Nope': nothing is defined there")]


def test_located_follows_chains_and_stops_cycles() -> None:
    doc = {"a": {"$ref": "#/b"}, "b": {"$ref": "#/c"}, "c": {"x": 1}, "loop": {"$ref": "#/loop"}}
    assert located(doc, doc["a"], ("a",)) == ({"x": 1}, ("c",))
    with pytest.raises(ValueError, match="a cycle"):
        located(doc, doc["loop"], ("loop",))
