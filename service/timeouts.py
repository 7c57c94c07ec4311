"""Deadlines for slow clients, which uvicorn lacks: a request's head must arrive within ``headers_timeout``
seconds of the connection opening (or, on a kept-alive connection, of its first byte), its body within
``body_timeout`` seconds of the head. Past a deadline the client gets 408 (unless another answer is under way)
and the connection is closed. Idle time between requests stays uvicorn's ``timeout_keep_alive``.

uvicorn's keep-alive timer is cancelled by any byte and not armed at all on a fresh connection, and an ASGI
app cannot help: it is called only once the head is complete, and is not told of a body still trickling in
after it answered. So this subclasses uvicorn's httptools protocol and hooks the parser callbacks plus
uvicorn's ``on_response_complete``; their presence is checked at import, so that an uvicorn that renames them
fails at start instead of silently losing the deadlines. A deadline is armed only when a read leaves a head or
body incomplete: a request that arrives whole, the common case, costs no timer.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, ClassVar, Final, Literal

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

LOG = logging.getLogger("service.timeouts")
_HOOKS: Final = ("connection_made", "connection_lost", "data_received", "on_message_begin", "on_headers_complete",
                 "on_message_complete", "on_response_complete")  # fmt: skip
if missing := [name for name in _HOOKS if not callable(getattr(HttpToolsProtocol, name, None))]:
    raise ImportError(f"this uvicorn's HttpToolsProtocol lacks {', '.join(missing)}: request deadlines cannot work")
_BODY: Final = b"Request Timeout"
_REQUEST_TIMEOUT: Final = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(_BODY), _BODY)
)


class RequestDeadlines(HttpToolsProtocol):
    """uvicorn's httptools protocol with one deadline at a time, for the part of a request being read."""

    headers_timeout: ClassVar[float] = 10.0
    body_timeout: ClassVar[float] = 30.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        #: What the parser waits for: a head, a body, or nothing ("whole": the app has the request).
        self._reading: Literal["head", "body", "whole"] = "head"
        self._head_started = False  # bytes of a head arrived (so a 408 has a request to answer)

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()  # uvicorn has no timer on a fresh connection

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)  # cancels uvicorn's keep-alive timer, whatever the bytes
        if self._deadline is None and self._reading != "whole" and not self.transport.is_closing():
            self._arm()  # part of a head or body is in: the rest must follow in time

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_started = True

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._cancel()
        self._reading, self._head_started = "body", False

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._cancel()
        self._reading = "whole"
        if self.cycle.response_complete and not self.pipeline:  # answered before its body was read (a 401):
            self._reading = "head"  # idle now, and the body's bytes cancelled uvicorn's keep-alive timer
            self._arm()

    def on_response_complete(self) -> None:
        idle = self._reading == "whole" and not self.pipeline  # else a pipelined request is read or starts
        super().on_response_complete()  # arms uvicorn's keep-alive timer when idle
        if idle:
            self._reading = "head"

    def _arm(self) -> None:
        self._cancel()
        part = self._reading
        timeout = self.headers_timeout if part == "head" else self.body_timeout
        self._deadline = self.loop.call_later(timeout, self._expired, part, timeout)

    def _cancel(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self, part: str, timeout: float) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        if part == "head":  # a pipelined head may trickle in while an earlier request is answered
            answer = self._head_started and (self.cycle is None or self.cycle.response_complete)
        else:
            answer = not self.pipeline and not self.cycle.response_started  # this request is the one served
            self.cycle.disconnected = True  # the app's own answer, if any, is dropped; its receive() ends
            self.cycle.message_event.set()
        client = f"{self.client[0]}:{self.client[1]}" if self.client else "-"
        LOG.info("closing %s: request %s not received within %gs", client, part, timeout)
        if answer:
            self.transport.write(_REQUEST_TIMEOUT)
        self.transport.close()


def deadlines_protocol(headers_timeout: float, body_timeout: float) -> type[RequestDeadlines]:
    """An uvicorn ``http`` protocol class with these deadlines, in seconds."""

    class Configured(RequestDeadlines):
        pass

    Configured.headers_timeout = headers_timeout
    Configured.body_timeout = body_timeout
    return Configured
