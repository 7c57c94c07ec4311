"""codegen.spec.embed: each schema a server embeds is defined once and validates exactly what the spec says."""

from __future__ import annotations

from typing import Any

import jsonschema_rs

from codegen.naming import Scope
from codegen.spec.embed import DRAFT, Embedding, harden, standalone

DOC: dict[str, Any] = {
    "components": {
        "schemas": {
            "Count": {"type": "integer", "format": "int32", "minimum": 0, "description": "How many.",
                      "example": 3, "x-internal": True},
            "Item": {"type": "object", "properties": {"count": {"$ref": "#/components/schemas/Count"},
                                                      "big": {"type": "integer", "format": "int64",
                                                              "maximum": 2**70}}},
            "Recount": {"type": "integer", "format": "int32", "minimum": 0, "description": "Again."},
            "Anchored": {"$anchor": "here", "type": "string"},
            "Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"},
                                                      "value": {"$ref": "#/components/schemas/Count"}}},
            "Twice": {"type": "array", "items": [{"$ref": "#/components/schemas/Anchored"},
                                                 {"$ref": "#/components/schemas/Anchored"}]},
            "Pointless": {"$ref": "#/info/title"},
            "BadPattern": {"type": "object", "properties": {"code": {"type": "string", "pattern": "(?<"}}},
        }
    },
    "info": {"title": "not a schema"},
}  # fmt: skip


def embedding(*sites: tuple[str, ...]) -> Embedding:
    found = Embedding(DOC, Scope())
    for site in sites:
        found.define(site, "SITE")
    found.close()
    return found


def test_int32_and_int64_formats_become_bounds_and_annotations_go() -> None:
    assert harden(DOC["components"]["schemas"]["Count"]) == {
        "type": "integer",
        "format": "int32",
        "minimum": 0,  # the tighter of the two lower bounds
        "maximum": 2**31 - 1,
    }


def test_a_referenced_schema_is_defined_once_and_referenced_by_name() -> None:
    found = embedding(("components", "schemas", "Item"), ("components", "schemas", "Node"))
    assert list(found.definitions) == ["SITE", "SITE_2", "COUNT"]
    assert found.definitions["SITE"]["properties"]["count"] == {"$ref": "#/$defs/COUNT"}
    assert found.definitions["SITE_2"]["properties"] == {"next": {"$ref": "#/$defs/SITE_2"},
                                                         "value": {"$ref": "#/$defs/COUNT"}}  # fmt: skip
    assert found.problems == []


def test_a_place_defined_twice_is_one_definition() -> None:
    found = Embedding(DOC, Scope())
    first = found.define(("components", "schemas", "Count"), "COUNT")
    again = found.define(("components", "schemas", "Count"), "OTHER")
    assert first == again
    assert first[0] == "COUNT"


def test_a_definition_with_the_others_beside_it_is_exact() -> None:
    found = embedding(("components", "schemas", "Item"))
    schema = standalone(found.definitions, "SITE")
    assert schema["$schema"] == DRAFT
    validator = jsonschema_rs.Draft202012Validator(schema)
    assert validator.is_valid({"count": 2**31 - 1, "big": 2**63 - 1})
    assert not validator.is_valid({"count": 2**31})
    assert not validator.is_valid({"big": 2**63})


def test_a_reference_cycle_stays_finite_and_validates_at_any_depth() -> None:
    found = embedding(("components", "schemas", "Node"))
    validator = jsonschema_rs.Draft202012Validator(standalone(found.definitions, "SITE"))
    errors = list(validator.iter_errors({"next": {"next": {"next": {"value": -1}}}}))
    assert [list(e.instance_path) for e in errors] == [["next", "next", "next", "value"]]


def test_keywords_that_names_cannot_keep_are_reported_once_where_written() -> None:
    found = embedding(("components", "schemas", "Twice"), ("components", "schemas", "Anchored"))
    assert found.problems == [
        (("components", "schemas", "Anchored", "$anchor"), "JSON Schema keyword '$anchor' is not supported")
    ]


def test_a_reference_to_something_that_is_not_a_schema_is_reported() -> None:
    found = embedding(("components", "schemas", "Pointless"))
    assert found.problems == [(("components", "schemas", "Pointless", "$ref"),
                               "reference '#/info/title' does not point at a schema")]  # fmt: skip


def test_a_schema_jsonschema_rs_cannot_compile_is_found_at_generation() -> None:
    found = embedding(("components", "schemas", "BadPattern"), ("components", "schemas", "Item"))
    [(where, message)] = found.compile_problems()
    assert where == ("components", "schemas", "BadPattern", "properties", "code", "pattern")
    assert message.startswith("JSON Schema that cannot be compiled: ")


def test_identical_definitions_are_shared() -> None:
    found = Embedding(DOC, Scope())
    found.define(("components", "schemas", "Count"), "COUNT")
    found.define(("components", "schemas", "Anchored"), "ANCHORED")
    found.define(("components", "schemas", "Recount"), "RECOUNT")  # differs only in its description
    assert found.duplicates() == {"RECOUNT": "COUNT"}
