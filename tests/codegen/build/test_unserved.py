"""codegen.build.unserved: an operation whose own parameters or body the server cannot read is left out
(answered 501, a warning) when not strict; what concerns more than one operation refuses in both modes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from codegen.build import build
from codegen.build.unserved import KIND
from codegen.errors import Problem, SpecError
from codegen.ir import Api
from codegen.spec import load
from tests.codegen.build.specs import OK, json_content, spec_file

PIPES = {
    "name": "ids",
    "in": "query",
    "style": "pipeDelimited",
    "schema": {"type": "array", "items": {"type": "string"}},
}
FILTERS = {"name": "filters", "in": "query", "schema": {"type": "array", "items": {"type": "object"}}}
ITEM = {"type": "object", "properties": {"n": {"type": "integer"}}}


def lenient(tmp_path: Path, paths: dict[str, Any], **extra: Any) -> tuple[Api, list[Problem]]:
    warnings: list[Problem] = []
    return build(load(spec_file(tmp_path, paths, **extra)), strict=False, warn=warnings.append), warnings


def refused(tmp_path: Path, paths: dict[str, Any], *, strict: bool, **extra: Any) -> list[str]:
    warnings: list[Problem] = []
    with pytest.raises(SpecError) as caught:
        build(load(spec_file(tmp_path, paths, **extra)), strict=strict, warn=warnings.append)
    assert warnings == []  # a refused document is refused, not also warned about
    return [str(p) for p in caught.value.problems]


def test_an_unreadable_parameter_leaves_its_operation_out_with_a_warning(tmp_path: Path) -> None:
    body = {"content": {"application/json": {"schema": {"title": "SearchQuery", **ITEM}}}}
    paths = {"/search": {"post": {"operationId": "search", "parameters": [FILTERS], "requestBody": body,
                                  "responses": {"200": {"description": "ok", **json_content({"type": "string"})}}}},
             "/items": {"get": {"operationId": "listItems", "responses": OK}}}  # fmt: skip
    api, warnings = lenient(tmp_path, paths)
    line = load(tmp_path / "spec.yaml").source.line_of(("paths", "/search", "post", "parameters", 0, "schema"))
    assert [op.method_name for op in api.operations] == ["list_items"]
    [left_out] = api.unserved
    assert (left_out.route, left_out.method_name, left_out.operation_id) == ("POST /search", "search", "search")
    assert left_out.reason == (
        "parameter 'filters': an array of objects in the query, whose serialisation OpenAPI does not define "
        "(without `content`)"
    )
    [warning] = warnings
    assert (warning.kind, warning.pointer, warning.line) == (KIND, "/paths/~1search/post/parameters/0/schema", line)
    assert warning.message == f"POST /search is answered 501 Not Implemented: {left_out.reason}"
    # built again without it: nothing of the operation (its body's model, its schemas) reaches the output
    assert api.models == ()
    assert api.schemas == ()


def test_strict_refuses_the_same_document_listing_every_problem(tmp_path: Path) -> None:
    paths = {"/search": {"get": {"parameters": [FILTERS, PIPES], "responses": OK}}}
    assert [line.split(": ", 1)[1] for line in refused(tmp_path, paths, strict=True)] == [
        "/paths/~1search/get/parameters/0/schema: an array of objects in the query, whose serialisation OpenAPI does "
        "not define (without `content`)",
        "/paths/~1search/get/parameters/1/style: parameter style 'pipeDelimited' is not supported (only 'form', "
        "'deepObject' and form objects)",
    ]


def test_the_reason_names_the_part_and_counts_the_other_problems(tmp_path: Path) -> None:
    xml = {"content": {"application/xml": {"schema": {"type": "object"}}}}
    paths = {"/a": {"post": {"requestBody": xml, "responses": OK}},
             "/b": {"get": {"parameters": [PIPES, FILTERS], "responses": OK}}}  # fmt: skip
    api, warnings = lenient(tmp_path, paths)
    assert api.operations == ()
    assert [op.reason for op in api.unserved] == [
        "the request body: request body media type 'application/xml' is not supported",
        "parameter 'ids': parameter style 'pipeDelimited' is not supported (only 'form', 'deepObject' and form "
        "objects) (and 1 more problem)",
    ]
    assert [w.pointer for w in warnings] == ["/paths/~1a/post/requestBody/content/application~1xml",
                                             "/paths/~1b/get/parameters/0/style"]  # fmt: skip


def test_a_path_items_parameter_leaves_out_each_operation_of_the_path(tmp_path: Path) -> None:
    paths = {"/a": {"parameters": [PIPES], "get": {"responses": OK}, "delete": {"responses": OK}}}
    api, warnings = lenient(tmp_path, paths)
    assert [op.route for op in api.unserved] == ["DELETE /a", "GET /a"]
    assert {w.pointer for w in warnings} == {"/paths/~1a/parameters/0/style"}


SHARED = {"components": {"schemas": {"Anchored": {"$anchor": "x", "type": "string"}}}}
ANCHORED = {"200": {"description": "ok", **json_content({"$ref": "#/components/schemas/Anchored"})}}
LEFT_OUT = {"get": {"parameters": [PIPES], "responses": OK}}


@pytest.mark.parametrize(
    ("paths", "extra", "expected"),
    [({"/a": {"get": {"security": [{"mtls": []}], "responses": OK}}, "/b": LEFT_OUT},
      {"components": {"securitySchemes": {"mtls": {"type": "mutualTLS"}}}},
      "/components/securitySchemes/mtls: security scheme type 'mutualTLS' is not supported"),
     ({"/a/{x}": {"get": {"parameters": [{"name": "x", "in": "path", "required": True, "schema": {"type": "string"}},
                                         PIPES], "responses": OK}},
       "/a/{y}": {"get": {"parameters": [{"name": "y", "in": "path", "required": True, "schema": {"type": "string"}}],
                          "responses": OK}}},
      {}, "GET /a/{y} matches the same requests as /a/{x}"),
     ({"/a": {"get": {"responses": ANCHORED}}, "/b": LEFT_OUT},
      SHARED, "/components/schemas/Anchored/$anchor: JSON Schema keyword '$anchor' is not supported")],
)  # fmt: skip
def test_what_concerns_more_than_one_operation_refuses_even_when_not_strict(
    tmp_path: Path, paths: dict[str, Any], extra: dict[str, Any], expected: str
) -> None:
    """An unserved operation's route still counts; problems another operation would also meet refuse alone."""
    found = refused(tmp_path, paths, strict=False, **extra)
    assert any(expected in problem for problem in found), found
    assert not any("pipeDelimited" in problem for problem in found)  # that one alone would be left out


def test_a_document_every_operation_serves_has_no_warning(tmp_path: Path) -> None:
    api, warnings = lenient(tmp_path, {"/a": {"get": {"responses": OK}}})
    assert (len(api.operations), api.unserved, warnings) == (1, (), [])
