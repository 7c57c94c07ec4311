"""codegen.contract.diff: one test per classification rule (breaking for clients, or not)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.contract.diff import compare
from codegen.spec import load
from tests.conftest import SPEC

BASE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "T", "version": "1.0.0"},
    "components": {
        "securitySchemes": {"oauth": {"type": "oauth2", "flows": {"clientCredentials": {
            "tokenUrl": "https://t.example/token", "scopes": {"read": "r", "write": "w"}}}}},
        "schemas": {
            "Thing": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string"},
                    "size": {"type": "integer", "minimum": 0, "maximum": 10},
                    "color": {"type": "string", "enum": ["red", "green"]},
                    "note": {"type": "string"},
                },
            }
        },
    },
    "paths": {
        "/things/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "put": {
                "security": [{"oauth": ["write"]}],
                "parameters": [{"name": "dryRun", "in": "query", "schema": {"type": "boolean"}}],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Thing"}}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Thing"}}}}},
            },
            "get": {
                "security": [{"oauth": ["read"]}, {"oauth": ["write"]}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Thing"}}}}},
            },
        }
    },
}  # fmt: skip


def thing(doc: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = doc["components"]["schemas"]["Thing"]
    return schema


def put(doc: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = doc["paths"]["/things/{id}"]["put"]
    return op


def split_thing(doc: dict[str, Any]) -> None:
    """Give the response its own copy of Thing, so request and response can differ."""
    doc["components"]["schemas"]["ThingOut"] = copy.deepcopy(thing(doc))
    for method in ("put", "get"):
        content = doc["paths"]["/things/{id}"][method]["responses"]["200"]["content"]["application/json"]
        content["schema"] = {"$ref": "#/components/schemas/ThingOut"}


def response_thing(doc: dict[str, Any]) -> dict[str, Any]:
    split_thing(doc)
    schema: dict[str, Any] = doc["components"]["schemas"]["ThingOut"]
    return schema


def request_thing(doc: dict[str, Any]) -> dict[str, Any]:
    split_thing(doc)
    return thing(doc)


Change = Callable[[dict[str, Any]], Any]
RULES: list[tuple[str, Change, bool, str]] = [
    ("operation removed", lambda d: d["paths"]["/things/{id}"].pop("get"), True, "operation removed"),
    ("operation added", lambda d: d["paths"].update({"/other": {"get": {"responses": {"204": {"description": "x"}}}}}),
     False, "operation added"),
    ("parameter removed", lambda d: put(d).pop("parameters"), True, "query parameter 'dryRun' removed"),
    ("required parameter added", lambda d: put(d)["parameters"].append(
        {"name": "x", "in": "header", "required": True, "schema": {"type": "string"}}), True, "required header"),
    ("optional parameter added", lambda d: put(d)["parameters"].append(
        {"name": "x", "in": "query", "schema": {"type": "string"}}), False, "optional query parameter 'x' added"),
    ("parameter became required", lambda d: put(d)["parameters"][0].update({"required": True}), True,
     "became required"),
    ("parameter type narrowed", lambda d: put(d)["parameters"][0].update({"schema": {"type": "string",
     "enum": ["true"]}}), True, "no longer allows boolean"),
    ("request: required property added", lambda d: request_thing(d).update({"required": ["id"]}), True,
     "property 'id' became required"),
    ("request: new required property", lambda d: request_thing(d)["properties"].update({"x": {"type": "string"}})
     or thing(d).update({"required": ["x"]}), True, "required property 'x' added"),
    ("request: enum value removed", lambda d: request_thing(d)["properties"]["color"].update({"enum": ["red"]}),
     True, "enum value(s) removed: 'green'"),
    ("request: enum value added", lambda d: request_thing(d)["properties"]["color"].update(
        {"enum": ["red", "green", "blue"]}), False, "enum value(s) added: 'blue'"),
    ("request: enum values shown as JSON", lambda d: request_thing(d)["properties"]["color"].update(
        {"type": ["string", "null", "boolean"], "enum": ["red", "green", None, True]}), False,
     "enum value(s) added: null, true"),
    ("request: uniqueItems shown as JSON", lambda d: request_thing(d)["properties"]["color"].update(
        {"uniqueItems": True}), True, "'uniqueItems' added (true)"),
    ("request: bound narrowed", lambda d: request_thing(d)["properties"]["size"].update({"maximum": 5}), True,
     "'maximum' tightened from 10 to 5"),
    ("request: bound widened", lambda d: request_thing(d)["properties"]["size"].update({"maximum": 50}), False,
     "'maximum' relaxed"),
    ("request: format added", lambda d: request_thing(d)["properties"]["note"].update({"format": "uuid"}), True,
     "'format' added"),
    ("request: property removed while unknown ones are rejected", lambda d: request_thing(d)["properties"].pop("note"),
     True, "property 'note' removed (now rejected)"),
    ("response: property removed", lambda d: response_thing(d)["properties"].pop("note"), True,
     "property 'note' removed from the response"),
    ("response: enum value added", lambda d: response_thing(d)["properties"]["color"].update(
        {"enum": ["red", "green", "blue"]}), False, "enum value(s) added: 'blue'"),
    ("response: enum value removed", lambda d: response_thing(d)["properties"]["color"].update({"enum": ["red"]}),
     False, "enum value(s) removed"),
    ("response: became nullable", lambda d: response_thing(d)["properties"]["note"].update(
        {"type": ["string", "null"]}), True, "type now also allows null"),
    ("response: success status removed", lambda d: put(d)["responses"].update(
        {"201": put(d)["responses"].pop("200")}), True, "response 200 removed"),
    ("request media type removed", lambda d: put(d)["requestBody"].update({"content": {"application/xml": {}}}), True,
     "request media type 'application/json' removed"),
    ("security tightened", lambda d: put(d).update({"security": [{"oauth": ["write", "read"]}]}), True,
     "security tightened"),
    ("security relaxed", lambda d: d["paths"]["/things/{id}"]["get"].update({"security": [{"oauth": ["read"]}]}),
     True, "security tightened: clients with oauth [write]"),
    ("security removed", lambda d: put(d).update({"security": []}), False, "authentication no longer required"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "change", "breaking", "message"), RULES, ids=[r[0] for r in RULES])
def test_rule(tmp_path: Path, name: str, change: Change, breaking: bool, message: str) -> None:
    new = copy.deepcopy(BASE)
    change(new)
    report = compare(load_doc(tmp_path, BASE, "old"), load_doc(tmp_path, new, "new"))
    matching = [c for c in report.changes if message in c.message]
    assert matching, f"{name}: no change mentions {message!r}: {[str(c) for c in report.changes]}"
    assert {c.breaking for c in matching} == {breaking}, [str(c) for c in report.changes]


def test_a_new_response_enum_value_is_flagged_for_closed_enum_clients_only(tmp_path: Path) -> None:
    new = copy.deepcopy(BASE)
    response_thing(new)["properties"]["color"].update({"enum": ["red", "green", "blue"]})
    report = compare(load_doc(tmp_path, BASE, "old"), load_doc(tmp_path, new, "new"))
    assert {str(c) for c in report.closed_enums} == {
        f"{method} /things/{{id}}: response 200.color: enum value(s) added: 'blue'" for method in ("GET", "PUT")
    }
    assert report.breaking == []


def test_request_closing_to_unknown_properties_is_breaking(tmp_path: Path) -> None:
    old = copy.deepcopy(BASE)
    thing(old).pop("additionalProperties")
    report = compare(load_doc(tmp_path, old, "old"), load_doc(tmp_path, BASE, "new"))
    assert [str(c) for c in report.breaking] == ["PUT /things/{id}: request body: unknown properties are now rejected"]


def load_doc(tmp_path: Path, doc: dict[str, Any], name: str) -> dict[str, Any]:
    """Documents go through codegen.spec like real ones (validated, 3.0 read as 3.1)."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return load(path).document


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["info"].update({"description": "new words", "version": "1.0.1"}),
        lambda d: (
            d["paths"].update({"/things/{thingId}": d["paths"].pop("/things/{id}")})
            or d["paths"]["/things/{thingId}"]["parameters"][0].update({"name": "thingId"})
        ),
        lambda d: put(d)["requestBody"]["content"]["application/json"].update({"schema": copy.deepcopy(thing(d))}),
    ],
    ids=["descriptions and version", "path parameter renamed", "reference inlined"],
)
def test_changes_clients_cannot_see(tmp_path: Path, change: Change) -> None:
    new = copy.deepcopy(BASE)
    change(new)
    report = compare(load_doc(tmp_path, BASE, "old"), load_doc(tmp_path, new, "new"))
    assert report.changes == []


