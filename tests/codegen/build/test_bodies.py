"""codegen.build.bodies: one kind of media type per body, its type, form fields and schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from codegen.ir import FormField, Shape
from tests.codegen.build.specs import OK, built, json_content, refusal


@pytest.mark.parametrize(
    ("content", "expected"),
    [({"multipart/mixed": {"schema": {}}},
      "/paths/~1a/post/requestBody/content/multipart~1mixed: request body media type 'multipart/mixed'"),
     ({"multipart/form-data": {"schema": {"type": "string"}}},
      "/paths/~1a/post/requestBody/content/multipart~1form-data/schema: a multipart body's schema must describe an "
      "object"),
     ({"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"a": {"type": "object"}}},
       "encoding": {"a": {"style": "form"}}}},
      "/content/application~1x-www-form-urlencoded/encoding/a: style form reads only scalars"),
     ({"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"a": {"type": "array"}}},
       "encoding": {"a": {"style": "pipeDelimited"}}}},
      "/encoding/a/style: form field style 'pipeDelimited' is not supported"),
     ({"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"a": {"type": "array",
       "items": {"type": "string"}}}}, "encoding": {"a": {"style": "form", "explode": False}}}},
      "/encoding/a: style form reads only scalars and exploded arrays"),
     ({"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"a": {"anyOf": [
       {"type": "array"}, {"type": "object"}]}}}, "encoding": {"a": {"style": "deepObject"}}}},
      "/encoding/a: arrays and objects both fit at the value itself: x[0] could be either"),
     ({"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"a": {"type": "object"}}},
       "encoding": {"a": {"style": "deepObject", "explode": False}}}},
      "/encoding/a/explode: deepObject fields must be exploded"),
     ({"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"a": {"type": [
       "object", "string"]}}}}},
      "/encoding/a: the field may be text or an object: give it an encoding"),
     ({"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"a": {"type": "object"},
       "a[b]": {"type": "string"}}}, "encoding": {"a": {"style": "deepObject"}}}},
      "property 'a[b]' reads like a key of the deepObject field 'a'")],
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
        FormField("n", "text", Shape(("integer",))), FormField("tags", "text", Shape((), items=Shape(("boolean",))),
        True), FormField("note", "text", Shape(("string",)))
    )  # fmt: skip


def test_form_fields_follow_their_encoding(tmp_path: Path) -> None:
    metadata = {"anyOf": [{"type": "object", "additionalProperties": {"type": "string"}}, {"enum": [""]}]}
    schema = {"type": "object", "properties": {"metadata": metadata, "expand": {"type": "array", "items": {
              "type": "string"}}, "address": {"type": "object", "properties": {"zip": {"type": "integer"}}},
              "payload_json": {"type": "string"}}}  # fmt: skip
    encoding = {"metadata": {"style": "deepObject", "explode": True}, "expand": {"style": "deepObject"},
                "payload_json": {"contentType": "application/json"}}  # fmt: skip
    body = {"content": {"application/x-www-form-urlencoded": {"schema": schema, "encoding": encoding}}}
    body_ir = built(tmp_path, {"/a": {"post": {"requestBody": body, "responses": OK}}}).operations[0].body
    assert body_ir is not None
    assert body_ir.form_fields == (
        FormField("metadata", "deep", Shape(("string",), properties=(), additional=Shape(("string",)))),
        FormField("expand", "deep", Shape((), items=Shape(("string",)))),
        FormField("address", "json", Shape((), properties=(("zip", Shape(("integer",))),), additional=Shape())),
        FormField("payload_json", "json", Shape(("string",))),
    )


def test_a_multipart_body_has_files_and_a_model_that_says_so(tmp_path: Path) -> None:
    schema = {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "contentEncoding": "binary"}, "scans": {"type": "array", "items": {
        "type": "string", "format": "binary"}}, "count": {"type": "integer"}, "meta": {"type": "object"}}}  # fmt: skip
    body = {"required": True, "content": {"multipart/form-data": {"schema": schema}}}
    api = built(tmp_path, {"/a": {"post": {"operationId": "upload", "requestBody": body, "responses": OK}}})
    body_ir = api.operations[0].body
    assert body_ir is not None
    assert (body_ir.kind, body_ir.annotation) == ("multipart", "UploadMultipart")
    assert [(f.name, f.reading, f.is_array) for f in body_ir.form_fields] == [
        ("file", "file", False), ("scans", "file", True), ("count", "text", False), ("meta", "json", False)
    ]  # fmt: skip
    model = next(m for m in api.models if m.name == "UploadMultipart")
    assert [(f.wire_name, f.annotation, f.required) for f in model.fields] == [
        ("file", "UploadedFile", True), ("scans", "list[UploadedFile]", False), ("count", "int", False),
        ("meta", "dict[str, Any]", False)
    ]  # fmt: skip
    assert api.uses_files


def test_a_body_in_json_and_form_has_both_in_that_order(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}}
    content = {"application/x-www-form-urlencoded": {"schema": schema}, "application/json": {"schema": schema}}
    api = built(tmp_path, {"/a": {"post": {"operationId": "make", "requestBody": {"content": content},
                                           "responses": OK}}})  # fmt: skip
    body_ir = api.operations[0].body
    assert body_ir is not None
    assert (body_ir.kind, body_ir.annotation, body_ir.validator) == ("json", "MakeBody | MakeForm", "MAKE_BODY")
    (form,) = body_ir.alternatives
    assert (form.kind, form.media_types, form.validator) == ("form", ("application/x-www-form-urlencoded",),
                                                             "MAKE_FORM_BODY")  # fmt: skip


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


def test_content_keys_are_matched_without_their_parameters_and_in_lower_case(tmp_path: Path) -> None:
    # A request's Content-Type is compared by its media type alone: a key with a charset matched nothing (415).
    body = {"content": {"Application/JSON; charset=utf-8": {"schema": {"type": "object"}}}}
    api = built(tmp_path, {"/a": {"put": {"requestBody": body, "responses": OK}}})
    body_ir = api.operations[0].body
    assert body_ir is not None
    assert body_ir.media_types == ("application/json",)
