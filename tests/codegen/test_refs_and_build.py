"""codegen.refs bundling and codegen.build: the IR, and refusals that name their JSON pointer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from codegen.build import build
from codegen.errors import SpecError
from codegen.refs import bundle
from codegen.spec import load
from tests.conftest import SPEC

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


def test_our_api_ir() -> None:
    api = build(load(SPEC))
    names = [op.method_name for op in api.operations]
    assert sorted(names) == ["create_user_statuses", "delete_user_statuses", "get_count", "get_user_statuses",
                             "list_user_statuses", "update_user_statuses"]  # fmt: skip
    create = next(op for op in api.operations if op.method_name == "create_user_statuses")
    assert (create.http_method, create.success_status) == ("POST", 201)
    assert create.security == ((("azureADv2", ("DeviceManagementApps.ReadWrite.All",)),),)
    assert create.body is not None
    assert create.body.annotation == "ManagedDeviceMobileAppConfigurationUserStatus"
    listing = next(op for op in api.operations if op.method_name == "list_user_statuses")
    top = next(p for p in listing.parameters if p.wire_name == "$top")
    assert (top.py_name, top.coercion, top.annotation, top.location) == ("top", "integer", "int | None", "query")
    assert api.base_path == "/v1.0"
    assert api.bearer_schemes == ("azureADv2",)


def spec_file(tmp_path: Path, paths: dict[str, Any], **extra: Any) -> Path:
    doc = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": paths, **extra}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def refusal(tmp_path: Path, paths: dict[str, Any], **extra: Any) -> str:
    with pytest.raises(SpecError) as caught:
        build(load(spec_file(tmp_path, paths, **extra)))
    assert len(caught.value.problems) == 1
    return str(caught.value.problems[0])


OK = {"200": {"description": "ok"}}


@pytest.mark.parametrize(
    ("paths", "expected"),
    [
        ({"/a": {"get": {"parameters": [{"name": "q", "in": "query", "style": "deepObject",
                                         "schema": {"type": "object"}}], "responses": OK}}},
         "/paths/~1a/get/parameters/0/style: parameter style 'deepObject' is not supported"),
        ({"/a": {"post": {"requestBody": {"content": {"multipart/form-data": {"schema": {}}}}, "responses": OK}}},
         "/paths/~1a/post/requestBody/content/multipart~1form-data: request body media type"),
        ({"/a/{x}.json": {"get": {"parameters": [{"name": "x", "in": "path", "required": True,
                                                   "schema": {"type": "string"}}], "responses": OK}}},
         "path segment '{x}.json' mixes text and a parameter"),
        ({"/a": {"get": {"parameters": [{"name": "q", "in": "query",
                                         "schema": {"$id": "urn:x", "type": "string"}}], "responses": OK}}},
         "/paths/~1a/get/parameters/0/schema/$id: JSON Schema keyword '$id' is not supported"),
        ({"/a": {"get": {"security": [{"nope": []}], "responses": OK}}},
         "/paths/~1a/get/security/0/nope: unknown security scheme 'nope'"),
    ],
)  # fmt: skip
def test_unsupported_constructs_are_refused_by_pointer(tmp_path: Path, paths: dict[str, Any], expected: str) -> None:
    assert expected in refusal(tmp_path, paths)


def test_same_route_twice_is_refused(tmp_path: Path) -> None:
    param = {"in": "path", "required": True, "schema": {"type": "string"}}
    paths = {
        "/a/{x}": {"get": {"parameters": [{"name": "x", **param}], "responses": OK}},
        "/a/{y}": {"get": {"parameters": [{"name": "y", **param}], "responses": OK}},
    }
    assert "matches the same requests as" in refusal(tmp_path, paths)


def test_colliding_names_stay_distinct(tmp_path: Path) -> None:
    params = [{"name": n, "in": "query", "schema": {"type": "string"}} for n in ("fooBar", "foo_bar", "class", "ctx")]
    paths = {
        "/a": {"get": {"operationId": "x.list", "parameters": params, "responses": OK}},
        "/b": {"get": {"operationId": "y.list", "responses": OK}},
        "/c": {"get": {"responses": OK}},
    }
    api = build(load(spec_file(tmp_path, paths)))
    assert [op.method_name for op in api.operations] == ["x_list", "y_list", "get_c"]
    assert sorted(p.py_name for p in api.operations[0].parameters) == ["class_", "ctx_", "foo_bar", "foo_bar_2"]


def test_api_keys_in_the_query_are_not_unknown_options() -> None:
    api = build(load(Path(__file__).parent / "corpus" / "payments_form_30.yaml"))
    customer = next(op for op in api.operations if op.method_name == "get_customers_customer")
    assert customer.credential_query_names == ("key",)
    assert [p.wire_name for p in customer.parameters if p.location == "query"] == ["expand"]