def test_our_contract_against_itself() -> None:
    document = load(SPEC).document
    assert compare(document, copy.deepcopy(document)).changes == []


def test_a_change_inside_a_named_schema_says_which_schema_and_where_in_it(tmp_path: Path) -> None:
    """The same change reached through several operations is one change of that schema (the changelog
    lists it once); a change in an operation's own inline schema belongs to that operation only."""
    old, new = copy.deepcopy(BASE), copy.deepcopy(BASE)
    thing(new)["properties"]["color"]["enum"].append("blue")
    put(new)["parameters"][0]["schema"] = {"type": "boolean", "default": False, "enum": [False]}
    report = compare(load_doc(tmp_path, old, "old"), load_doc(tmp_path, new, "new"))
    in_thing = {(c.operation, c.schema, c.detail) for c in report.changes if c.schema}
    assert in_thing == {
        (op, "Thing", "color: enum value(s) added: 'blue'") for op in ("GET /things/{id}", "PUT /things/{id}")
    }
    [inline] = [c for c in report.changes if not c.schema]
    assert (inline.operation, inline.detail) == ("PUT /things/{id}", inline.message)
    assert str(inline) == "PUT /things/{id}: query parameter 'dryRun': values restricted to an enum"


def test_operations_are_named_by_the_shortest_unique_end_of_their_operation_id(tmp_path: Path) -> None:
    old, new = copy.deepcopy(BASE), copy.deepcopy(BASE)
    for doc in (old, new):
        put(doc)["operationId"] = "things.item.Update"
        doc["paths"]["/things/{id}"]["get"]["operationId"] = "things.item.Get"
        doc["paths"]["/other"] = {"get": {"operationId": "other.Get", "responses": {"204": {"description": "x"}}}}
    thing(new)["properties"].pop("note")
    new["paths"]["/other"]["get"]["responses"]["200"] = {"description": "ok"}
    report = compare(load_doc(tmp_path, old, "old"), load_doc(tmp_path, new, "new"))
    assert {c.operation for c in report.changes} == {"Update", "item.Get", "other.Get"}
