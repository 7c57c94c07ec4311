"""codegen.runtime.validation: jsonschema-rs errors as OData details a partner can act on."""

from __future__ import annotations

import json
from typing import Any

import pytest

from codegen.runtime.errors import MAX_DETAILS, BadRequest
from codegen.runtime.validation import Schemas, Validator, compile_schema, prepared, show, violations

STATUS = {"type": "string", "enum": ["unknown", "compliant"]}
ITEM = compile_schema(json.dumps({
    "type": "object",
    "additionalProperties": False,
    "required": ["id"],
    "properties": {
        "id": {"type": "string"},
        "status": STATUS,
        "count": {"type": "integer", "minimum": 0, "maximum": 9},
        "kind": {"const": "#x"},
        "when": {"type": "string", "format": "date-time"},
        "tags": {"type": "array", "items": STATUS},
        "inner": {"type": "object", "properties": {"status": STATUS}},
    },
}))  # fmt: skip


def test_an_invalid_enum_names_the_property_the_value_and_the_allowed_values() -> None:
    assert violations(ITEM, {"id": "1", "status": "Compliant"}) == [
        ("InvalidValue", "Invalid value 'Compliant' for property 'status': expected one of 'unknown', 'compliant'.",
         "status")
    ]  # fmt: skip


def test_nested_targets_use_dots_and_indexes() -> None:
    found = violations(ITEM, {"id": "1", "tags": ["compliant", "x"], "inner": {"status": 3}})
    assert {target for _, _, target in found} == {"tags[1]", "inner.status"}


def test_each_kind_of_violation_has_its_code() -> None:
    cases = {
        "UnknownProperty": {"id": "1", "extra": 1},
        "MissingProperty": {},
        "InvalidType": {"id": 1},
        "OutOfRange": {"id": "1", "count": 10},
    }
    for code, instance in cases.items():
        assert [c for c, _, _ in violations(ITEM, instance)] == [code], instance


def test_messages_say_what_was_expected() -> None:
    messages = [m for _, m, _ in violations(ITEM, {"id": "1", "count": -1, "kind": "#y", "when": "yesterday"})]
    assert "Invalid value -1 for property 'count': must be >= 0." in messages
    assert "Invalid value '#y' for property 'kind': expected '#x'." in messages
    assert "Invalid value 'yesterday' for property 'when': expected a date-time value." in messages


def test_an_unknown_property_says_it_does_not_exist() -> None:
    [(code, message, target)] = violations(ITEM, {"id": "1", "colour": "red"})
    assert (code, target) == ("UnknownProperty", "colour")
    assert message.startswith("The property 'colour' does not exist on this type.")


def test_parameters_are_named_by_their_noun() -> None:
    top = compile_schema('{"type": "integer", "minimum": 0}')
    assert violations(top, -1, "$top", "query option") == [
        ("OutOfRange", "Invalid value -1 for query option '$top': must be >= 0.", "$top")
    ]


def test_a_whole_body_of_the_wrong_type_names_the_request_body() -> None:
    [(code, message, target)] = violations(ITEM, [1])
    assert (code, target) == ("InvalidType", None)
    assert "for the request body: expected object" in message


def test_the_number_of_details_is_bounded() -> None:
    found = violations(ITEM, {"id": "1", "tags": ["bad"] * 500})
    assert len(found) == MAX_DETAILS


def test_show_quotes_strings_and_cuts_long_values() -> None:
    assert show("x") == "'x'"
    assert show([1, None]) == "[1,null]"
    long = show("y" * 500)
    assert len(long) == 120
    assert long.endswith("...")


def test_formats_are_asserted() -> None:
    when = compile_schema('{"type": "string", "format": "date-time"}')
    assert when.is_valid("2016-12-31T23:59:60Z")
    assert not when.is_valid("2017-02-30T00:00:00Z")


def test_unknown_keys_count_towards_the_bound_on_details() -> None:
    found = violations(ITEM, {"id": "1", **{f"k{i}": i for i in range(10_000)}})
    assert len(found) == MAX_DETAILS


def test_messages_never_echo_a_whole_huge_value() -> None:
    tags = compile_schema('{"type": "array", "uniqueItems": true}')
    [(_, message, _)] = violations(tags, ["x" * 100] * 600, "$select", "query option")
    assert len(message) < 500


def test_integral_floats_become_ints_and_others_stay() -> None:
    value = {"a": 1.0, "b": [2.0, 2.5, {"c": -0.0}], "d": 1e300, "e": "1.0", "f": True, "g": -9.223372036854776e18}
    # -9.2e18 is how orjson reads -9223372036854775809: it stays a float, so an int64 bound still refuses it.
    assert prepared(value, 10) == {"a": 1, "b": [2, 2.5, {"c": 0}], "d": 1e300, "e": "1.0", "f": True,
                                   "g": -9.223372036854776e18}  # fmt: skip
    assert type(value["g"]) is float
    assert type(value["a"]) is int
    assert type(prepared(3.0, 1)) is int


