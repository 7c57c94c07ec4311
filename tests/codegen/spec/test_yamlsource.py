"""codegen.spec.yamlsource: YAML read as JSON data, with the line of every node for error messages."""

from __future__ import annotations

import pytest

from codegen.errors import SpecError
from codegen.spec.yamlsource import MAX_DEPTH, parse

TEXT = """\
openapi: 3.1.0
paths:
  /items:
    get:
      responses:
        '200': {description: ok}
list:
  - a
  - b: 1
"""


def test_lines_follow_the_pointer_to_the_deepest_node_that_exists() -> None:
    """The line is where the value named by the pointer starts."""
    source = parse(TEXT, "x.yaml")
    assert source.line_of(("paths", "/items", "get")) == 5
    assert source.line_of(("paths", "/items", "get", "responses", "200")) == 6
    assert source.line_of(("list", 1, "b")) == 9
    assert source.line_of(("paths", "/nope", "get")) == 3  # /paths exists, /nope does not


def test_a_problem_carries_file_line_and_pointer() -> None:
    problem = parse(TEXT, "x.yaml").problem(("paths", "/items", "get"), "bad")
    assert str(problem) == "x.yaml:5: /paths/~1items/get: bad"


@pytest.mark.parametrize(
    ("text", "value"),
    [("a: yes", {"a": "yes"}), ("a: on", {"a": "on"}), ("a: 2017-01-01", {"a": "2017-01-01"}),
     ("200: x", {"200": "x"}), ("a: True", {"a": True}), ("a: ~", {"a": None}), ("a: 1e3", {"a": 1000.0}),
     ("a: [3e-05, -1.5E+2, .5e1]", {"a": [3e-05, -150.0, 5.0]}),
     ('{"a": [1, 2.5, "x"]}', {"a": [1, 2.5, "x"]})],
)  # fmt: skip
def test_yaml_12_scalars_and_string_keys(text: str, value: object) -> None:
    assert parse(text, "x.yaml").data == value


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [("a: 1\nb: 2\na: 3\n", "duplicate key 'a'", 3), ("a: .nan\n", "is not a JSON number", 1),
     ("a: !!binary aGk=\n", "is not JSON", 1), ("a: [1\n", "YAML syntax error", 2), ("", "the document is empty", 1),
     ("? [a]\n: 1\n", "a mapping key must be a plain scalar", 1)],
)  # fmt: skip
def test_what_json_cannot_hold_is_refused_with_its_line(text: str, message: str, line: int) -> None:
    with pytest.raises(SpecError) as caught:
        parse(text, "x.yaml")
    problem = caught.value.problems[0]
    assert message in problem.message
    assert problem.line == line


@pytest.mark.parametrize(
    ("text", "name", "place"),
    [("a: 1\nb: {c: [1, 2}\n", "x.yaml", "x.yaml:2:13"), ('{\n "a": [1,\n}', "api.json", "api.json:3:1")],
)
def test_a_syntax_error_is_placed_by_line_and_column(text: str, name: str, place: str) -> None:
    with pytest.raises(SpecError) as caught:
        parse(text, name)
    assert caught.value.problems[0].place.startswith(place + ":"), caught.value.problems[0].place


def test_nesting_is_bounded() -> None:
    deep = "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)
    with pytest.raises(SpecError, match=f"nested deeper than {MAX_DEPTH} levels"):
        parse(deep, "x.yaml")


def test_merge_keys_apply() -> None:
    assert parse("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n", "x.yaml").data["other"] == {"x": 1, "y": 2}


def test_a_json_document_is_read_as_json_and_keeps_its_lines() -> None:
    text = '{\n  "emoji": "\\ud83d\\udc4d",\n  "n": 1e3,\n  "small": 3e-05,\n  "list": [1, 2.5]\n}'
    source = parse(text, "api.json")
    assert source.data == {"emoji": "\U0001f44d", "n": 1000.0, "small": 3e-05, "list": [1, 2.5]}
    assert source.line_of(("list", 1)) == 5
    assert str(source.problem(("small",), "bad")) == "api.json:4: /small: bad"


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [('{\n "a": 1,\n "a": 2\n}', "duplicate key 'a'", 3), ('{\n "a": NaN\n}', "not a JSON number", 2),
     ('{\n "a": [1,\n}', "JSON syntax error", 3)],
)  # fmt: skip
def test_what_a_json_document_gets_wrong_is_refused_with_its_line(text: str, message: str, line: int) -> None:
    with pytest.raises(SpecError) as caught:
        parse(text, "api.json")
    problem = caught.value.problems[0]
    assert message in problem.message
    assert problem.line == line


def test_a_yaml_plain_scalar_keeps_its_backslashes() -> None:
    assert parse("pattern: ^\\ud83d$\n", "x.yaml").data == {"pattern": "^\\ud83d$"}
