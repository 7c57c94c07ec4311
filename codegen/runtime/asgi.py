# Runtime of every generated server: copied verbatim by codegen.server (line 1 becomes the @generated header).
"""The ASGI edge: message types, and what the runtime reads from a connection scope (headers, path)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any, Final
from urllib.parse import unquote

from .errors import BadRequest, RequestHeaderFieldsTooLarge

Scope = MutableMapping[str, Any]
_HOST: Final = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
                          r"[A-Za-z0-9])?\.?(?::[0-9]{1,5})?|\[[0-9A-Fa-f:.]{2,45}\](?::[0-9]{1,5})?")  # fmt: skip
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def headers_of(scope: Scope, max_count: int, max_bytes: int) -> dict[str, str]:
    """Header names as ASGI gives them (lowercase); a repeated header's values joined with ', '.

    More than ``max_count`` headers, or more than ``max_bytes`` of names and values, is a 431: whatever server
    hosts the app, one request cannot make the runtime hold (or join) an unbounded amount of text."""
    raw = scope.get("headers", ())
    if len(raw) > max_count:
        raise RequestHeaderFieldsTooLarge(f"The request has more than {max_count} headers.")
    found: dict[str, str] = {}
    size = 0
    for name, value in raw:  # one pass: the cheapest way to both measure and decode a handful of headers
        size += len(name) + len(value)
        found[name.decode("latin-1")] = value.decode("latin-1")
    if size > max_bytes:
        raise RequestHeaderFieldsTooLarge(f"The request headers are larger than {max_bytes} bytes in all.")
    if len(found) != len(raw):
        repeated: dict[str, list[str]] = {}
        for raw_name, raw_value in raw:
            repeated.setdefault(raw_name.decode("latin-1"), []).append(raw_value.decode("latin-1"))
        found = {name: ", ".join(values) for name, values in repeated.items()}
    return found


def segments(scope: Scope) -> list[str]:
    """Path segments, each percent-decoded on its own so that an encoded '/' stays inside its segment."""
    raw = scope.get("raw_path")
    if raw is None:
        path: str = scope.get("path", "")
        return path.split("/")[1:]
    text: str = raw.decode("latin-1")
    if "?" in text:  # ASGI leaves the query out of raw_path, but not every server did
        text = text.split("?", 1)[0]
    if "%" not in text:
        parts = text.split("/")[1:]
    else:
        try:
            parts = [unquote(part, errors="strict") for part in text.split("/")[1:]]
        except UnicodeDecodeError:
            raise BadRequest("The request path is not valid UTF-8.") from None
    root_path = scope.get("root_path")
    if not root_path:
        return parts
    root = [s for s in root_path.split("/") if s]
    return parts[len(root) :] if root and parts[: len(root)] == root else parts


def base_url(scope: Scope, headers: Mapping[str, str], base_path: str) -> str:
    """Absolute URL of the API root: scheme, host, mount point (``root_path``) and base path. A ``Host`` header
    that is not a host name or address (``evil.example/phish?x=``) is ignored for the server's own address."""
    host = headers.get("host")
    if not host or not _HOST.fullmatch(host):
        server = scope.get("server") or ("localhost", None)
        host = server[0] if server[1] in (None, 80, 443) else f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'http')}://{host}{scope.get('root_path', '')}{base_path}"


async def lifespan(receive: Receive, send: Send) -> None:
    """Acknowledge startup and shutdown: the runtime holds no resources of its own."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
