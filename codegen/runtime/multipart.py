# Runtime of every generated server: copied verbatim by codegen.server (line 1 becomes the @generated header).
"""``multipart/form-data`` bodies, parsed as they stream in (python-multipart, imported only when one arrives):
parts and part headers are bounded, and a body that never closes is a 400."""

from __future__ import annotations

from typing import Any, Final

from .errors import BadRequest
from .forms import MAX_FORM_FIELDS, FormBody, UploadedFile

#: The headers of one part, in all.
MAX_PART_HEADER_BYTES: Final = 8 * 1024
#: Headers of one part.
MAX_PART_HEADERS: Final = 16
_MAX_BOUNDARY: Final = 70  # RFC 2046


class MultipartBody:
    """Feed it the body's chunks as they arrive; ``finish`` hands the parts to a ``FormBody``."""

    def __init__(self, content_type: str, body: FormBody, max_parts: int = MAX_FORM_FIELDS) -> None:
        from python_multipart.multipart import MultipartParser, parse_options_header

        self._parse_options = parse_options_header
        _, options = parse_options_header(content_type)
        boundary = options.get(b"boundary", b"")
        if not boundary or len(boundary) > _MAX_BOUNDARY:
            raise BadRequest("The multipart Content-Type needs a boundary of 1 to 70 characters.")
        self._body = body
        self._max_parts = max_parts
        self._parts = 0
        self._header_bytes = 0
        self._field = b""
        self._value = b""
        self._headers: dict[bytes, bytes] = {}
        self._data: list[bytes] = []
        self._done = False
        callbacks: Any = {
            "on_part_begin": self._part_begin,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value,
            "on_header_end": self._header_end,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
            "on_end": self._end,
        }
        # Its own line bound sits above ours, so that ours (all of a part's headers) speaks first.
        self._parser = MultipartParser(boundary, callbacks, max_header_count=MAX_PART_HEADERS,
                                       max_header_size=MAX_PART_HEADER_BYTES + 64)  # fmt: skip

    def feed(self, chunk: bytes) -> None:
        from python_multipart.exceptions import MultipartParseError

        if self._done:
            return  # an epilogue after the closing boundary is ignored (RFC 2046)
        try:
            self._parser.write(chunk)
        except MultipartParseError as error:
            raise BadRequest(f"The multipart body is malformed: {str(error)[:200]}") from None

    def finish(self) -> None:
        if not self._done:
            raise BadRequest("The multipart body ends before its closing boundary.")

    def _part_begin(self) -> None:
        self._parts += 1
        if self._parts > self._max_parts:
            raise BadRequest(f"The multipart body has more than {self._max_parts} parts.")
        self._header_bytes, self._headers, self._data = 0, {}, []
        self._field = self._value = b""

    def _count(self, data: bytes, start: int, end: int) -> bytes:
        self._header_bytes += end - start
        if self._header_bytes > MAX_PART_HEADER_BYTES:
            raise BadRequest(f"The headers of multipart part {self._parts} are larger than {MAX_PART_HEADER_BYTES}"
                             " bytes.")  # fmt: skip
        return data[start:end]

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += self._count(data, start, end)

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += self._count(data, start, end)

    def _header_end(self) -> None:
        name = self._field.strip().lower()
        if name in self._headers:  # which one counts? A proxy that takes the first would read another part
            shown = name.decode("latin-1")[:100]
            raise BadRequest(f"Multipart part {self._parts} has the header '{shown}' more than once.")
        self._headers[name] = self._value.strip()
        self._field = self._value = b""

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        self._data.append(data[start:end])

    def _part_end(self) -> None:
        disposition, options = self._parse_options(self._headers.get(b"content-disposition"))
        if disposition != b"form-data" or b"name" not in options:
            raise BadRequest(f"Multipart part {self._parts} has no 'Content-Disposition: form-data; name=...'.")
        try:
            name = options[b"name"].decode("utf-8")
            filename = options[b"filename"].decode("utf-8") if b"filename" in options else None
            content_type = self._headers[b"content-type"].decode("utf-8") if b"content-type" in self._headers else None
        except UnicodeDecodeError:
            raise BadRequest(f"The headers of multipart part {self._parts} are not valid UTF-8.") from None
        data = b"".join(self._data)
        self._data = []
        self._body.add_part(name, UploadedFile(filename, content_type, data))

    def _end(self) -> None:
        self._done = True
