"""Runs the service's ASGI app under uvicorn: request deadlines, forwarded headers only from configured proxies,
and a stop on SIGTERM/SIGINT that returns to the caller (so that it can close the database)."""

from __future__ import annotations

import signal
from dataclasses import dataclass
from types import FrameType
from typing import Any

import uvicorn

from service.timeouts import deadlines_protocol


@dataclass(frozen=True)
class ServerOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    headers_timeout: float = 10.0
    body_timeout: float = 30.0
    keep_alive_timeout: int = 5
    #: Proxies whose X-Forwarded-For/-Proto are believed (uvicorn's syntax: "10.0.0.1,10.0.0.2" or "*");
    #: None: those headers are ignored, whoever sends them.
    forwarded_allow_ips: str | None = None


def uvicorn_config(app: Any, options: ServerOptions) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=options.host,
        port=options.port,
        http=deadlines_protocol(options.headers_timeout, options.body_timeout),
        ws="none",  # the API has no websocket endpoint: an upgrade request is an ordinary request
        timeout_keep_alive=options.keep_alive_timeout,
        # uvicorn trusts X-Forwarded-* from 127.0.0.1 unless told otherwise: anything on the host could forge them.
        proxy_headers=options.forwarded_allow_ips is not None,
        forwarded_allow_ips=options.forwarded_allow_ips,
        access_log=False,  # the service writes its own (service.app)
        log_level="info",
        lifespan="on",
    )


def serve(config: uvicorn.Config) -> None:
    """Serve until SIGTERM or SIGINT, shut down gracefully (in-flight requests finish), then return.

    uvicorn installs its own handlers while it runs and, once stopped, raises the signal again against the
    handlers it found, to exit the way the signal asks: with the default handler that kills the process
    (status 143) before the caller's ``finally`` runs. The handler installed here instead asks the server to
    stop, which also covers a signal arriving before uvicorn's handlers are in place.
    """
    server = uvicorn.Server(config)

    def stop(signum: int, frame: FrameType | None) -> None:
        server.should_exit = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        server.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
