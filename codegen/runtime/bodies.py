# Runtime of every generated server: copied verbatim by codegen.server (line 1 becomes the @generated header).
"""Request bodies: Content-Type (415), size (413, never read past the limit), decoding (400), validation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

import orjson

from .asgi import Receive
from .errors import BadRequest, PayloadTooLarge, UnsupportedMediaType, bad_request
from .operation import RequestBody
from .parameters import MAX_QUERY_FIELDS, coerce
from .validation import prepared, violations


async def read_request_body(
    spec: RequestBody, headers: Mapping[str, str], receive: Receive, max_bytes: int, max_depth: int
) -> Any:
    """The body as the value a handler receives (None when absent and optional), validated against the spec."""
    content_type = headers.get("content-type")
    media, charset = media_type(content_type) if content_type else (None, None)
    acceptable = media is not None and (media in spec.media_types or "*/*" in spec.media_types)
    if media is not None and not acceptable:
        expected = ", ".join(spec.media_types)
        raise UnsupportedMediaType(f"Content-Type '{media}' is not supported here: use {expected}.")
    if spec.kind in ("json", "form") and charset not in (None, "utf-8", "utf8"):
        raise UnsupportedMediaType(f"Charset '{charset}' is not supported: send UTF-8.")
    declared = headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise PayloadTooLarge(f"The request body is larger than {max_bytes} bytes.")
    data = await read_body(receive, max_bytes)
    # No bytes is no body, except for a declared form, text or binary body: there it is an empty value.
    if not data and (media is None or spec.kind == "json"):
        if spec.required:
            raise BadRequest("A request body is required.")
        return None
    if media is None:
        raise UnsupportedMediaType(f"Content-Type is missing: use {', '.join(spec.media_types)}.")
    value = decode_body(spec, data, max_depth)
    if spec.validator is not None and not spec.validator.is_valid(value):
        raise bad_request(violations(spec.validator, value))
    return value


async def read_body(receive: Receive, limit: int) -> bytes:
    """Read the body in chunks; stop at ``limit`` bytes without holding more in memory."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise BadRequest("The client disconnected before sending the whole body.")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"The request body is larger than {limit} bytes.")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


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
    return _decode_form(spec, text)


def _decode_form(spec: RequestBody, text: str) -> dict[str, Any]:
    form: dict[str, Any] = {}
    fields = {field.name: field for field in spec.form_fields}
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=False, max_num_fields=MAX_QUERY_FIELDS)
    except ValueError:
        raise BadRequest(f"The form has more than {MAX_QUERY_FIELDS} fields.") from None
    for name, value in pairs:
        field = fields.get(name)
        is_array = field is not None and field.is_array
        converted = coerce(field.coercion if field else "string", value, name, "query")
        if is_array:
            form.setdefault(name, []).append(converted)
        elif name in form:
            raise BadRequest(f"The form field '{name}' is given more than once.", target=name)
        else:
            form[name] = converted
    return form


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
