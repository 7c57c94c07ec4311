"""codegen.runtime.multipart (and forms): multipart bodies streamed, bounded, and read as the spec says."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

from codegen.runtime.bodies import read_request_body
from codegen.runtime.errors import BadRequest, PayloadTooLarge
from codegen.runtime.forms import MAX_FORM_FIELDS, UploadedFile
from codegen.runtime.multipart import MAX_PART_HEADER_BYTES
from codegen.runtime.operation import FormField, RequestBody, Shape
from codegen.runtime.validation import compile_schema
from tests.runtime.test_bodies import chunks

SCHEMA = """{"type": "object", "required": ["name", "file"], "additionalProperties": false, "properties": {
  "name": {"type": "string", "minLength": 2}, "count": {"type": "integer"},
  "file": {"type": "string", "contentMediaType": "application/octet-stream"},
  "payload_json": {"type": "object", "properties": {"content": {"type": "string"}}},
  "tags": {"type": "array", "items": {"type": "string"}}}}"""
UPLOAD = RequestBody(
    True,
    "multipart",
    ("multipart/form-data",),
    compile_schema(SCHEMA),
    (FormField("count", shape=Shape(("integer",))), FormField("file", "file"), FormField("payload_json", "json"),
     FormField("tags", is_array=True, shape=Shape((), items=Shape()))),
)  # fmt: skip
B = "XyZ"
CONTENT_TYPE = f"multipart/form-data; boundary={B}"


def part(name: str, data: bytes, filename: str | None = None, content_type: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
    head = f"--{B}\r\nContent-Disposition: {disposition}\r\n"
    if content_type:
        head += f"Content-Type: {content_type}\r\n"
    return head.encode() + b"\r\n" + data + b"\r\n"


def body(*parts: bytes) -> bytes:
    return b"".join(parts) + f"--{B}--\r\n".encode()


def read(*pieces: bytes, limit: int = 10_000, content_type: str = CONTENT_TYPE) -> Any:
    receive = chunks(*pieces)
    return asyncio.run(read_request_body(UPLOAD, {"content-type": content_type}, receive, limit, 64))


def test_files_and_text_fields_arrive_as_the_spec_says() -> None:
    sent = body(part("name", b"Ada"), part("count", b"3"), part("file", b"\xff\x00", "a.bin", "image/png"),
                part("payload_json", b'{"content": "hi"}'), part("tags", b"a"), part("tags", b"b"))  # fmt: skip
    value = read(sent[:7], sent[7:50], sent[50:])  # split anywhere, even inside a boundary
    assert value == {"name": "Ada", "count": 3, "file": UploadedFile("a.bin", "image/png", b"\xff\x00"),
                     "payload_json": {"content": "hi"}, "tags": ["a", "b"]}  # fmt: skip


def test_a_file_part_without_a_filename_is_still_a_file() -> None:
    value = read(body(part("name", b"Ada"), part("file", b"raw")))
    assert value["file"] == UploadedFile(None, None, b"raw")


@pytest.mark.parametrize(
    ("sent", "message"),
    [(body(part("file", b"x", "f")), "The property 'name' is required."),
     (body(part("name", b"A"), part("file", b"x", "f")), "name"),
     (body(part("name", b"Ada"), part("count", b"many"), part("file", b"x", "f")),
      "Invalid value 'many' for body property 'count': expected an integer."),
     (body(part("name", b"Ada"), part("name", b"Bob"), part("file", b"x", "f")), "'name' is given more than once"),
     (body(part("name", b"\xff"), part("file", b"x", "f")), "'name' is not valid UTF-8"),
     (body(part("name", b"Ada"), part("payload_json", b"{"), part("file", b"x", "f")),
      "'payload_json' is not valid JSON"),
     (body(part("name", b"Ada"), part("file", b"x"), part("n\xe9", b"x")), "'n\xe9' does not exist"),
     (part("name", b"Ada") + part("file", b"x", "f"), "ends before its closing boundary"),
     (b"no boundary here at all", "The multipart body is malformed"),
     (b"", "ends before its closing boundary"),
     (f"--{B}\r\nContent-Type: text/plain\r\n\r\nx\r\n--{B}--\r\n".encode(), "has no 'Content-Disposition"),
     (f"--{B}\r\nContent-Disposition: form-data; name=\"\xff\"\r\n\r\nx\r\n--{B}--\r\n".encode("latin-1"),
      "not valid UTF-8")],
)  # fmt: skip
def test_bad_multipart_bodies_are_400s(sent: bytes, message: str) -> None:
    with pytest.raises(BadRequest, match=re.escape(message)):
        read(sent)


def test_an_undeclared_file_part_is_refused_by_the_schema() -> None:
    with pytest.raises(BadRequest, match="'other' does not exist"):
        read(body(part("name", b"Ada"), part("file", b"x", "f"), part("other", b"\xff", "o.bin")))


def test_the_boundary_must_be_given_and_short() -> None:
    with pytest.raises(BadRequest, match="needs a boundary"):
        read(body(part("name", b"Ada")), content_type="multipart/form-data")
    with pytest.raises(BadRequest, match="needs a boundary"):
        read(body(part("name", b"Ada")), content_type="multipart/form-data; boundary=" + "b" * 71)


def test_parts_and_part_headers_are_bounded() -> None:
    many = body(*[part("tags", b"x")] * (MAX_FORM_FIELDS + 1))
    with pytest.raises(BadRequest, match=f"more than {MAX_FORM_FIELDS} parts"):
        read(many, limit=len(many))
    huge_header = f'--{B}\r\nContent-Disposition: form-data; name="{"n" * MAX_PART_HEADER_BYTES}"\r\n\r\nx\r\n'
    with pytest.raises(BadRequest, match=f"larger than {MAX_PART_HEADER_BYTES} bytes"):
        read(huge_header.encode(), limit=100_000)


def test_a_body_over_the_limit_stops_at_the_limit() -> None:
    with pytest.raises(PayloadTooLarge, match="larger than 100 bytes"):
        read(part("file", b"x" * 60, "f"), b"x" * 60, b"never read", limit=100)


def test_a_part_that_never_ends_within_the_limit_is_a_413() -> None:
    head = f'--{B}\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\n'.encode()
    with pytest.raises(PayloadTooLarge):
        read(head, *[b"y" * 1000] * 20, limit=10_000)


def test_a_file_is_validated_by_its_bytes() -> None:
    # minLength/maxLength on a binary string count its bytes: the file stands in as latin-1 text, not as "".
    sized = RequestBody(True, "multipart", ("multipart/form-data",),
                        compile_schema('{"properties": {"file": {"type": "string", "format": "binary", '
                                       '"minLength": 1, "maxLength": 3}}}'),
                        (FormField("file", "file"),))  # fmt: skip
    upload = asyncio.run(read_request_body(sized, {"content-type": CONTENT_TYPE},
                                           chunks(body(part("file", b"\xff\x00", "a.bin"))), 10_000, 64))  # fmt: skip
    assert upload == {"file": UploadedFile("a.bin", None, b"\xff\x00")}
    with pytest.raises(BadRequest, match="file"):
        asyncio.run(read_request_body(sized, {"content-type": CONTENT_TYPE},
                                      chunks(body(part("file", b"four", "a.bin"))), 10_000, 64))  # fmt: skip


def test_a_part_header_given_twice_is_a_400() -> None:
    twice = f'--{B}\r\nContent-Disposition: form-data; name="name"\r\nContent-Disposition: form-data; name="file"\r\n'
    with pytest.raises(BadRequest, match="has the header 'content-disposition' more than once"):
        read(twice.encode() + b"\r\nAda\r\n" + f"--{B}--\r\n".encode())
