"""The client target on documents we did not write: what openapi-python-client skips or cannot type is a
warning with its place (an error with --strict, as `make gen` runs on our own spec), and the tool's crashes
on published documents (an empty enum, enum values whose Python names collide) are avoided."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, importable

pytestmark = pytest.mark.slow

#: Each line is something real published APIs do that openapi-python-client 0.29 cannot take as it is.
AWKWARD = """\
openapi: 3.1.0
info: {title: Awkward, version: '1'}
paths:
  /calls:
    get:
      operationId: listCalls
      parameters:
        - {name: StartTime, in: query, schema: {type: string}}
        - {name: StartTime>, in: query, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string}}}}
  /search:
    get:
      operationId: search
      parameters:
        - {name: direction, in: query, schema: {type: string, enum: [ASC, DESC, asc, desc]}}
        - {name: state, in: query, schema: {type: integer, enum: []}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Zone'}}}}
components:
  schemas:
    Zone:
      type: object
      properties:
        tz: {type: string, enum: [GMT+0, GMT0, UTC]}
"""


def generate(tmp_path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    spec = tmp_path / "awkward.yaml"
    spec.write_text(AWKWARD, encoding="utf-8")
    command = [sys.executable, "-m", "codegen", "gen", "--spec", str(spec), "--out", str(tmp_path / "out"),
               "--target", "client", "--package", "awkward", *flags]  # fmt: skip
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_published_documents_get_a_client_with_what_it_leaves_out_reported(tmp_path: Path) -> None:
    run = generate(tmp_path)
    assert run.returncode == 0, run.stderr
    warnings = [line.strip() for line in run.stderr.splitlines() if line.startswith("  warning: ")]
    assert warnings == [
        "warning: awkward.yaml:6: /paths/~1calls/get: the client leaves this out: Endpoint will not be generated. "
        "Parameters with same Python identifier StartTime detected",
        "warning: awkward.yaml:16: /paths/~1search/get/parameters/0/schema/enum: the client types this enum as its "
        "base type: some values differ only in case or punctuation, so their Python names collide",
        "warning: awkward.yaml:17: /paths/~1search/get/parameters/1/schema/enum: the client types this enum as its "
        "base type: it allows no value",
        "warning: awkward.yaml:25: /components/schemas/Zone/properties/tz/enum: the client types this enum as its "
        "base type: some values differ only in case or punctuation, so their Python names collide",
    ]
    assert "codegen: 4 warning(s): what the client target leaves out or types loosely" in run.stderr
    with importable(tmp_path, "out"):  # "out" is forgotten afterwards: other tests generate their own
        client = importlib.import_module("out.client")
        search = importlib.import_module("out.client.api.default.search")
    assert hasattr(client, "Client")
    assert hasattr(search, "sync")


def test_strict_refuses_in_one_line_per_problem(tmp_path: Path) -> None:
    run = generate(tmp_path, "--strict")
    assert run.returncode == 2
    lines = run.stderr.splitlines()
    assert lines[0] == "codegen: openapi-python-client could not generate a client for awkward.yaml:"
    assert any("Parameters with same Python identifier StartTime detected" in line for line in lines)
    assert not any(box in run.stderr for box in "╭│╰"), run.stderr  # never the tool's box-drawn traceback
    assert not (tmp_path / "out").exists()
