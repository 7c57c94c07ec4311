"""bench.peers.openapi30: the 3.0 rendition connexion reads is a valid 3.0 document that accepts what the spec does."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import orjson
import pytest
from openapi_schema_validator import OAS30Validator, OAS31Validator
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from bench import micro
from bench.peers.openapi30 import downgrade, schema
from codegen.spec import load
from tests.conftest import SPEC

CREATE = "#/components/schemas/managedDeviceMobileAppConfigurationUserStatus"
DOCUMENTED = orjson.loads(micro.BODY)  # the body the benchmark sends: Graph's documented example


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return load(SPEC, strict=True).raw


def test_our_spec_becomes_a_valid_30_document(raw: dict[str, Any]) -> None:
    with pytest.raises(OpenAPIValidationError):  # the check bites: 3.1 is not 3.0
        validate({**raw, "openapi": "3.0.3"})
    before = copy.deepcopy(raw)
    rendered = downgrade(raw)
    validate(rendered)
    assert rendered["openapi"] == "3.0.3"
    assert raw == before  # the input is left as it was
    text = json.dumps(rendered)
    for construct in ('"const"', '"null"', '"identifier"', '"summary": "Statuses'):
        assert construct not in text


@pytest.mark.parametrize(
    "body",
    [
        DOCUMENTED,
        {},
        {**DOCUMENTED, "userDisplayName": None, "userPrincipalName": None},
        {**DOCUMENTED, "status": "Compliant"},
        {**DOCUMENTED, "@odata.type": "#microsoft.graph.other"},
        {**DOCUMENTED, "unknown": 1},
        {**DOCUMENTED, "devicesCount": None},
        {**DOCUMENTED, "devicesCount": 2**31},
        {**DOCUMENTED, "id": "$count"},
        {**DOCUMENTED, "userDisplayName": "x" * 257},
    ],
    ids=["documented", "empty", "nulls", "enum", "const", "extra", "null-int", "int32", "id-pattern", "too-long"],
)
def test_the_rendition_accepts_what_the_spec_accepts(raw: dict[str, Any], body: dict[str, Any]) -> None:
    ours = OAS31Validator({"$ref": CREATE, "components": raw["components"]})
    theirs = OAS30Validator({"$ref": CREATE, "components": downgrade(raw)["components"]})
    assert theirs.is_valid(body) == ours.is_valid(body)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"type": ["string", "null"], "maxLength": 3}, {"type": "string", "nullable": True, "maxLength": 3}),
        ({"type": ["integer"]}, {"type": "integer"}),
        ({"const": "a"}, {"enum": ["a"]}),
        ({"type": "string", "examples": ["a", "b"]}, {"type": "string", "example": "a"}),
        ({"exclusiveMinimum": 0}, {"minimum": 0, "exclusiveMinimum": True}),
        ({"$ref": "#/x", "description": "d"}, {"allOf": [{"$ref": "#/x"}], "description": "d"}),
        ({"items": {"const": 1}, "$comment": "c"}, {"items": {"enum": [1]}}),
        (
            {"properties": {"a": False}, "additionalProperties": True},
            {"properties": {"a": {"not": {}}}, "additionalProperties": True},
        ),
        (
            {"anyOf": [{"type": ["number", "null"]}], "x-kind": 1},
            {"anyOf": [{"type": "number", "nullable": True}], "x-kind": 1},
        ),
    ],
)
def test_schema_keywords(given: dict[str, Any], expected: dict[str, Any]) -> None:
    assert schema(given, "#") == expected


@pytest.mark.parametrize(
    ("given", "where"),
    [
        ({"type": ["string", "integer"]}, "#/type"),
        ({"type": "null"}, "#/type"),
        ({"properties": {"a/b": {"prefixItems": [{}]}}}, "#/properties/a~1b/prefixItems"),
        ({"const": 1, "enum": [1]}, "#/const"),
        ({"minimum": 1, "exclusiveMinimum": 0}, "#/exclusiveMinimum"),
        ({"if": {}, "then": {}}, "#/if"),
    ],
)
def test_what_30_cannot_say_is_refused_by_pointer(given: dict[str, Any], where: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(where) + ":"):
        schema(given, "#")


def test_document_level_refusals(raw: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"^/webhooks:"):
        downgrade({**raw, "webhooks": {}})
    with pytest.raises(ValueError, match=r"^/openapi:"):
        downgrade({**raw, "openapi": "3.0.3"})
