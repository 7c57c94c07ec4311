"""codegen.build.bodies: one kind of media type per body, its type, form fields and schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from codegen.ir import FormField
from tests.codegen.build.specs import OK, built, json_content, refusal


@pytest.mark.parametrize(
    ("content", "expected"),
    [({"multipart/form-data": {"schema": {}}},
      "/paths/~1a/post/requestBody/content/multipart~1form-data: request body media type 'multipart/form-data'"),
     ({"application/json": {"schema": {}}, "application/x-www-form-urlencoded": {"schema": {}}},
      "a request body must use one kind of media type")],
)  # fmt: skip
def test_bodies_the_server_cannot_read_are_refused(tmp_path: Path, content: dict[str, Any], expected: str) -> None:
    assert expected in refusal(tmp_path, {"/a": {"post": {"requestBody": {"content": content}, "responses": OK}}})


def test_a_json_body_is_typed_and_validated_by_its_own_schema(tmp_path: Path) -> None:
    body = {"required": True, **json_content({"type": "object", "properties": {"n": {"type": "integer"}}})}
    op = built(tmp_path, {"/a": {"post": {"operationId": "makeThing", "requestBody": body, "responses": OK}}})
    body_ir = op.operations[0].body
    assert body_ir is not None
    assert (body_ir.kind, body_ir.required, body_ir.annotation, body_ir.validator) == (
        "json", True, "MakeThingBody", "MAKE_THING_BODY"
    )  # fmt: skip


def test_a_form_body_lists_how_each_field_is_read(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}, "tags": {"type": "array",
              "items": {"type": "boolean"}}, "note": {"type": "string"}}}  # fmt: skip
    body = {"content": {"application/x-www-form-urlencoded": {"schema": schema}}}
    body_ir = built(tmp_path, {"/a": {"post": {"requestBody": body, "responses": OK}}}).operations[0].body
    assert body_ir is not None
    assert body_ir.form_fields == (
        FormField("n", "integer", False), FormField("tags", "boolean", True), FormField("note", "string", False)
    )  # fmt: skip


def test_a_binary_body_is_bytes_and_not_validated(tmp_path: Path) -> None:
    body = {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
    api = built(tmp_path, {"/a": {"put": {"requestBody": body, "responses": OK}}})
    body_ir = api.operations[0].body
    assert body_ir is not None
    assert (body_ir.kind, body_ir.annotation, body_ir.validator, api.schemas) == ("binary", "bytes", None, ())


def test_a_component_request_body_is_named_after_the_component(tmp_path: Path) -> None:
    components = {"requestBodies": {"newThing": json_content({"type": "object"})}}
    paths = {"/a": {"post": {"requestBody": {"$ref": "#/components/requestBodies/newThing"}, "responses": OK}}}
    body_ir = built(tmp_path, paths, components=components).operations[0].body
    assert body_ir is not None
    assert body_ir.validator == "NEW_THING_BODY"
