"""codegen.spec.normalise: OpenAPI 3.0 schemas read as 3.1 (JSON Schema 2020-12)."""

from __future__ import annotations

from typing import Any

import pytest

from codegen.spec.normalise import schema_to_31, to_31


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string", "nullable": True}, {"type": ["string", "null"]}),
        ({"type": "string", "enum": ["a"], "nullable": True}, {"type": ["string", "null"], "enum": ["a", None]}),
        ({"allOf": [{"$ref": "#/x"}], "nullable": True, "description": "d"},
         {"description": "d", "anyOf": [{"allOf": [{"$ref": "#/x"}]}, {"type": "null"}]}),
        ({"type": "integer", "minimum": 0, "exclusiveMinimum": True}, {"type": "integer", "exclusiveMinimum": 0}),
        ({"type": "integer", "maximum": 9, "exclusiveMaximum": False}, {"type": "integer", "maximum": 9}),
        ({"type": "string", "example": "x"}, {"type": "string", "examples": ["x"]}),
        ({"$ref": "#/components/schemas/A", "description": "ignored in 3.0"}, {"$ref": "#/components/schemas/A"}),
        ({"type": "string", "nullable": False}, {"type": "string"}),
    ],
)  # fmt: skip
def test_one_schema(schema: dict[str, Any], expected: dict[str, Any]) -> None:
    assert schema_to_31(schema) == expected


def test_every_schema_of_a_document_is_rewritten_and_the_input_kept() -> None:
    doc: dict[str, Any] = {
        "openapi": "3.0.3",
        "components": {"schemas": {"A": {"type": "object",
                                         "properties": {"n": {"type": "integer", "nullable": True}}}}},
        "paths": {"/a": {"get": {"parameters": [{"name": "q", "in": "query", "schema": {"type": "string",
                                                                                         "nullable": True}}]}}},
    }  # fmt: skip
    out = to_31(doc)
    assert out["components"]["schemas"]["A"]["properties"]["n"] == {"type": ["integer", "null"]}
    assert out["paths"]["/a"]["get"]["parameters"][0]["schema"] == {"type": ["string", "null"]}
    assert doc["components"]["schemas"]["A"]["properties"]["n"] == {"type": "integer", "nullable": True}
