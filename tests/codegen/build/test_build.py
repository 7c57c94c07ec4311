"""codegen.build: the IR of a spec, and refusals that name their JSON pointer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.build import build
from codegen.errors import SpecError
from codegen.spec import load
from tests.conftest import SPEC


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
    api = build(load(Path(__file__).parent.parent / "corpus" / "payments_form_30.yaml"))
    customer = next(op for op in api.operations if op.method_name == "get_customers_customer")
    assert customer.credential_query_names == ("key",)
    assert [p.wire_name for p in customer.parameters if p.location == "query"] == ["expand"]


def test_embedded_schemas_are_named_after_what_they_validate() -> None:
    api = build(load(SPEC))
    names = [schema.name for schema in api.schemas]
    assert len(names) == len(set(names))
    create = next(op for op in api.operations if op.method_name == "create_user_statuses")
    listing = next(op for op in api.operations if op.method_name == "list_user_statuses")
    assert create.constant == "CREATE_USER_STATUSES"
    assert create.body is not None
    # a bare reference to a component shares that component's validator and name
    assert create.body.validator == "MANAGED_DEVICE_MOBILE_APP_CONFIGURATION_USER_STATUS"
    assert {r.validator for r in create.responses if r.status.startswith("4")} == {"O_DATA_ERROR"}
    # a shared (component) parameter is named after the parameter
    assert {p.wire_name: p.validator for p in listing.parameters}["$top"] == "TOP_PARAMETER"


def test_inline_schemas_are_named_after_their_operation(tmp_path: Path) -> None:
    body = {"content": {"application/json": {"schema": {"type": "object"}}}}
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "integer"}}}}}
    dry_run = {"name": "dry-run", "in": "query", "schema": {"type": "boolean"}}
    post = {"operationId": "makeThing", "requestBody": body, "responses": ok, "parameters": [dry_run]}
    paths = {"/a": {"post": post}}
    op = build(load(spec_file(tmp_path, paths))).operations[0]
    assert op.body is not None
    assert (op.constant, op.body.validator) == ("MAKE_THING", "MAKE_THING_BODY")
    assert op.parameters[0].validator == "MAKE_THING_DRY_RUN_PARAMETER"
    assert op.responses[0].validator == "MAKE_THING_200_RESPONSE"


def test_an_unsupported_keyword_in_a_shared_schema_is_reported_once(tmp_path: Path) -> None:
    schema = {"$ref": "#/components/schemas/Anchored"}
    response = {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}
    paths = {"/a": {"get": {"responses": response}}, "/b": {"get": {"responses": response}}}
    components = {"schemas": {"Anchored": {"$anchor": "x", "type": "string"}}}
    assert "/components/schemas/Anchored/$anchor" in refusal(tmp_path, paths, components=components)
