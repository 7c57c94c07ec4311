"""The service as one ASGI app: the generated server over SQLite, plus lifespan and an access log.

The access log names the request-id (never the Authorization header or a token), so a partner who
quotes a request-id from an error can be found in the log. What the client chose (its path, a forwarded
address) is logged with control characters escaped, so that a ``%0A`` in a URL cannot forge a log line.
"""

from __future__ import annotations

import logging
import time
from collections.abc import MutableMapping
from typing import Any

from generated.server import App, Authenticator, Handlers, Receive, Scope, Send, create_app, printable
from service.handlers import UserStatusHandlers
from service.store import Store

ACCESS_LOG = logging.getLogger("service.access")
SUCCESS_HEADERS = {"OData-Version": "4.0"}


class ServiceApp:
    """Wraps the generated app to write one access-log line per request. The store belongs to whoever
    made it (``python -m service`` closes it after the server stops): ASGI test clients may send lifespan
    events around every request, so shutdown must not close it. ``public_url`` (``https://api.example.com``)
    is where links such as ``@odata.nextLink`` point; other options go to ``create_app``."""

    def __init__(
        self, store: Store, authenticator: Authenticator, *, public_url: str | None = None, **options: Any
    ) -> None:
        self.store = store
        self.api_authenticator = authenticator
        handlers: Handlers = UserStatusHandlers(store)  # mypy checks the implementation against the spec here
        self.api: App = create_app(
            handlers, authenticator=authenticator, success_headers=SUCCESS_HEADERS, public_url=public_url, **options
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not ACCESS_LOG.isEnabledFor(logging.INFO):
            await self.api(scope, receive, send)
            return
        started = time.perf_counter()
        seen: dict[str, Any] = {}

        async def logging_send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                seen["request_id"] = next((v.decode() for k, v in message["headers"] if k == b"request-id"), "-")
            await send(message)

        try:
            await self.api(scope, receive, logging_send)
        finally:
            ACCESS_LOG.info(
                '%s "%s %s" %s %.1fms request-id=%s',
                printable(str((scope.get("client") or ("-",))[0])),
                printable(str(scope.get("method"))),
                printable(str(scope.get("path"))),
                seen.get("status", "-"),
                (time.perf_counter() - started) * 1000,
                seen.get("request_id", "-"),
            )
