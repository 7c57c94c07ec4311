"""Slow clients cannot hold connections: heads, bodies and idle keep-alive connections each have a deadline.

The service runs with 1-second deadlines; every client below would hold its connection forever without them.
"""

from __future__ import annotations

import asyncio
import math
import signal
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn

from tests.service.conftest import BASE, RW, free_port, start_service

pytestmark = pytest.mark.slow
HEAD = f"GET {BASE} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer rw\r\n".encode()
POST = f"POST {BASE} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n".encode()
LIMIT = 5.0  # seconds a client waits for the server to close before calling the connection held


async def held_for(
    port: int, first: bytes, trickle: bytes | None = None, after_response: bool = False
) -> tuple[float, bytes]:
    """Send ``first`` (then ``trickle`` every 0.25 s); seconds until the server closes (inf: still open), and
    what it sent. With ``after_response`` the clock starts once a first full response has been read."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    received = b""
    if after_response:
        writer.write(HEAD + b"\r\n")
        while b"\r\n\r\n" not in received or not received.endswith(b"}"):
            chunk = await asyncio.wait_for(reader.read(65536), LIMIT)
            assert chunk, received
            received += chunk
        received = b""
    started = time.monotonic()
    writer.write(first)

    async def dribble() -> None:
        while trickle is not None:
            await asyncio.sleep(0.25)
            writer.write(trickle)

    task = asyncio.create_task(dribble())
    try:
        while True:
            try:
                chunk = await asyncio.wait_for(reader.read(65536), started + LIMIT - time.monotonic())
            except TimeoutError:
                return math.inf, received
            except ConnectionError:
                chunk = b""
            if not chunk:
                return time.monotonic() - started, received
            received += chunk
    finally:
        task.cancel()
        writer.close()


async def two_part_body(port: int) -> bytes:
    """A body sent in two halves 0.4 s apart: slow, but within the deadline."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    body = b'{"userDisplayName": "patient"}'
    writer.write(POST.replace(b"1000", str(len(body)).encode()) + b"Authorization: Bearer rw\r\n\r\n" + body[:10])
    await asyncio.sleep(0.4)
    writer.write(body[10:])
    answer = await asyncio.wait_for(reader.read(65536), LIMIT)
    writer.close()
    return answer


def test_slow_heads_bodies_and_idle_connections_are_closed(tmp_path: Path) -> None:
    running = start_service(
        tmp_path, None, "--timeout-headers", "1", "--timeout-body", "1", "--timeout-keep-alive", "1"
    )
    port = urlsplit(running.url).port
    assert port is not None

    async def clients() -> list[tuple[float, bytes]]:
        return await asyncio.gather(
            held_for(port, HEAD, b"X-Slow: 1\r\n"),  # slowloris: a header line now and then
            held_for(port, POST + b"Authorization: Bearer rw\r\n\r\n" + b'{"id":'),  # a body that stops
            held_for(port, b""),  # connects and says nothing
            held_for(port, b"", after_response=True),  # keep-alive, idle
            held_for(port, HEAD, b"X-Slow: 1\r\n", after_response=True),  # keep-alive, then a slow head
            held_for(port, b"\r\n", b"\r\n", after_response=True),  # keep-alive, blank lines only
            held_for(port, POST + b"Authorization: Bearer wrong\r\n\r\n{", b" "),  # answered 401, body dribbles on
        )

    try:
        results = asyncio.run(clients())
        patient = asyncio.run(two_part_body(port))
        fast = httpx.post(running.url + BASE, json={}, headers=RW)
    finally:
        assert running.stop(signal.SIGTERM) == 0
    held = [seconds for seconds, _ in results]
    assert all(0.5 < seconds < 2.5 for seconds in held), held
    sent = [data.split(b"\r\n", 1)[0] for _, data in results]
    timeout, unauthorised = b"HTTP/1.1 408 Request Timeout", b"HTTP/1.1 401 Unauthorized"
    assert sent == [timeout, timeout, b"", b"", timeout, b"", unauthorised]
    assert patient.startswith(b"HTTP/1.1 201 ")
    assert fast.status_code == 201
    log = running.log.read_text()
    assert "request head not received within 1s" in log
    assert "request body not received within 1s" in log


async def _slow_echo(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Echoes the body after 0.8 s: slower than the deadlines below, which must not cut it off."""
    if scope["type"] == "lifespan":
        while (message := await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    body = b""
    while (message := await receive())["type"] == "http.request":
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    await asyncio.sleep(0.8)
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"%d" % len(body))]})
    await send({"type": "http.response.body", "body": body})


def test_deadlines_cover_receiving_not_answering() -> None:
    from service.server import ServerOptions, uvicorn_config

    options = ServerOptions(port=free_port(), headers_timeout=0.3, body_timeout=0.3, keep_alive_timeout=1)
    config = uvicorn_config(_slow_echo, options)
    config.log_level = "warning"

    async def run() -> bytes:
        server = uvicorn.Server(config)
        serving = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.01)
        reader, writer = await asyncio.open_connection("127.0.0.1", options.port)
        one = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n"
        writer.write(one + b"abc" + one + b"def")  # two pipelined requests, each answered after 0.8 s
        received = b""
        while received.count(b"HTTP/1.1 200 OK") < 2 or not received.endswith(b"def"):
            chunk = await asyncio.wait_for(reader.read(65536), 5)
            assert chunk, received
            received += chunk
        writer.close()
        server.should_exit = True
        await serving
        return received

    received = asyncio.run(run())
    assert received.index(b"abc") < received.index(b"def")
