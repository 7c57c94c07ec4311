"""HTTP load: uvicorn (1 worker) on one core, wrk on the other, over 127.0.0.1."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Scenario:
    name: str
    app: str  # "module:attribute" for uvicorn
    body: bytes
    headers: dict[str, str]
    path: str
    expect: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _pin(core: int) -> list[str]:
    return ["taskset", "-c", str(core)] if shutil.which("taskset") and (os.cpu_count() or 1) > 1 else []


def _lua(scenario: Scenario) -> str:
    lines = ['wrk.method = "POST"', f"wrk.body = [==[{scenario.body.decode()}]==]"]
    lines += [f'wrk.headers["{k}"] = "{v}"' for k, v in scenario.headers.items()]
    # Count answers that are not the expected status, so a broken run cannot pass for a fast one.
    lines += [
        "unexpected = 0",
        f"response = function(status, headers, body) if status ~= {scenario.expect} then"
        " unexpected = unexpected + 1 end end",
        'done = function(summary, latency, requests) io.write("unexpected: " .. unexpected .. "\\n") end',
    ]
    return "\n".join(lines) + "\n"


def requests_per_second(scenario: Scenario, seconds: float, connections: int = 32) -> float:
    """Start uvicorn with the scenario's app, warm it up, then measure with wrk."""
    port = free_port()
    db = tempfile.TemporaryDirectory(prefix="bench-db-")
    server = subprocess.Popen(
        [*_pin(0), sys.executable, "-m", "uvicorn", scenario.app, "--port", str(port), "--workers", "1",
         "--no-access-log", "--log-level", "warning", "--loop", "uvloop", "--http", "httptools"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "BENCH_DB": f"{db.name}/bench.db"},
    )  # fmt: skip
    try:
        _wait_for(port)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(_lua(scenario))
        url = f"http://127.0.0.1:{port}{scenario.path}"
        wrk = [*_pin(1), "wrk", "-t1", f"-c{connections}", "-s", script.name, url]
        subprocess.run([*wrk, "-d1s"], capture_output=True, check=True)  # warm-up
        out = subprocess.run([*wrk, f"-d{round(seconds)}s"], capture_output=True, text=True, check=True).stdout
        os.unlink(script.name)
    finally:
        server.terminate()
        server.wait(timeout=10)
        db.cleanup()
    unexpected = int(re.search(r"unexpected: (\d+)", out).group(1))  # type: ignore[union-attr]
    if unexpected:
        raise RuntimeError(f"{scenario.name}: {unexpected} responses were not {scenario.expect}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if match is None:
        raise RuntimeError(f"cannot read wrk output:\n{out}")
    return float(match.group(1))


def _wait_for(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on port {port} did not start")
