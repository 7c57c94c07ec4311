"""codegen.spec.checks: every example, default, enum and const value against its schema."""

from __future__ import annotations

from typing import Any

from codegen.spec.checks import check_samples
from codegen.spec.walk import walk


def problems(doc: dict[str, Any]) -> list[tuple[Any, str]]:
    return check_samples(doc, walk(doc).samples)


def schemas(**named: Any) -> dict[str, Any]:
    return {"components": {"schemas": named}}


def test_values_that_fit_pass() -> None:
    assert problems(schemas(A={"type": "string", "enum": ["a"], "default": "a", "examples": ["a"]})) == []


def test_an_enum_value_is_checked_against_the_rest_of_its_schema() -> None:
    found = problems(schemas(A={"type": "string", "enum": ["a", 7]}))
    assert found == [(("components", "schemas", "A", "enum", 1), "enum value is invalid for its schema: 7 is not of "
                      "type 'string'")]  # fmt: skip


def test_a_default_and_an_example_name_where_they_fail() -> None:
    doc = schemas(A={"type": "object", "properties": {"n": {"type": "integer", "format": "int32"}},
                     "default": {"n": "x"}, "examples": [{"n": 2**31}]})  # fmt: skip
    found = dict(problems(doc))
    assert found[("components", "schemas", "A", "default")].startswith("default value is invalid for its schema at /n")
    assert "examples value is invalid" in found[("components", "schemas", "A", "examples", 0)]


def test_example_objects_are_followed_and_references_resolved() -> None:
    doc: dict[str, Any] = {
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/N"},
            "examples": {"good": {"value": 1}, "bad": {"$ref": "#/components/examples/Bad"},
                         "far": {"externalValue": "x"}},
        }}}}}}},
        "components": {"schemas": {"N": {"type": "integer"}}, "examples": {"Bad": {"value": "one"}}},
    }  # fmt: skip
    [(where, message)] = problems(doc)
    assert where[-2:] == ("examples", "bad")
    assert "'one' is not of type 'integer'" in message


def test_samples_are_checked_where_written_even_under_awkward_paths() -> None:
    """Schemas are looked up by pointer in the document: ``~``, ``/``, ``{}`` and ``%`` in keys survive."""
    schema = {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}, "n": {"type": "integer"}}}
    doc: dict[str, Any] = {
        "paths": {"/a/{id}%20~x": {"get": {"parameters": [{"name": "q", "in": "query", "schema": {
            "$ref": "#/components/schemas/Node"}, "example": {"next": {"next": {"n": "deep"}}}}]}}},
        "components": {"schemas": {"Node": schema}},
    }  # fmt: skip
    [(where, message)] = problems(doc)
    assert where == ("paths", "/a/{id}%20~x", "get", "parameters", 0, "example")
    assert message == "example value is invalid for its schema at /next/next/n: 'deep' is not of type 'integer'"
