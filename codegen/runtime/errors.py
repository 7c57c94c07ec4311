# Runtime of every generated server: copied verbatim by codegen.server (line 1 becomes the @generated header).
"""Errors a handler, an authenticator or the runtime raises, and the OData error body each becomes."""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any, Final

import orjson

#: One problem in an error's ``details``: (code, message, target).
Detail = tuple[str, str, str | None]
#: An error body never holds more than this many details, nor longer texts: it stays smaller than a request.
MAX_DETAILS: Final = 20
MAX_TEXT: Final = 1000
#: Anything but printable ASCII, the double quote and the backslash: what printable() looks at more closely.
_SUSPECT: Final = re.compile(r"[^\x20-\x21\x23-\x5b\x5d-\x7e]")


class HttpError(Exception):
    """Raise from a handler (or an authenticator) to answer with an OData error of this status."""

    status: int = 500
    code: str = "InternalServerError"

    def __init__(
        self,
        message: str,
        *,
        target: str | None = None,
        details: Iterable[Detail] = (),
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.target = target
        self.details = list(details)
        if code is not None:
            self.code = code
        self.headers = dict(headers or {})


class BadRequest(HttpError):
    status, code = 400, "BadRequest"


class Unauthorized(HttpError):
    status, code = 401, "InvalidAuthenticationToken"


class Forbidden(HttpError):
    status, code = 403, "Forbidden"


class NotFound(HttpError):
    status, code = 404, "ResourceNotFound"


class MethodNotAllowed(HttpError):
    status, code = 405, "MethodNotAllowed"


class Conflict(HttpError):
    status, code = 409, "Conflict"


class PayloadTooLarge(HttpError):
    status, code = 413, "RequestEntityTooLarge"


class UnsupportedMediaType(HttpError):
    status, code = 415, "UnsupportedMediaType"


class RequestHeaderFieldsTooLarge(HttpError):
    status, code = 431, "RequestHeaderFieldsTooLarge"


class InternalError(HttpError):
    status, code = 500, "InternalServerError"


class Unimplemented(HttpError):
    """501 Not Implemented (named apart from Python's ``NotImplemented``)."""

    status, code = 501, "NotImplemented"


class ServiceUnavailable(HttpError):
    status, code = 503, "ServiceUnavailable"


def bad_request(problems: list[Detail]) -> BadRequest:
    """One 400 naming the first problem, with every problem in ``details``."""
    _, message, target = problems[0]
    if len(problems) > 1:
        message += f" ({len(problems) - 1} more problem{'s' if len(problems) > 2 else ''} in details.)"
    return BadRequest(message, target=target, details=problems)


def error_reply(
    error: HttpError, request_id: str, client_request_id: str
) -> tuple[int, list[tuple[bytes, bytes]], bytes, bytes]:
    """(status, extra headers, content type, body) of the OData error for ``error``."""
    # A 400 always lists its problems, one entry each: a problem found outside validation is its own entry.
    problems = error.details or ([(error.code, error.message, error.target)] if error.status == 400 else [])
    details = [{"code": code, "message": cut(message), "target": _cut_target(target)}
               for code, message, target in problems[:MAX_DETAILS]]  # fmt: skip
    body = {
        "error": {
            "code": error.code,
            "message": cut(error.message),
            "target": _cut_target(error.target),
            "details": details,
            "innerError": {
                "date": _utc_now(),
                "request-id": request_id,
                "client-request-id": client_request_id,
            },
        }
    }
    extra = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in error.headers.items()]
    if error.status == 401 and not any(k == b"www-authenticate" for k, _ in extra):
        extra.append((b"www-authenticate", b"Bearer"))
    return error.status, extra, b"application/json", orjson.dumps(body)


def cut(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` at most ``limit`` characters long, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _cut_target(target: str | None) -> str | None:
    return None if target is None else cut(target, 300)


def printable(text: object, limit: int = MAX_TEXT) -> str:
    """Text safe to log, on one line and cut at ``limit``: control, format and line-separator characters (CR, LF,
    ESC, U+2028, bidi overrides, lone surrogates) as Python escapes, ``"`` and ``\\`` escaped, letters kept; so a
    request cannot forge log lines or end a quoted field."""
    shown = cut(str(text), limit)
    return _SUSPECT.sub(_escape, shown) if _SUSPECT.search(shown) else shown


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in '"\\':
        return "\\" + char
    category = unicodedata.category(char)
    if category[0] == "C" or category in ("Zl", "Zp"):
        return char.encode("unicode_escape").decode("ascii")
    return char


_clock: list[Any] = [0, ""]


def _utc_now() -> str:
    """The current UTC second as Graph writes it in innerError.date, formatted once per second."""
    second = int(time.time())
    if _clock[0] != second:
        _clock[:] = [second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))]
    text: str = _clock[1]
    return text
