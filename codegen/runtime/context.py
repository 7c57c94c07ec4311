# Runtime of every generated server: copied verbatim by codegen.server (line 1 becomes the @generated header).
"""What a handler receives besides its parameters (``RequestContext``), and what it may return (``Reply``)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from .asgi import Scope, base_url

_ID_BATCH: Final = 256


@dataclass(frozen=True, slots=True)
class Principal:
    """Who made the request, as the authenticator established it."""

    subject: str
    scopes: frozenset[str]


class RequestContext:
    """What a handler (and an authenticator) knows about the request besides its parameters."""

    __slots__ = ("_base_path", "_public_root", "_scope", "client_request_id", "headers", "media_type", "operation_id",
                 "principal", "request_id")  # fmt: skip

    def __init__(
        self,
        scope: Scope,
        headers: Mapping[str, str],
        request_id: str,
        client_request_id: str,
        operation_id: str,
        base_path: str = "",
        public_root: str | None = None,
    ) -> None:
        self._scope = scope
        self._base_path = base_path
        self._public_root = public_root
        self.headers = headers
        self.request_id = request_id
        self.client_request_id = client_request_id
        self.operation_id = operation_id
        self.principal: Principal | None = None
        #: The request body's media type (``application/json``, without parameters); None without a body. A body
        #: the spec accepts in several kinds of media (JSON or form...) is told apart by it.
        self.media_type: str | None = None

    @property
    def method(self) -> str:
        return str(self._scope["method"])

    @property
    def path(self) -> str:
        return str(self._scope.get("path", ""))

    @property
    def base_url(self) -> str:
        """Absolute URL of the API root, for links such as nextLink: the configured public URL and base path;
        without one, the request's own (a well-formed ``Host`` header, else the server's address)."""
        if self._public_root is not None:
            return self._public_root
        return base_url(self._scope, self.headers, self._base_path)


@dataclass(frozen=True, slots=True)
class Reply:
    """Return this instead of a bare body to choose another documented status or add headers."""

    body: Any = None
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


class _RequestIds:
    """Random (version 4) GUIDs, made 256 at a time from one ``os.urandom`` call, with no per-id Python work
    but one slice: the version and variant bits are set by masking one big integer, and the hex digits are
    laid out around the dashes by 32 strided copies."""

    def __init__(self) -> None:
        self._pool: list[str] = []

    def next(self) -> str:
        if not self._pool:
            bits = int.from_bytes(os.urandom(16 * _ID_BATCH), "big") & _KEEP | _SET
            digits = bits.to_bytes(16 * _ID_BATCH, "big").hex().encode("ascii")
            text = bytearray(b"-" * (36 * _ID_BATCH))
            for digit, place in enumerate(_DIGIT_PLACES):
                text[place::36] = digits[digit::32]
            guids = text.decode("ascii")
            self._pool = [guids[i : i + 36] for i in range(0, len(guids), 36)]
        return self._pool.pop()


#: Masks over 256 GUIDs of 16 bytes: byte 6 keeps its low nibble under version 4, byte 8 its low 6 bits under
#: the RFC 4122 variant.
_KEEP: Final = int.from_bytes(bytes([0xFF] * 6 + [0x0F, 0xFF, 0x3F] + [0xFF] * 7) * _ID_BATCH, "big")
_SET: Final = int.from_bytes(bytes([0] * 6 + [0x40, 0, 0x80] + [0] * 7) * _ID_BATCH, "big")
#: Where a GUID's 32 hex digits go in its 36 characters (8-4-4-4-12).
_DIGIT_PLACES: Final = [place for place in range(36) if place not in (8, 13, 18, 23)]
new_request_id: Final = _RequestIds().next
