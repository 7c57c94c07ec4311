"""codegen.spec.drift: an update body whose property is typed otherwise than the resource it answers with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.errors import SpecError
from codegen.spec import load
from codegen.spec.drift import drifted_updates

RESOURCE: dict[str, Any] = {"type": "object", "properties": {
    "id": {"type": "string"}, "name": {"type": "string", "maxLength": 10, "description": "The name."},
    "state": {"$ref": "#/components/schemas/State"}}}  # fmt: skip


def document(update: dict[str, Any], method: str = "patch") -> dict[str, Any]:
    answer = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}, "description": "ok"}
    body = {"content": {"application/json": {"schema": update}}}
    return {
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/things/{id}": {"parameters": [{"name": "id", "in": "path", "required": True,
                                                  "schema": {"type": "string"}}],
                                   method: {"requestBody": body, "responses": {"200": answer}}}},
        "components": {"schemas": {"Thing": RESOURCE, "State": {"enum": ["on", "off"]}}},
    }  # fmt: skip


def test_the_same_properties_with_other_words_do_not_drift() -> None:
    same = {"type": "object", "additionalProperties": False, "properties": {
        "name": {"type": "string", "maxLength": 10, "description": "Another description."},
        "state": {"$ref": "#/components/schemas/State"}}}  # fmt: skip
    assert drifted_updates(document(same)) == []  # id only in the resource: it is read-only, not drift


@pytest.mark.parametrize("method", ["patch", "put"])
def test_a_property_typed_otherwise_is_named_with_the_keywords_that_differ(method: str) -> None:
    other = {"type": "object", "properties": {"name": {"type": "integer", "maxLength": 12},
                                              "state": {"enum": ["on", "off", "broken"]}}}  # fmt: skip
    problems = drifted_updates(document(other, method))
    where = ("paths", "/things/{id}", method, "requestBody", "content", "application/json", "schema", "properties")
    assert [p for p, _ in problems] == [(*where, "name"), (*where, "state")]
    assert "'maxLength', 'type' differ" in problems[0][1]
    assert "(/components/schemas/Thing/properties/name)" in problems[0][1]
    assert "'enum' differs" in problems[1][1]


def test_a_post_is_not_an_update() -> None:
    assert drifted_updates(document({"type": "object", "properties": {"name": {"type": "integer"}}}, "post")) == []


def test_drift_is_an_error_when_strict_and_not_checked_otherwise(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(document({"type": "object", "properties": {"name": {"type": "integer"}}})))
    assert load(path).warnings == ()
    with pytest.raises(SpecError, match="property 'name' of this update body is not the resource's") as caught:
        load(path, strict=True)
    assert [p.kind for p in caught.value.problems] == ["update bodies that differ from their resource"]


def test_an_update_schema_shared_by_two_operations_is_reported_once() -> None:
    doc = document({"$ref": "#/components/schemas/Change"})
    doc["components"]["schemas"]["Change"] = {"type": "object", "properties": {"name": {"type": "integer"}}}
    doc["paths"]["/things/{id}"]["put"] = doc["paths"]["/things/{id}"]["patch"]
    assert [p for p, _ in drifted_updates(doc)] == [("components", "schemas", "Change", "properties", "name")]
