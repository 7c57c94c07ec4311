"""codegen.spec.embed: the schemas a server embeds validate exactly what the spec says."""

from __future__ import annotations

from typing import Any

import jsonschema_rs

from codegen.spec.embed import DRAFT, embedded_schema, harden

DOC: dict[str, Any] = {
    "components": {
        "schemas": {
            "Count": {"type": "integer", "format": "int32", "minimum": 0, "description": "How many.",
                      "example": 3, "x-internal": True},
            "Item": {"type": "object", "properties": {"count": {"$ref": "#/components/schemas/Count"},
                                                      "big": {"type": "integer", "format": "int64",
                                                              "maximum": 2**70}}},
            "Anchored": {"$anchor": "here", "type": "string"},
        }
    }
}  # fmt: skip


def test_int32_and_int64_formats_become_bounds_and_annotations_go() -> None:
    assert harden(DOC["components"]["schemas"]["Count"]) == {
        "type": "integer",
        "format": "int32",
        "minimum": 0,  # the tighter of the two lower bounds
        "maximum": 2**31 - 1,
    }


def test_the_embedded_schema_is_bundled_and_exact() -> None:
    schema, problems = embedded_schema(DOC, ("components", "schemas", "Item"))
    assert problems == []
    assert schema["$schema"] == DRAFT
    validator = jsonschema_rs.Draft202012Validator(schema)
    assert validator.is_valid({"count": 2**31 - 1, "big": 2**63 - 1})
    assert not validator.is_valid({"count": 2**31})
    assert not validator.is_valid({"big": 2**63})


def test_keywords_that_cannot_be_bundled_are_reported_where_written() -> None:
    _, problems = embedded_schema(DOC, ("components", "schemas", "Anchored"))
    assert problems == [
        (("components", "schemas", "Anchored", "$anchor"), "JSON Schema keyword '$anchor' is not supported")
    ]
