"""codegen.runtime.parameters: text -> values (coercion), then the parameter's own schema."""

from __future__ import annotations

from typing import Any

import pytest

from codegen.runtime.errors import BadRequest
from codegen.runtime.operation import Operation, Parameter, Shape
from codegen.runtime.parameters import (
    MAX_QUERY_FIELDS,
    coerce,
    parameter_value,
    parse_cookies,
    parse_query,
    read_parameters,
)
from codegen.runtime.validation import compile_schema

INT32 = compile_schema('{"type": "integer", "minimum": 0, "maximum": 2147483647}')
STRINGS = compile_schema('{"type": "array", "items": {"enum": ["id", "status"]}}')
ANY = compile_schema("{}")


@pytest.mark.parametrize(
    ("coercion", "text", "value"),
    [("string", "007", "007"), ("integer", "+5", 5), ("integer", "-0", 0), ("number", "1e3", 1000.0),
     ("number", "9007199254740993", 9007199254740993),  # exact, not rounded to a float
     ("number", ".5", 0.5), ("boolean", "true", True), ("boolean", "false", False), ("json", '{"a":[1]}', {"a": [1]})],
)  # fmt: skip
def test_coercion_turns_text_into_json_values(coercion: Any, text: str, value: Any) -> None:
    assert coerce(coercion, text, "p", "query") == value


@pytest.mark.parametrize(
    ("coercion", "text", "expected"),
    [("integer", "1.0", "an integer"), ("integer", "1" * 41, "an integer"), ("integer", "", "an integer"),
     ("number", "1e", "a number"), ("number", "NaN", "a number"), ("number", "1e999", "a number"),
     ("boolean", "True", "true or false"),
     ("boolean", "1", "true or false"), ("json", "{", "JSON")],
)  # fmt: skip
def test_text_that_is_not_the_type_is_a_400_naming_the_parameter(coercion: Any, text: str, expected: str) -> None:
    with pytest.raises(BadRequest) as caught:
        coerce(coercion, text, "$top", "query")
    assert caught.value.message.startswith(f"Invalid value '{text[:100]}")
    assert caught.value.message.endswith(f"for query option '$top': expected {expected}.")
    assert caught.value.target == "$top"


def param(**overrides: Any) -> Parameter:
    fields: dict[str, Any] = {"wire_name": "$top", "py_name": "top", "location": "query", "required": False,
                              "coercion": "integer", "validator": INT32, **overrides}  # fmt: skip
    return Parameter(**fields)


def test_an_absent_optional_parameter_is_none_or_its_default() -> None:
    assert parameter_value(param(), None) is None
    assert parameter_value(param(default=10, has_default=True), None) == 10


def test_an_absent_required_parameter_is_a_400() -> None:
    with pytest.raises(BadRequest, match=r"The parameter '\$top' is required."):
        parameter_value(param(required=True), None)


def test_a_value_its_schema_rejects_is_a_400_with_details() -> None:
    with pytest.raises(BadRequest) as caught:
        parameter_value(param(), ["-1"])
    assert caught.value.details == [("OutOfRange", "Invalid value -1 for query option '$top': must be >= 0.", "$top")]


def test_a_repeated_single_value_is_a_400() -> None:
    with pytest.raises(BadRequest, match="given more than once"):
        parameter_value(param(), ["1", "2"])


def test_arrays_are_comma_separated_unless_exploded_in_the_query() -> None:
    select = param(wire_name="$select", py_name="select", coercion="string", validator=STRINGS, is_array=True)
    assert parameter_value(select, ["id,status"]) == ["id", "status"]
    assert parameter_value(select, [""]) == []
    exploded = param(wire_name="$select", coercion="string", validator=STRINGS, is_array=True, explode=True)
    assert parameter_value(exploded, ["id", "status"]) == ["id", "status"]
    header = param(wire_name="X-Ids", location="header", coercion="string", validator=STRINGS, is_array=True,
                   explode=True)  # fmt: skip
    assert parameter_value(header, ["id,status"]) == ["id", "status"]  # headers are never exploded by key


def test_a_repeated_comma_separated_array_is_a_400_not_its_first_value() -> None:
    select = param(wire_name="$select", py_name="select", coercion="string", validator=STRINGS, is_array=True)
    with pytest.raises(BadRequest, match=r"'\$select' is given more than once: send its values once, comma-separated"):
        parameter_value(select, ["id", "status"])


def test_parse_query_keeps_order_and_blanks_and_bounds_the_option_count() -> None:
    assert parse_query(b"a=1&b=&a=2&%24top=3") == {"a": ["1", "2"], "b": [""], "$top": ["3"]}
    with pytest.raises(BadRequest, match=f"more than {MAX_QUERY_FIELDS} options"):
        parse_query("&".join(["x=1"] * (MAX_QUERY_FIELDS + 1)).encode())
    with pytest.raises(BadRequest, match="not valid UTF-8"):
        parse_query(b"a=%ff")


