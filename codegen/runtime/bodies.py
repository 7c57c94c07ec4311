# Runtime of every generated server: copied verbatim by codegen.server (line 1 becomes the @generated header).
"""Request bodies: Content-Type (415), size (413, never read past the limit), decoding (400), validation.

A body may come in several kinds of media (JSON or form...): each is read and validated on its own terms."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

import orjson

from .asgi import Message, Receive
from .errors import BadRequest, PayloadTooLarge, UnsupportedMediaType, bad_request
from .forms import FormBody, decode_form, without_files
from .multipart import MultipartBody
from .operation import RequestBody
from .validation import prepared, violations


async def read_request_body(
    spec: RequestBody, headers: Mapping[str, str], receive: Receive, max_bytes: int, max_depth: int
) -> Any:
    """The body as the value a handler receives (None when absent and optional), validated against the spec."""
    content_type = headers.get("content-type")
    media, charset = media_type(content_type) if content_type else (None, None)
    chosen = spec if media is None or media in spec.media_types else spec.for_media(media)
    if chosen is None:
        expected = ", ".join(spec.all_media_types)
        raise UnsupportedMediaType(f"Content-Type '{media}' is not supported here: use {expected}.")
    spec = chosen
    if spec.kind in ("json", "form") and charset not in (None, "utf-8", "utf8"):
        raise UnsupportedMediaType(f"Charset '{charset}' is not supported: send UTF-8.")
    declared = headers.get("content-length")
    if declared is not None and declared.isascii() and declared.isdigit() and int(declared) > max_bytes:
        raise PayloadTooLarge(f"The request body is larger than {max_bytes} bytes.")
    if spec.kind == "multipart" and content_type is not None:
        value: Any = await _read_multipart(spec, content_type, receive, max_bytes)
    else:
        data = await read_body(receive, max_bytes)
        # No bytes is no body, except for a declared form, text or binary body: there it is an empty value.
        if not data and (media is None or spec.kind == "json"):
            if spec.required:
                raise BadRequest("A request body is required.")
            return None
        if media is None:
            raise UnsupportedMediaType(f"Content-Type is missing: use {', '.join(spec.all_media_types)}.")
        value = decode_body(spec, data, max_depth)
    if spec.validator is not None:
        checked = without_files(value) if spec.kind == "multipart" else value
        if not spec.validator.is_valid(checked):
            raise bad_request(violations(spec.validator, checked, read_only=spec.read_only))
    return value


async def read_body(receive: Receive, limit: int) -> bytes:
    """Read the body in chunks; stop at ``limit`` bytes without holding more in memory."""
    message = await receive()  # most bodies come in one message: no generator, no join
    if message["type"] == "http.request" and not message.get("more_body", False):
        body: bytes = message.get("body", b"")
        if len(body) > limit:
            raise PayloadTooLarge(f"The request body is larger than {limit} bytes.")
        return body
    chunks: list[bytes] = []
    async for chunk in body_chunks(receive, limit, message):
        chunks.append(chunk)
    return b"".join(chunks)


async def body_chunks(receive: Receive, limit: int, first: Message | None = None) -> AsyncIterator[bytes]:
    """The body's chunks as they arrive (after ``first``, a message already received); PayloadTooLarge as soon as
    they add up to more than ``limit`` bytes."""
    size = 0
    while True:
        message = first if first is not None else await receive()
        first = None
        if message["type"] == "http.disconnect":
            raise BadRequest("The client disconnected before sending the whole body.")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"The request body is larger than {limit} bytes.")
        yield chunk
        if not message.get("more_body", False):
            return


async def _read_multipart(spec: RequestBody, content_type: str, receive: Receive, limit: int) -> dict[str, Any]:
    """A multipart body, parsed as it streams in (never more than ``limit`` bytes held)."""
    form = FormBody(spec.form_fields)
    parser = MultipartBody(content_type, form)
    async for chunk in body_chunks(receive, limit):
        parser.feed(chunk)
    parser.finish()
    return form.value()


def decode_body(spec: RequestBody, data: bytes, max_depth: int) -> Any:
    """JSON, form, text or binary bytes as the value their schema describes; BadRequest when they are not."""
    if spec.kind == "json":
        try:
            return prepared(orjson.loads(data), max_depth)
        except orjson.JSONDecodeError as error:
            raise BadRequest(f"The request body is not valid JSON: {error}.") from None
    if spec.kind == "binary":
        return data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("The request body is not valid UTF-8.") from None
    if spec.kind == "text":
        return text
    return decode_form(spec.form_fields, text)


_MEDIA_TYPES: dict[str, tuple[str, str | None]] = {}


def media_type(content_type: str) -> tuple[str, str | None]:
    """(media type, charset), cached: a service sees few distinct Content-Type values."""
    found = _MEDIA_TYPES.get(content_type)
    if found is None:
        found = _parse_media_type(content_type)
        if len(_MEDIA_TYPES) < 256:
            _MEDIA_TYPES[content_type] = found
    return found


def _parse_media_type(content_type: str) -> tuple[str, str | None]:
    media, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.strip().lower(), charset
