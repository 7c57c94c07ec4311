"""codegen.runtime.deep: deepObject keys assembled into values, each text read as the schema allows there."""

from __future__ import annotations

import re
from typing import Any

import pytest

from codegen.runtime.deep import MAX_DEPTH, DeepValue, scalar, split_key
from codegen.runtime.errors import BadRequest
from codegen.runtime.operation import Shape

INT = Shape(("integer",))
STR = Shape()
#: Stripe's ``created``: an integer, or an object of integer bounds.
CREATED = Shape(("integer",), properties={"gt": INT, "gte": INT, "lt": INT, "lte": INT})
#: ``metadata``: an object of strings, or "" to clear it.
METADATA = Shape(("string",), properties={}, additional=STR)
EXPAND = Shape((), items=STR)
ITEMS = Shape((), items=Shape((), properties={"price": STR, "quantity": INT}))


def deep(shape: Shape, *pairs: tuple[str, str], name: str = "x") -> Any:
    value = DeepValue(name, shape, "query option")
    for key, text in pairs:
        split = split_key(key)
        assert split is not None or key == name
        value.put(split[1] if split else [], text)
    return value.value()


def test_split_key() -> None:
    assert split_key("a[b][]") == ("a", ["b", ""])
    assert split_key("a") is None
    assert split_key("a[b]c") is None
    assert split_key("a[[b]]") is None
    assert split_key("[b]") == ("", ["b"])


def test_objects_are_coerced_by_their_properties_types() -> None:
    assert deep(CREATED, ("x[gte]", "1"), ("x[lt]", "20")) == {"gte": 1, "lt": 20}
    assert deep(CREATED, ("x", "5")) == 5
    assert deep(METADATA, ("x[order]", "42"), ("x[note]", "")) == {"order": "42", "note": ""}
    assert deep(METADATA, ("x", "")) == ""


def test_nested_objects_and_arrays_by_index_or_by_brackets() -> None:
    nested = Shape((), properties={"a": Shape((), properties={"b": Shape((), properties={"c": INT})})})
    assert deep(nested, ("x[a][b][c]", "7")) == {"a": {"b": {"c": 7}}}
    assert deep(EXPAND, ("x[]", "a"), ("x[]", "b")) == ["a", "b"]
    assert deep(EXPAND, ("x[1]", "b"), ("x[0]", "a")) == ["a", "b"]
    assert deep(EXPAND, ("x", "a"), ("x", "b")) == ["a", "b"]  # form style: a bare name repeated
    items = (("x[0][price]", "p1"), ("x[0][quantity]", "2"), ("x[1][price]", "p2"))
    assert deep(ITEMS, *items) == [{"price": "p1", "quantity": 2}, {"price": "p2"}]


def test_an_empty_text_where_only_an_object_fits_is_an_empty_one() -> None:
    assert deep(EXPAND, ("x", "")) == [""]  # a bare name where only arrays fit is an item
    assert deep(Shape((), properties={}), ("x", "")) == {}
    assert deep(METADATA, ("x", "")) == ""  # text fits there: it stays text


def test_without_items_in_the_schema_digits_are_object_keys() -> None:
    assert deep(METADATA, ("x[0]", "a")) == {"0": "a"}


def test_where_only_objects_fit_an_empty_key_is_a_key() -> None:
    assert deep(METADATA, ("x[]", "a")) == {"": "a"}


def test_proto_style_keys_are_plain_keys() -> None:
    assert deep(METADATA, ("x[__proto__]", "1"), ("x[constructor]", "2")) == {"__proto__": "1", "constructor": "2"}


@pytest.mark.parametrize(
    ("shape", "pairs", "message"),
    [(CREATED, [("x[gte]", "soon")], "Invalid value 'soon' for query option 'x[gte]': expected an integer."),
     (METADATA, [("x[a]", "1"), ("x[a]", "2")], "'x[a]' is given more than once"),
     (CREATED, [("x", "1"), ("x[gt]", "2")], "'x[gt]' is given both as a value and with keys"),
     (EXPAND, [("x[]", "a"), ("x[1]", "b")], "mixes keys, [] items and [n] indexes"),
     (EXPAND, [("x[0]", "a"), ("x[2]", "b")], "'x' has indexes that do not run 0, 1, 2... without gaps"),
     (EXPAND, [("x[99999999]", "a")], "has an index of more than 4 digits"),
     (ITEMS, [("x[][price]", "a")], "puts keys under []: index the items instead"),
     (Shape((), items=STR, properties={}), [("x[a]", "1"), ("x[]", "2")], "mixes keys and [] items"),
     (METADATA, [("x" + "[a]" * (MAX_DEPTH + 1), "1")], f"nested deeper than {MAX_DEPTH} levels")],
)  # fmt: skip
def test_contradictions_and_bounds_are_400s(shape: Shape, pairs: list[tuple[str, str]], message: str) -> None:
    with pytest.raises(BadRequest, match=re.escape(message)) as caught:
        deep(shape, *pairs)
    assert caught.value.target in ("x", pairs[0][0])


def test_scalars_try_the_most_specific_type_first() -> None:
    either = Shape(("integer", "string"))
    assert scalar(either, "5", "x", "query option") == 5
    assert scalar(either, "", "x", "query option") == ""
    assert scalar(Shape(()), "x", "x", "query option") == "x"  # validation names what fits instead
    with pytest.raises(BadRequest, match="expected true or false or a number"):
        scalar(Shape(("boolean", "number")), "x", "x", "query option")


def test_ten_thousand_keys_stay_linear() -> None:
    pairs = [(f"x[k{i}]", str(i)) for i in range(10_000)]
    assert len(deep(METADATA, *pairs)) == 10_000