def test_nesting_deeper_than_the_limit_is_a_400_before_validation() -> None:
    deep: object = 1
    for _ in range(300):
        deep = [deep]
    with pytest.raises(BadRequest, match="nested deeper than 64 levels"):
        prepared(deep, 64)
    assert prepared([[[1.0]]], 3) == [[[1]]]


def shared() -> tuple[Schemas, dict[str, Any]]:
    """Two operations' schemas over one linked component graph (a cycle included), as the generator writes them."""
    schemas = Schemas()
    node = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "status": {"$ref": "#/$defs/STATUS"},
            "children": {"type": "array", "items": {"$ref": "#/$defs/NODE"}},
            "count": {"type": "integer", "minimum": 0},
        },
    }
    create = {"type": "object", "required": ["root"], "properties": {"root": {"$ref": "#/$defs/NODE"}}}
    validators = {
        "STATUS": schemas.add("STATUS", json.dumps(STATUS)),
        "NODE": schemas.add("NODE", json.dumps(node)),
        "CREATE_BODY": schemas.add("CREATE_BODY", json.dumps(create)),
        "UPDATE_BODY": schemas.add("UPDATE_BODY", '{"$ref": "#/$defs/NODE"}'),
    }
    validators["PATCH_BODY"] = schemas.same("PATCH_BODY", validators["UPDATE_BODY"])
    return schemas, validators


def test_shared_schemas_compile_on_first_use_only() -> None:
    schemas, validators = shared()
    compiled: list[str] = []
    original = schemas.compile

    def counted(name: str) -> Validator:
        compiled.append(name)
        return original(name)

    schemas.compile = counted  # type: ignore[method-assign]
    assert compiled == []  # nothing at import
    assert validators["CREATE_BODY"].is_valid({"root": {"status": "unknown"}})
    assert not validators["CREATE_BODY"].is_valid({"root": {"status": "nope"}})
    assert compiled == ["CREATE_BODY"]  # once, and only what was used


def test_errors_deep_in_a_shared_component_carry_the_instance_path() -> None:
    _, validators = shared()
    body = {"root": {"children": [{"children": [{"status": "Compliant", "count": -1, "colour": 1}]}]}}
    found = violations(validators["CREATE_BODY"], body)
    assert sorted(found) == [
        ("InvalidValue", "Invalid value 'Compliant' for property 'root.children[0].children[0].status': expected one "
         "of 'unknown', 'compliant'.", "root.children[0].children[0].status"),
        ("OutOfRange", "Invalid value -1 for property 'root.children[0].children[0].count': must be >= 0.",
         "root.children[0].children[0].count"),
        ("UnknownProperty", "The property 'root.children[0].children[0].colour' does not exist on this type. Only use "
         "property names that are defined by the type.", "root.children[0].children[0].colour"),
    ]  # fmt: skip


def test_a_schema_shared_by_name_is_one_validator() -> None:
    schemas, validators = shared()
    assert validators["PATCH_BODY"] is validators["UPDATE_BODY"]
    found = violations(validators["PATCH_BODY"], {"children": [{"count": -2}]})
    assert [target for _, _, target in found] == ["children[0].count"]
    # other schemas may reference it by its second name too
    referring = schemas.add("REFERRING", '{"items": {"$ref": "#/$defs/PATCH_BODY"}}')
    assert not referring.is_valid([{"count": -1}])


def test_one_problem_is_one_detail_told_by_its_allowed_values() -> None:
    # null breaks both `type` and `enum` of the status: one problem, whose message lists the allowed values.
    found = violations(ITEM, {"id": "a", "status": None})
    assert found == [("InvalidValue", "Invalid value null for property 'status': expected one of 'unknown', "
                                      "'compliant'.", "status")]  # fmt: skip
    two = violations(ITEM, {"id": "a", "status": None, "count": "x"})
    assert [target for _, _, target in two] == ["status", "count"]


def test_a_read_only_property_says_it_cannot_be_changed_and_only_at_the_top() -> None:
    [(code, message, target)] = violations(ITEM, {"id": "1", "colour": "red"}, read_only=frozenset({"colour"}))
    assert (code, message, target) == ("ReadOnlyProperty", "The property 'colour' cannot be changed: it is "
                                       "read-only here.", "colour")  # fmt: skip
    nested = compile_schema('{"properties": {"child": {"properties": {"a": {}}, "additionalProperties": false}}}')
    [(code, _, target)] = violations(nested, {"child": {"colour": 1}}, read_only=frozenset({"colour"}))
    assert (code, target) == ("UnknownProperty", "child.colour")  # a key of another object is not the resource's
