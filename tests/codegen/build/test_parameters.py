"""codegen.build.parameters: styles, coercions, Python names and the schema each parameter is checked by."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from codegen.ir import Shape
from tests.codegen.build.specs import OK, built, refusal


def query(name: str, schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema, **extra}


@pytest.mark.parametrize(
    ("param", "expected"),
    [(query("q", {"type": "array"}, style="spaceDelimited"),
      "/paths/~1a/get/parameters/0/style: parameter style 'spaceDelimited' is not supported (only 'form', "
      "'deepObject' and form objects)"),
     ({"name": "q", "in": "header", "schema": {"type": "object"}},
      "/paths/~1a/get/parameters/0/schema: object-valued parameters are not supported without `content` (except in "
      "the query)"),
     (query("q", {"anyOf": [{"type": "array"}, {"type": "object"}]}, style="deepObject"),
      "/parameters/0/schema: arrays and objects both fit at the value itself: x[0] could be either"),
     (query("q", {"type": "object"}, style="deepObject", explode=False),
      "/parameters/0/explode: deepObject parameters must be exploded"),
     (query("q", {"type": "object", "properties": {"a": {"type": "object"}}}),
      "/parameters/0/schema/properties/a: a form-style object parameter's properties must be scalars"),
     (query("q", {"type": "object", "properties": {"a": {"type": "array"}}}, explode=False),
      "/parameters/0/schema/properties/a: a form-style object parameter's properties must be scalars"),
     (query("q", {"type": "object", "anyOf": [{"type": "object"}, {"type": "array"}]}),
      "/parameters/0/schema: a form-style parameter that is an object or something else is ambiguous"),
     (query("q", {"type": "array", "items": {"type": "array"}}),
      "/parameters/0/schema: an array of arrays in the query, whose serialisation OpenAPI does not define"),
     ({"name": "q", "in": "query", "content": {"text/plain": {"schema": {}}}}, "parameter content 'text/plain'"),
     (query("q", {"$id": "urn:x", "type": "string"}),
      "/paths/~1a/get/parameters/0/schema/$id: JSON Schema keyword '$id' is not supported")],
)  # fmt: skip
def test_parameters_the_server_cannot_read_faithfully_are_refused(
    tmp_path: Path, param: dict[str, Any], expected: str
) -> None:
    assert expected in refusal(tmp_path, {"/a": {"get": {"parameters": [param], "responses": OK}}})


def test_colliding_names_stay_distinct(tmp_path: Path) -> None:
    params = [query(n, {"type": "string"}) for n in ("fooBar", "foo_bar", "class", "ctx")]
    api = built(tmp_path, {"/a": {"get": {"parameters": params, "responses": OK}}})
    assert sorted(p.py_name for p in api.operations[0].parameters) == ["class_", "ctx_", "foo_bar", "foo_bar_2"]


def test_coercions_arrays_defaults_and_annotations(tmp_path: Path) -> None:
    params = [
        query("n", {"type": "integer", "default": 3}),
        query("tags", {"type": "array", "items": {"type": "number"}}, explode=False),
        {"name": "filter", "in": "query", "content": {"application/json": {"schema": {"type": "object"}}}},
        {"name": "X-Flag", "in": "header", "required": True, "schema": {"type": "boolean"}},
        {"name": "Accept", "in": "header", "schema": {"type": "string"}},  # described elsewhere: ignored
    ]
    op = built(tmp_path, {"/a": {"get": {"parameters": params, "responses": OK}}}).operations[0]
    found = {p.wire_name: (p.coercion, p.is_array, p.explode, p.default, p.annotation) for p in op.parameters}
    assert found == {
        "X-Flag": ("boolean", False, False, None, "bool"),
        "n": ("integer", False, True, 3, "int"),
        "tags": ("number", True, False, None, "list[float] | None"),
        "filter": ("json", False, False, None, "dict[str, Any] | None"),
    }


def test_a_parameter_shared_by_operations_has_one_schema_named_after_it(tmp_path: Path) -> None:
    top = {"$ref": "#/components/parameters/top"}
    own = query("dry-run", {"type": "boolean"})
    paths = {"/a": {"get": {"operationId": "listA", "parameters": [top, own], "responses": OK}},
             "/b": {"get": {"operationId": "listB", "parameters": [top], "responses": OK}}}  # fmt: skip
    components = {"parameters": {"top": query("$top", {"type": "integer", "minimum": 0})}}
    api = built(tmp_path, paths, components=components)
    validators = {(op.constant, p.wire_name): p.validator for op in api.operations for p in op.parameters}
    assert validators == {
        ("LIST_A", "$top"): "TOP_PARAMETER",
        ("LIST_A", "dry-run"): "LIST_A_DRY_RUN_PARAMETER",
        ("LIST_B", "$top"): "TOP_PARAMETER",
    }
    assert [s.name for s in api.schemas].count("TOP_PARAMETER") == 1


def test_object_query_parameters_are_deep_spread_or_pairs(tmp_path: Path) -> None:
    created = {"anyOf": [{"type": "integer"}, {"type": "object", "properties": {"gte": {"type": "integer"}}}]}
    point = {"type": "object", "properties": {"lat": {"type": "number"}}, "additionalProperties": False}
    params = [query("created", created, style="deepObject", explode=True), query("point", point),
              query("box", point, explode=False)]  # fmt: skip
    api = built(tmp_path, {"/a": {"get": {"parameters": params, "responses": OK}}})
    by_name = {p.wire_name: p for p in api.operations[0].parameters}
    assert by_name["created"].style == "deep"
    assert by_name["created"].shape == Shape(("integer",), properties=(("gte", Shape(("integer",))),),
                                             additional=Shape())  # fmt: skip
    assert (by_name["point"].style, by_name["box"].style) == ("spread", "pairs")
    assert by_name["point"].shape == Shape((), properties=(("lat", Shape(("number",))),))


@pytest.mark.parametrize(
    ("params", "expected"),
    [([query("lat", {"type": "number"}), query("p", {"type": "object", "properties": {"lat": {"type": "number"}}})],
      "/parameters/1: the exploded object's property 'lat' is also another query parameter"),
     ([query("p", {"type": "object"}), query("q", {"type": "object"})],
      "/parameters/1: two exploded object parameters both accept undeclared keys"),
     ([{**query("filter", {"type": "object"}), "style": "deepObject"}, query("filter[color]", {"type": "string"})],
      "/parameters/1: the query parameter reads like a key of the deepObject parameter 'filter'")],
)  # fmt: skip
def test_exploded_objects_must_own_their_keys(tmp_path: Path, params: list[Any], expected: str) -> None:
    assert expected in refusal(tmp_path, {"/a": {"get": {"parameters": params, "responses": OK}}})
