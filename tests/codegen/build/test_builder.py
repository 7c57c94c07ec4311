"""codegen.build.builder: embedded schemas compiled once per place, named after what they validate."""

from __future__ import annotations

from pathlib import Path

from codegen.build import build
from codegen.spec import load
from tests.codegen.build.specs import json_content, refusal, spec_file
from tests.conftest import SPEC


def test_our_schemas_are_named_after_what_they_validate() -> None:
    api = build(load(SPEC))
    names = [schema.name for schema in api.schemas]
    assert len(names) == len(set(names))
    create = next(op for op in api.operations if op.method_name == "create_user_statuses")
    assert create.body is not None
    # a bare reference to a component shares that component's validator and name
    assert create.body.validator == "MANAGED_DEVICE_MOBILE_APP_CONFIGURATION_USER_STATUS"
    assert {r.validator for r in create.responses if r.status.startswith("4")} == {"O_DATA_ERROR"}


def test_a_reference_with_siblings_is_its_own_schema(tmp_path: Path) -> None:
    narrowed = {"$ref": "#/components/schemas/Name", "maxLength": 3}
    responses = {"200": {"description": "ok", **json_content({"$ref": "#/components/schemas/Name"})},
                 "201": {"description": "ok", **json_content(narrowed)}}  # fmt: skip
    components = {"schemas": {"Name": {"type": "string"}}}
    api = build(load(spec_file(tmp_path, {"/a": {"get": {"operationId": "getA", "responses": responses}}},
                               components=components)))  # fmt: skip
    assert {r.status: r.validator for r in api.operations[0].responses} == {"200": "NAME", "201": "GET_A_201_RESPONSE"}


def test_names_never_collide_with_operations_or_module_names(tmp_path: Path) -> None:
    components = {"schemas": {"getA": {"type": "string"}, "OPERATIONS": {"type": "integer"}}}
    responses = {"200": {"description": "ok", **json_content({"$ref": "#/components/schemas/getA"})},
                 "201": {"description": "ok", **json_content({"$ref": "#/components/schemas/OPERATIONS"})}}  # fmt: skip
    api = build(load(spec_file(tmp_path, {"/a": {"get": {"operationId": "getA", "responses": responses}}},
                               components=components)))  # fmt: skip
    op = api.operations[0]
    assert op.constant == "GET_A"
    assert {r.validator for r in op.responses} == {"GET_A_2", "OPERATIONS_2"}


def test_an_unsupported_keyword_in_a_shared_schema_is_reported_once(tmp_path: Path) -> None:
    response = {"200": {"description": "ok", **json_content({"$ref": "#/components/schemas/Anchored"})}}
    paths = {"/a": {"get": {"responses": response}}, "/b": {"get": {"responses": response}}}
    components = {"schemas": {"Anchored": {"$anchor": "x", "type": "string"}}}
    assert "/components/schemas/Anchored/$anchor" in refusal(tmp_path, paths, components=components)