def test_parse_cookies() -> None:
    assert parse_cookies("a=1; b=%20x; a=2; junk") == {"a": ["1", "2"], "b": [" x"]}


def operation(*params: Parameter, query_names: frozenset[str] = frozenset({"$top"})) -> Operation:
    return Operation("op", "op", "GET", "/items/{id}", params, query_names, None, 200, (), {})


def test_read_parameters_from_every_place() -> None:
    op = operation(
        param(wire_name="id", py_name="id", location="path", required=True, coercion="string", validator=ANY),
        param(),
        param(wire_name="X-Trace", py_name="trace", location="header", coercion="string", validator=ANY),
        param(wire_name="session", py_name="session", location="cookie", coercion="string", validator=ANY),
    )
    headers = {"x-trace": "t1", "cookie": "session=s1"}
    values = read_parameters(op, b"%24top=5", headers, {"id": "i1"}, reject_unknown=True)
    assert values == {"id": "i1", "top": 5, "trace": "t1", "session": "s1"}


def test_undeclared_query_options_are_refused_only_when_asked() -> None:
    op = operation(param())
    with pytest.raises(BadRequest, match=r"Query option 'x' is not supported\."):
        read_parameters(op, b"x=1", {}, {}, reject_unknown=True)
    assert read_parameters(op, b"x=1", {}, {}, reject_unknown=False) == {"top": None}


CREATED = compile_schema('{"anyOf": [{"type": "integer"}, {"type": "object", "properties": {"gte": '
                         '{"type": "integer"}}, "additionalProperties": false}]}')  # fmt: skip
INT_SHAPE = Shape(("integer",))


def test_deep_object_query_parameters_gather_their_keys() -> None:
    created = param(wire_name="created", py_name="created", coercion="string", validator=CREATED, style="deep",
                    shape=Shape(("integer",), properties={"gte": INT_SHAPE}))  # fmt: skip
    expand = param(wire_name="expand", py_name="expand", coercion="string", validator=ANY, style="deep",
                   shape=Shape((), items=Shape()))  # fmt: skip
    op = operation(created, expand, query_names=frozenset({"created", "expand"}))
    assert read_parameters(op, b"created%5Bgte%5D=5&expand[]=a&expand[]=b", {}, {}, True) == {
        "created": {"gte": 5}, "expand": ["a", "b"]
    }  # fmt: skip
    assert read_parameters(op, b"created=7", {}, {}, True) == {"created": 7, "expand": None}
    with pytest.raises(BadRequest, match=r"Invalid value 'x' for query option 'created\[gte\]': expected an integer"):
        read_parameters(op, b"created[gte]=x", {}, {}, True)
    with pytest.raises(BadRequest, match=r"for query option 'created': \{\"gt\":\"1\"\} is not valid under any"):
        read_parameters(op, b"created[gt]=1", {}, {}, True)
    with pytest.raises(BadRequest, match=r"Query option 'other\[a\]' is not supported"):
        read_parameters(op, b"other[a]=1", {}, {}, True)


def test_form_object_parameters_spread_or_in_pairs() -> None:
    shape = Shape((), properties={"lat": Shape(("number",)), "tags": Shape((), items=Shape())})
    spread = param(wire_name="point", py_name="point", coercion="string", validator=ANY, style="spread", shape=shape)
    op = operation(spread, param(), query_names=frozenset({"point", "$top"}))
    assert read_parameters(op, b"lat=1.5&tags=a&tags=b&%24top=1", {}, {}, True) == {
        "point": {"lat": 1.5, "tags": ["a", "b"]}, "top": 1
    }  # fmt: skip
    with pytest.raises(BadRequest, match="Query option 'lon' is not supported"):
        read_parameters(op, b"lon=1", {}, {}, True)
    open_shape = Shape((), properties={"lat": Shape(("number",))}, additional=Shape())
    catch_all = param(wire_name="point", py_name="point", coercion="string", validator=ANY, style="spread",
                      shape=open_shape)  # fmt: skip
    op = operation(catch_all, param(), query_names=frozenset({"point", "$top"}))
    assert read_parameters(op, b"lat=1&lon=2&%24top=1", {}, {}, True) == {"point": {"lat": 1.0, "lon": "2"}, "top": 1}
    pairs = param(wire_name="point", py_name="point", coercion="string", validator=ANY, style="pairs", shape=shape)
    op = operation(pairs, query_names=frozenset({"point"}))
    assert read_parameters(op, b"point=lat,2.5,name,x", {}, {}, True) == {"point": {"lat": 2.5, "name": "x"}}
    with pytest.raises(BadRequest, match="needs key,value pairs: it has 3 items"):
        read_parameters(op, b"point=lat,2.5,name", {}, {}, True)
    assert read_parameters(op, b"point=", {}, {}, True) == {"point": {}}  # no pairs: an empty object (was a 500)
    assert read_parameters(op, b"point", {}, {}, True) == {"point": {}}
