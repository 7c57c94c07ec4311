"""codegen.build.operations: unique handler names, declared path parameters, routes the server can serve."""

from __future__ import annotations

from pathlib import Path

from tests.codegen.build.specs import OK, built, json_content, refusal

PATH_X = {"name": "x", "in": "path", "required": True, "schema": {"type": "string"}}


def test_method_names_use_the_last_part_of_the_operation_id_when_unique(tmp_path: Path) -> None:
    paths = {
        "/a": {"get": {"operationId": "x.list", "responses": OK}},
        "/b": {"get": {"operationId": "y.list", "responses": OK}},
        "/c": {"get": {"operationId": "things.GetThing", "responses": OK}},
        "/d": {"get": {"responses": OK}},
    }
    api = built(tmp_path, paths)
    assert [op.method_name for op in api.operations] == ["x_list", "y_list", "get_thing", "get_d"]
    assert [op.constant for op in api.operations] == ["X_LIST", "Y_LIST", "GET_THING", "GET_D"]


def test_operations_are_sorted_by_path_and_method(tmp_path: Path) -> None:
    paths = {"/b": {"post": {"responses": OK}, "get": {"responses": OK}}, "/a": {"delete": {"responses": OK}}}
    assert [(op.path, op.http_method) for op in built(tmp_path, paths).operations] == [
        ("/a", "DELETE"), ("/b", "GET"), ("/b", "POST")
    ]  # fmt: skip


def test_path_segments_mixing_text_and_parameters_are_served(tmp_path: Path) -> None:
    ext = {"name": "ext", "in": "path", "required": True, "schema": {"type": "string"}}
    paths = {"/a/{x}.json": {"get": {"parameters": [PATH_X], "responses": OK}},
             "/a/{x}.{ext}": {"get": {"parameters": [PATH_X, ext], "responses": OK}}}  # fmt: skip
    api = built(tmp_path, paths)
    assert [[p.wire_name for p in op.path_parameters] for op in api.operations] == [["x"], ["ext", "x"]]


def test_a_segment_no_request_could_split_is_refused(tmp_path: Path) -> None:
    y = {**PATH_X, "name": "y"}
    paths = {"/a/{x}{y}": {"get": {"parameters": [PATH_X, y], "responses": OK}}}
    assert "/paths/~1a~1{x}{y}/get: path segment '{x}{y}' has two parameters with no text between them" in refusal(
        tmp_path, paths
    )


def test_two_paths_matching_the_same_requests_are_refused(tmp_path: Path) -> None:
    paths = {
        "/a/{x}": {"get": {"parameters": [PATH_X], "responses": OK}},
        "/a/{y}": {"get": {"parameters": [{**PATH_X, "name": "y"}], "responses": OK}},
    }
    assert "GET /a/{y} matches the same requests as /a/{x}" in refusal(tmp_path, paths)


def test_a_path_parameter_must_be_declared(tmp_path: Path) -> None:
    """openapi-spec-validator refuses it first; the build checks again for documents that skip it."""
    refused = refusal(tmp_path, {"/a/{x}": {"get": {"responses": OK}}})
    assert "path parameter 'x' is in the path but not declared" in refused.lower()


def test_a_path_item_reference_is_refused(tmp_path: Path) -> None:
    paths = {"/a": {"$ref": "#/components/pathItems/A"}}
    extra = {"components": {"pathItems": {"A": {"get": {"responses": OK}}}}}
    assert "/paths/~1a/$ref: path item $ref is not supported" in refusal(tmp_path, paths, **extra)


def test_a_property_the_answer_has_and_a_closed_body_lacks_is_read_only(tmp_path: Path) -> None:
    thing = {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}
    change = {"type": "object", "additionalProperties": False, "properties": {"name": {"type": "string"}}}
    open_change = {"type": "object", "properties": {"name": {"type": "string"}}}
    answer = {"200": {"description": "ok", **json_content({"$ref": "#/components/schemas/Thing"})}}
    paths = {
        "/a/{id}": {"parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "patch": {"requestBody": json_content(change), "responses": answer},
                    "put": {"requestBody": json_content(open_change), "responses": answer}},
        "/a": {"post": {"requestBody": json_content({"$ref": "#/components/schemas/Thing"}), "responses": answer}},
    }  # fmt: skip
    api = built(tmp_path, paths, components={"schemas": {"Thing": thing}})
    read_only = {op.http_method: op.body.read_only for op in api.operations if op.body}
    assert read_only == {"PATCH": ("id",), "PUT": (), "POST": ()}  # an open body takes any property anyway
