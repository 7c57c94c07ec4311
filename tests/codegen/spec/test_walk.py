"""codegen.spec.walk: the OpenAPI object model, walked once for schemas, references, samples, operations."""

from __future__ import annotations

from typing import Any

from codegen.spec.walk import operations, security_of, walk

DOC: dict[str, Any] = {
    "security": [{"oauth": ["read"]}],
    "paths": {
        "/b": {"post": {"security": [], "responses": {}}, "get": {"responses": {}}, "parameters": []},
        "/a": {"delete": {"responses": {}}, "x-note": {"get": "not an operation"}},
    },
    "components": {
        "schemas": {
            "A": {"type": "object", "properties": {"example": {"type": "string", "example": "x"}},
                  "default": {"example": "y"}, "enum": [{"example": "y"}]},
            "B": {"$ref": "#/components/schemas/A"},
        }
    },
}  # fmt: skip


def test_operations_come_in_document_order_of_paths_and_method_order() -> None:
    assert [(s.method, s.path) for s in operations(DOC)] == [("get", "/b"), ("post", "/b"), ("delete", "/a")]
    assert next(operations(DOC)).pointer == ("paths", "/b", "get")


def test_an_operations_own_security_wins_over_the_documents() -> None:
    sites = {(s.method, s.path): s.operation for s in operations(DOC)}
    assert security_of(DOC, sites[("get", "/b")]) == [{"oauth": ["read"]}]
    assert security_of(DOC, sites[("post", "/b")]) == []


def test_a_property_named_example_is_not_an_example() -> None:
    found = walk(DOC)
    samples = {(s.kind, s.value) for s in found.samples}
    assert ("example", ("components", "schemas", "A", "properties", "example", "example")) in samples
    assert ("default", ("components", "schemas", "A", "default")) in samples
    assert ("enum", ("components", "schemas", "A", "enum", 0)) in samples
    assert not any(s.value == ("components", "schemas", "A", "properties", "example") for s in found.samples)
    assert found.refs == [(("components", "schemas", "B", "$ref"), "#/components/schemas/A")]
