"""codegen.spec: a broken spec stops generation with every problem named by JSON pointer and line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from codegen.errors import SpecError
from codegen.spec import Spec, load
from tests.conftest import ROOT, SPEC

MINIMAL = """\
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      properties:
        kind: {type: string, enum: [a, b]}
"""


def load_text(tmp_path: Path, text: str, strict: bool = True) -> Spec:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return load(path, strict=strict)


def problems_of(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_text(tmp_path, text)
    return [str(p) for p in caught.value.problems]


def test_our_contract_is_valid() -> None:
    spec = load(SPEC)
    assert spec.version == "3.1.0"
    assert spec.document["paths"]


def test_minimal_spec_is_valid(tmp_path: Path) -> None:
    load_text(tmp_path, MINIMAL)


def test_enum_value_of_wrong_type_is_named_by_pointer_and_line(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, MINIMAL.replace("enum: [a, b]", "enum: [a, 7]"))
    assert problems == [
        "spec.yaml:17: /components/schemas/Thing/properties/kind/enum/1: "
        "enum value is invalid for its schema: 7 is not of type 'string'"
    ]


def test_dangling_ref_is_named_by_pointer_and_line(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, MINIMAL.replace("schemas/Thing'", "schemas/Missing'"))
    assert len(problems) == 1
    assert problems[0].startswith(
        "spec.yaml:11: /paths/~1things/get/responses/200/content/application~1json/schema/$ref"
    )
    assert "'#/components/schemas/Missing'" in problems[0]


@pytest.mark.parametrize(
    ("ref", "reason"),
    [
        ("https://example.com/s.yaml#/X", "remote reference"),
        ("other.yaml#/X", "another file"),
        ("../../etc/passwd", "another file"),
        ("#", "whole document"),
    ],
)
def test_non_local_refs_are_refused(tmp_path: Path, ref: str, reason: str) -> None:
    problems = problems_of(tmp_path, MINIMAL.replace("'#/components/schemas/Thing'", repr(ref)))
    assert len(problems) == 1
    assert reason in problems[0]


def test_invalid_example_is_reported(tmp_path: Path) -> None:
    text = MINIMAL.replace("              schema:", "              example: {kind: c}\n              schema:")
    problems = problems_of(tmp_path, text)
    assert len(problems) == 1
    assert (
        "/application~1json/example: example value is invalid for its schema at /kind: 'c' is not one of" in problems[0]
    )


def test_structural_error_from_openapi_spec_validator(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, MINIMAL.replace("description: ok", "description: 5"))
    assert problems == ['spec.yaml:8: /paths/~1things/get/responses/200/description: 5 is not of type "string"']


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, MINIMAL.replace("description: ok", "description: ok: no"))
    assert len(problems) == 1
    assert problems[0].startswith("spec.yaml:8:26: /: YAML syntax error")  # line and column


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, MINIMAL.replace("      type: object\n", "      type: object\n      type: array\n"))
    assert problems == ["spec.yaml:16: /components/schemas/Thing/type: duplicate key 'type'"]


def test_yaml_is_read_as_json_data(tmp_path: Path) -> None:
    """Timestamps stay strings, yes/no are strings, numeric keys are strings: what OpenAPI (YAML 1.2) means."""
    text = MINIMAL.replace("enum: [a, b]", "enum: [yes, no, 2017-01-01, 2017-01-01T00:00:00Z]").replace(
        "'200':", "200:"
    )
    spec = load_text(tmp_path, text)
    thing = spec.document["components"]["schemas"]["Thing"]
    assert thing["properties"]["kind"]["enum"] == ["yes", "no", "2017-01-01", "2017-01-01T00:00:00Z"]
    assert "200" in spec.document["paths"]["/things"]["get"]["responses"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the document is empty"),
        ("- a\n- b\n", "must be a mapping"),
        ("openapi: 2.0.0\n", 'unsupported OpenAPI version "2.0.0": use 3.0.x or 3.1.x'),
        ("openapi: 3.2\n", "unsupported OpenAPI version 3.2: use"),  # a YAML number, shown as JSON
        (
            "swagger: '2.0'\ninfo: {title: t, version: '1'}\n",
            'a Swagger "2.0" document (OpenAPI 2.0), not OpenAPI 3: convert it first, e.g. `npx swagger2openapi',
        ),
        ("info: {title: t, version: '1'}\n", "the document has no `openapi` field"),
        ("openapi: null\n", "unsupported OpenAPI version null"),
        ("openapi: 3.1.0\nx: .nan\n", ".nan is not a JSON number"),
        ("a: &a [*a]\n", "nested deeper than"),
    ],
)
def test_unusable_documents(tmp_path: Path, text: str, message: str) -> None:
    problems = problems_of(tmp_path, text)
    assert any(message in p for p in problems), problems


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    problems = problems_of(tmp_path, "\n".join(lines) + "\n")
    assert any("document too large" in p for p in problems)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(b"openapi: 3.1.0\ninfo: {title: \xff}\n")
    with pytest.raises(SpecError, match="not UTF-8"):
        load(path)


def test_openapi_30_is_normalised(tmp_path: Path) -> None:
    text = MINIMAL.replace("openapi: 3.1.0", "openapi: 3.0.3").replace(
        "kind: {type: string, enum: [a, b]}",
        "kind: {type: string, enum: [a, b, null], nullable: true}\n"
        "        size: {type: integer, minimum: 0, exclusiveMinimum: true, example: 3}",
    )
    spec = load_text(tmp_path, text)
    thing = spec.document["components"]["schemas"]["Thing"]
    assert thing["properties"]["kind"] == {"type": ["string", "null"], "enum": ["a", "b", None]}
    assert thing["properties"]["size"] == {"type": "integer", "exclusiveMinimum": 0, "examples": [3]}


SAMPLES_30 = """\
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        inner:
          type: object
          properties:
            x: {type: string, default: null}
            n: {type: integer, example: nope}
            e: {type: string, enum: [a, 7]}
