"""codegen.pytypes: TypedDicts and Literal aliases from JSON Schemas, and Any where no type is faithful."""

from __future__ import annotations

from typing import Any

import pytest

from codegen.naming import Scope
from codegen.pytypes import TypeBuilder, literal_annotation

DOC: dict[str, Any] = {
    "components": {
        "schemas": {
            "Status": {"type": "string", "enum": ["on", "off"], "description": "Switch."},
            "Item": {"type": "object", "required": ["id"], "description": "An item.",
                     "properties": {"id": {"type": "string"}, "status": {"$ref": "#/components/schemas/Status"},
                                    "next": {"$ref": "#/components/schemas/Item"}}},
            "Named": {"allOf": [{"$ref": "#/components/schemas/Item"},
                                {"type": "object", "properties": {"name": {"type": "string"}}}]},
        }
    }
}  # fmt: skip


def builder() -> TypeBuilder:
    return TypeBuilder(DOC, Scope({"Handlers"}))


@pytest.mark.parametrize(
    ("schema", "expected"),
    [({"type": "string"}, "str"), ({"type": "integer"}, "int"), ({"type": ["string", "null"]}, "str | None"),
     ({"type": "array", "items": {"type": "number"}}, "list[float]"),
     ({"enum": ["a", 1, None]}, "Literal['a', 1] | None"),
     ({"const": "#x"}, "Literal['#x']"), ({"enum": [1.5]}, "Any"), ({}, "Any"),
     ({"oneOf": [{"type": "string"}, {"type": "integer"}]}, "str | int"), ({"anyOf": [{"type": "string"}, {}]}, "Any"),
     ({"type": "object", "additionalProperties": {"type": "integer"}}, "dict[str, int]"),
     ({"type": "object"}, "dict[str, Any]")],
)  # fmt: skip
def test_annotations(schema: dict[str, Any], expected: str) -> None:
    assert builder().annotation(schema, "Hint") == expected


def test_components_become_named_models_and_aliases_and_recursion_ends() -> None:
    types = builder()
    assert types.annotation({"$ref": "#/components/schemas/Item"}, "Hint") == "Item"
    item = types.models["Item"]
    assert [(f.wire_name, f.annotation, f.required) for f in item.fields] == [
        ("id", "str", True), ("status", "Status", False), ("next", "Item", False)
    ]  # fmt: skip
    assert item.description == "An item."
    status = types.aliases["Status"]
    assert (status.values, status.annotation, status.description) == (("on", "off"), "Literal['on', 'off']", "Switch.")


def test_all_of_objects_merge_into_one_model() -> None:
    types = builder()
    assert types.annotation({"$ref": "#/components/schemas/Named"}, "Hint") == "Named"
    assert [f.wire_name for f in types.models["Named"].fields] == ["id", "status", "next", "name"]


def test_inline_objects_are_named_after_the_hint_and_never_shadow_taken_names() -> None:
    types = builder()
    assert types.annotation({"type": "object", "properties": {"a": {"type": "string"}}}, "Handlers") == "Handlers_2"
    assert "Handlers_2" in types.models


def test_literal_annotation() -> None:
    assert literal_annotation(("a", None)) == "Literal['a'] | None"
    assert literal_annotation((None,)) == "None"


def test_an_inline_parameter_enum_gets_one_exported_alias_however_many_operations_share_it() -> None:
    types = builder()
    select = {"type": "array", "items": {"type": "string", "enum": ["id", "name"]}}
    assert types.parameter(select, "Select", "$select") == "list[SelectItem]"
    assert types.parameter(select, "Select", "$select") == "list[SelectItem]"  # the component, used again
    alias = types.aliases["SelectItem"]
    assert (alias.annotation, alias.description) == ("Literal['id', 'name']", "One item of `$select`.")
    assert types.parameter({"enum": ["asc", "desc"]}, "Order", "order") == "Order"
    assert types.aliases["Order"].description == "A value of `order`."
    # A named component keeps its own name; anything else is typed as before.
    assert types.parameter({"$ref": "#/components/schemas/Status"}, "State", "state") == "Status"
    assert types.parameter({"type": "array", "items": {"type": "integer"}}, "Ids", "ids") == "list[int]"
    assert types.parameter({"enum": [None]}, "Nothing", "nothing") == "None"
    assert sorted(types.aliases) == ["Order", "SelectItem", "Status"]
