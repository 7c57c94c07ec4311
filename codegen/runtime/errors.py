# Runtime of every generated server: copied verbatim by codegen.server (line 1 becomes the @generated header).
"""Errors a handler, an authenticator or the runtime raises, and the OData error body each becomes."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

import orjson

#: One problem in an error's ``details``: (code, message, target).
Detail = tuple[str, str, str | None]


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


class InternalError(HttpError):
    status, code = 500, "InternalServerError"


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
    body = {
        "error": {
            "code": error.code,
            "message": error.message,
            "target": error.target,
            "details": [
                {"code": code, "message": message, "target": target} for code, message, target in error.details
            ],
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


_clock: list[Any] = [0, ""]


def _utc_now() -> str:
    """The current UTC second as Graph writes it in innerError.date, formatted once per second."""
    second = int(time.time())
    if _clock[0] != second:
        _clock[:] = [second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))]
    text: str = _clock[1]
    return text