"""


def test_mismatched_examples_and_defaults_are_warnings_where_they_are_written(tmp_path: Path) -> None:
    spec = load_text(tmp_path, SAMPLES_30.replace(", 7]", "]"), strict=False)
    inner = "/components/schemas/A/properties/inner/properties"
    assert [str(w) for w in spec.warnings] == [
        f"spec.yaml:12: {inner}/x/default: default value is invalid for its schema: None is not of type 'string'",
        f"spec.yaml:13: {inner}/n/example: example value is invalid for its schema: 'nope' is not of type 'integer'",
    ]  # a 3.0 example is where it is written (not the normalised .../examples/0), and every warning has a place


def test_strict_makes_them_errors_and_enum_values_always_are(tmp_path: Path) -> None:
    assert len(problems_of(tmp_path, SAMPLES_30)) == 3
    with pytest.raises(SpecError) as caught:
        load_text(tmp_path, SAMPLES_30, strict=False)
    assert [p.pointer for p in caught.value.problems] == ["/components/schemas/A/properties/inner/properties/e/enum/1"]


def test_the_cli_warns_and_strict_refuses(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SAMPLES_30.replace(", 7]", "]"), encoding="utf-8")
    command = [sys.executable, "-m", "codegen", "validate", "--spec", str(spec)]
    relaxed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert relaxed.returncode == 0, relaxed.stderr
    assert "2 warning(s): example and default values that do not fit their schemas" in relaxed.stderr
    assert "warning: spec.yaml:13: /components/schemas/A/properties/inner/properties/n/example" in relaxed.stderr
    strict = subprocess.run([*command, "--strict"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert strict.returncode == 2
    assert "invalid spec (2 problems)" in strict.stderr


def test_a_schema_that_breaks_its_metaschema_is_named_where_it_is_written(tmp_path: Path) -> None:
    # 3.0's boolean exclusiveMinimum in a 3.1 document: openapi-spec-validator reports it relative to the
    # schema it checked (``/properties/rate/...``); the report names the place in the document.
    text = MINIMAL.replace(
        "kind: {type: string, enum: [a, b]}", "rate: {type: number, minimum: 0, exclusiveMinimum: true}"
    )
    problems = problems_of(tmp_path, text)
    assert problems == [
        "spec.yaml:17: /components/schemas/Thing/properties/rate/exclusiveMinimum: True is not of type 'number'"
    ]


NULLABLE_ALL_OF_30 = """\
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Link:
      nullable: true
      allOf:
        - type: object
          properties:
            access: {type: string, enum: [open, company], example: nobody}
"""


def test_samples_inside_a_nullable_schema_that_normalising_wraps_are_checked(tmp_path: Path) -> None:
    # 3.0 ``nullable`` without a plain type becomes ``anyOf: [<schema>, {type: null}]``: the example's schema
    # moves, the example is still reported where it is written (this crashed on a real API's document).
    spec = load_text(tmp_path, NULLABLE_ALL_OF_30, strict=False)
    assert [str(w) for w in spec.warnings] == [
        "spec.yaml:11: /components/schemas/Link/allOf/0/properties/access/example: "
        "example value is invalid for its schema: 'nobody' is not one of ['open', 'company']"
    ]


def test_a_path_with_a_fragment_is_a_warning_and_strict_refuses_it(tmp_path: Path) -> None:
    # Box documents variants of one operation as `/files/{file_id}#get_shared_link`: never sent as such.
    text = MINIMAL.replace("  /things:\n", "  /things#variant:\n")
    spec = load_text(tmp_path, text, strict=False)
    assert [str(w) for w in spec.warnings] == [
        "spec.yaml:5: /paths/~1things#variant: the path contains '#', which HTTP clients never send as part of a "
        "path: requests reach this operation only with '#' percent-encoded"
    ]
    assert problems_of(tmp_path, text) == [str(spec.warnings[0])]  # strict: the same, as an error


def test_operation_problems_are_placed_at_their_operation(tmp_path: Path) -> None:
    text = """openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /items/{id}:
    get:
      responses: {'200': {description: ok}}
  /other:
    get:
      operationId: same
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: ok}}
    put:
      operationId: same
      responses: {'200': {description: ok}}
"""
    problems = problems_of(tmp_path, text)
    assert "spec.yaml:6: /paths/~1items~1{id}/get: path parameter 'id' is in the path but not declared (in: path)" in (
        problems
    ), problems
    assert "spec.yaml:9: /paths/~1other/get: path parameter 'id' is declared but the path has no {id}" in problems
    assert any(p.startswith("spec.yaml:14: /paths/~1other/put/operationId: Operation ID 'same'") for p in problems)
