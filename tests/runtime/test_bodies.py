"""codegen.runtime.bodies: media type, size and decoding of request bodies, before and after validation."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from codegen.runtime.asgi import Message
from codegen.runtime.bodies import media_type, read_request_body
from codegen.runtime.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType
from codegen.runtime.operation import FormField, RequestBody, Shape
from codegen.runtime.validation import compile_schema

JSON = RequestBody(True, "json", ("application/json",), compile_schema('{"type": "object", "required": ["a"]}'))
FORM = RequestBody(
    True,
    "form",
    ("application/x-www-form-urlencoded",),
    compile_schema("{}"),
    (FormField("n", shape=Shape(("integer",))), FormField("tags", is_array=True, shape=Shape((), items=Shape()))),
)


def chunks(*parts: bytes) -> Any:
    messages: list[Message] = [{"type": "http.request", "body": p, "more_body": i < len(parts) - 1}
                               for i, p in enumerate(parts)]  # fmt: skip

    async def receive() -> Message:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    return receive


def read(spec: RequestBody, content_type: str | None, *parts: bytes, limit: int = 100, **headers: str) -> Any:
    sent = dict(headers)
    if content_type is not None:
        sent["content-type"] = content_type
    return asyncio.run(read_request_body(spec, sent, chunks(*parts), limit, 64))


def test_a_valid_json_body_is_its_value() -> None:
    assert read(JSON, "application/json; charset=UTF-8", b'{"a":', b"1}") == {"a": 1}


def test_an_invalid_json_body_is_a_400_with_details() -> None:
    with pytest.raises(BadRequest) as caught:
        read(JSON, "application/json", b"{}")
    assert caught.value.details[0][0] == "MissingProperty"
    with pytest.raises(BadRequest, match="not valid JSON"):
        read(JSON, "application/json", b"{")


@pytest.mark.parametrize(
    ("content_type", "message"),
    [("text/plain", "'text/plain' is not supported here: use application/json"),
     ("application/json; charset=latin-1", "Charset 'latin-1' is not supported"),
     (None, "Content-Type is missing")],
)  # fmt: skip
def test_the_wrong_media_type_is_a_415(content_type: str | None, message: str) -> None:
    with pytest.raises(UnsupportedMediaType, match=message):
        read(JSON, content_type, b'{"a":1}')


def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    async def never() -> Message:
        raise AssertionError("the body was read")

    with pytest.raises(PayloadTooLarge):
        asyncio.run(
            read_request_body(JSON, {"content-type": "application/json", "content-length": "101"}, never, 100, 64)
        )


def test_a_content_length_of_unicode_digits_is_not_a_number() -> None:
    # "²".isdigit() is true and int("²") raises: the declared length is ignored, the body is read and bounded.
    sent = {"content-type": "application/json", "content-length": "\u00b2"}
    assert asyncio.run(read_request_body(JSON, sent, chunks(b'{"a": 1}'), 100, 64)) == {"a": 1}


def test_a_streamed_body_over_the_limit_stops_at_the_limit() -> None:
    with pytest.raises(PayloadTooLarge, match="larger than 100 bytes"):
        read(JSON, "application/json", b"x" * 60, b"x" * 60, b"never read")


def test_a_body_in_one_message_over_the_limit_is_a_413() -> None:
    # One message is read without the streaming path: the limit must hold there too.
    with pytest.raises(PayloadTooLarge, match="larger than 100 bytes"):
        read(JSON, "application/json", b'{"a": "' + b"x" * 100 + b'"}')
    assert read(JSON, "application/json", b'{"a": "' + b"x" * 91 + b'"}') == {"a": "x" * 91}  # exactly 100 bytes


def test_a_client_that_disconnects_mid_body_is_a_400() -> None:
    with pytest.raises(BadRequest, match="disconnected"):
        asyncio.run(read_request_body(JSON, {"content-type": "application/json"}, chunks(), 100, 64))


def test_no_bytes_is_no_body() -> None:
    optional = RequestBody(False, "json", ("application/json",), None)
    assert read(optional, None, b"") is None
    with pytest.raises(BadRequest, match=r"A request body is required\."):
        read(JSON, "application/json", b"")


def test_form_fields_are_coerced_and_arrays_collected() -> None:
    assert read(FORM, "application/x-www-form-urlencoded", b"n=3&tags=a&tags=b&other=x") == {
        "n": 3,
        "tags": ["a", "b"],
        "other": "x",
    }
    with pytest.raises(BadRequest, match="given more than once"):
        read(FORM, "application/x-www-form-urlencoded", b"n=1&n=2")


def test_text_and_binary_bodies() -> None:
    text = RequestBody(True, "text", ("text/plain",), None)
    binary = RequestBody(True, "binary", ("application/octet-stream",), None)
    assert read(text, "text/plain", "é".encode()) == "é"
    assert read(text, "text/plain", b"") == ""
    assert read(binary, "application/octet-stream", b"\xff\x00") == b"\xff\x00"
    with pytest.raises(BadRequest, match="not valid UTF-8"):
        read(text, "text/plain", b"\xff")


def test_a_media_range_accepts_its_family() -> None:
    images = RequestBody(True, "binary", ("image/*",), None)
    assert images.for_media("image/png") is images
    assert images.for_media("text/plain") is None
    assert read(images, "image/png", b"\x89PNG") == b"\x89PNG"


def test_media_type_parameters() -> None:
    assert media_type('Application/JSON ; Charset="UTF-8"') == ("application/json", "utf-8")
    assert media_type("text/plain") == ("text/plain", None)


def test_a_bad_form_field_is_named_a_body_property() -> None:
    with pytest.raises(BadRequest, match=r"Invalid value 'x' for body property 'n': expected an integer\."):
        read(FORM, "application/x-www-form-urlencoded", b"n=x")


DEEP_FORM = RequestBody(
    True,
    "form",
    ("application/x-www-form-urlencoded",),
    compile_schema('{"type": "object", "properties": {"metadata": {"type": "object", "additionalProperties": '
                   '{"type": "string"}}, "expand": {"type": "array", "items": {"type": "string"}}},'
                   '"additionalProperties": false}'),
    (FormField("metadata", "deep", Shape((), properties={}, additional=Shape())),
     FormField("expand", "deep", Shape((), items=Shape()))),
)  # fmt: skip


def test_deep_object_form_fields_are_objects_and_arrays() -> None:
    sent = b"metadata[a]=b&metadata[order]=7&expand[]=x&expand[]=y"
    assert read(DEEP_FORM, "application/x-www-form-urlencoded", sent) == {
        "metadata": {"a": "b", "order": "7"}, "expand": ["x", "y"]
    }  # fmt: skip
    with pytest.raises(BadRequest, match=r"'nope\[a\]' does not exist"):
        read(DEEP_FORM, "application/x-www-form-urlencoded", b"nope[a]=b")


def test_a_form_with_bad_utf8_escapes_or_too_many_fields_is_a_400() -> None:
    with pytest.raises(BadRequest, match="not valid UTF-8"):
        read(DEEP_FORM, "application/x-www-form-urlencoded", b"metadata[%ff]=b")
    with pytest.raises(BadRequest, match="more than 1000 fields"):
        read(DEEP_FORM, "application/x-www-form-urlencoded", b"&".join([b"metadata[a]=b"] * 1001), limit=50_000)


MIXED = RequestBody(
    True,
    "json",
    ("application/json",),
    compile_schema('{"type": "object", "properties": {"n": {"type": "integer"}}}'),
    alternatives=(
        RequestBody(True, "form", ("application/x-www-form-urlencoded",), compile_schema('{"required": ["n"]}'),
                    (FormField("n", shape=Shape(("integer",))),)),
    ),
)  # fmt: skip


def test_a_body_in_several_media_types_is_read_as_the_one_sent() -> None:
    assert read(MIXED, "application/json", b'{"n": 1}') == {"n": 1}
    assert read(MIXED, "application/x-www-form-urlencoded", b"n=2") == {"n": 2}
    with pytest.raises(BadRequest, match="'n'"):
        read(MIXED, "application/x-www-form-urlencoded", b"m=2")
    with pytest.raises(UnsupportedMediaType, match="use application/json, application/x-www-form-urlencoded"):
        read(MIXED, "text/plain", b"n")
