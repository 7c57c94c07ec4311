"""The server target scales with the spec: each schema is written once, however many operations link to it."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen import server
from codegen.runtime.validation import violations
from codegen.spec import load


def linked_spec(tmp_path: Path, n: int) -> Path:
    """``n`` operations over ``n`` components that all reach each other (a cycle): the shape of a payments API,
    where bundling each operation's schema with what it references is quadratic."""
    schemas: dict[str, Any] = {
        f"C{i}": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "next": {"$ref": f"#/components/schemas/C{(i + 1) % n}"},
                "code": {"type": "string", "maxLength": i + 1},
                "count": {"type": "integer", "format": "int32", "minimum": 0},
            },
        }
        for i in range(n)
    }
    paths = {
        f"/things{i}/{{id}}": {
            "post": {
                "operationId": f"post{i}",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object", "properties": {"thing": {"$ref": f"#/components/schemas/C{i}"}}}}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": f"#/components/schemas/C{(i + 7) % n}"}}}}},
            }
        }
        for i in range(n)
    }  # fmt: skip
    doc = {"openapi": "3.1.0", "info": {"title": "Linked", "version": "1"}, "paths": paths,
           "components": {"schemas": schemas}}  # fmt: skip
    path = tmp_path / f"linked{n}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def operations_source(tmp_path: Path, n: int) -> str:
    return server.generate(load(linked_spec(tmp_path, n)))["operations.py"].decode()


def test_each_component_is_written_once(tmp_path: Path) -> None:
    source = operations_source(tmp_path, 12)
    for i in range(12):
        assert len(re.findall(rf'SCHEMAS\.add\(\s*"C{i}"', source)) == 1
    # an operation's own schema references the component by name instead of copying it
    assert '{"properties":{"thing":{"$ref":"#/$defs/C0"}},"type":"object"}' in source


def test_the_output_grows_linearly_with_the_operations(tmp_path: Path) -> None:
    small, large = (len(operations_source(tmp_path, n)) for n in (40, 80))
    assert 1.8 < large / small < 2.2, (small, large)  # copying each closure would make it about 4


def test_the_generated_validators_follow_the_cycle_and_name_the_deep_property(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "linked_server"
    for name, content in server.generate(load(linked_spec(tmp_path, 5))).items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_bytes(content)
    monkeypatch.syspath_prepend(str(tmp_path))
    operations = importlib.import_module("linked_server.operations")
    body = operations.OPERATIONS["post0"].body.validator
    deep: dict[str, Any] = {"code": "far too long", "count": 2**31}
    for _ in range(6):
        deep = {"next": deep}
    found = violations(body, {"thing": deep})
    base = "thing" + ".next" * 6
    assert sorted(target or "" for _, _, target in found) == [f"{base}.code", f"{base}.count"]
    # the response shares the component's validator: one compiled validator per schema
    assert operations.OPERATIONS["post0"].responses["200"].validator is operations.C2
