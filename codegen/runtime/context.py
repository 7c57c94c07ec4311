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
    """Random (version 4) GUIDs, 256 per ``os.urandom`` call: one syscall and no UUID object per request."""

    def __init__(self) -> None:
        self._pool: list[str] = []

    def next(self) -> str:
        if not self._pool:
            raw = bytearray(os.urandom(16 * _ID_BATCH))
            for i in range(0, len(raw), 16):
                raw[i + 6] = raw[i + 6] & 0x0F | 0x40
                raw[i + 8] = raw[i + 8] & 0x3F | 0x80
            hexes = raw.hex()
            self._pool = [
                f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
                for h in (hexes[i : i + 32] for i in range(0, len(hexes), 32))
            ]
        return self._pool.pop()


new_request_id: Final = _RequestIds().next
