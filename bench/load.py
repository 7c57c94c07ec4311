"""HTTP load: uvicorn (1 worker) on one core, wrk on the other, over 127.0.0.1; throughput and p99 latency.

Every response's status is checked by wrk's Lua ``response`` callback, so a misconfigured app cannot pass for a fast
one. That callback costs wrk little: wrk's own CPU time is measured, and it stays far below one core (``wrk_core``).
"""

from __future__ import annotations

import http.client
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
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
    #: Requests sent once before the load, each with the status it must get (headers, body, status): they show
    #: that an app does the work the others do (a token is required, unknown properties are refused).
    probes: tuple[tuple[dict[str, str], bytes, int], ...] = ()
    #: The interpreter uvicorn runs under (the peers run from the benchmark venv) and what its environment adds.
    python: str = sys.executable
    env: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Measure:
    rps: float
    p99_ms: float
    #: The share of its core wrk itself used: near 1.0, the load generator, not the server, would be the limit.
    wrk_core: float


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
        "done = function(summary, latency, requests)",
        '  local e = summary.errors; io.write("unexpected: " .. unexpected .. "\\n")',
        '  io.write(string.format("socket errors: %d connect, %d read, %d write, %d timeout\\n",',
        "    e.connect, e.read, e.write, e.timeout)) end",
    ]
    return "\n".join(lines) + "\n"


def measure(scenario: Scenario, seconds: float, connections: int = 32) -> Measure:
    """Start uvicorn with the scenario's app, probe it, warm it up, then measure with wrk."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp, tempfile.TemporaryFile("w+") as log:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "BENCH_DB": f"{tmp}/bench.db", **scenario.env}
        server = subprocess.Popen(
            [*_pin(0), scenario.python, "-m", "uvicorn", scenario.app, "--port", str(port), "--workers", "1",
             "--no-access-log", "--log-level", "warning", "--loop", "uvloop", "--http", "httptools"],
            cwd=ROOT, env=env, stderr=log,
        )  # fmt: skip
        try:
            _wait_for(port, server)
            _probe(scenario, port)
            script = Path(tmp, "check.lua")
            script.write_text(_lua(scenario))
            url = f"http://127.0.0.1:{port}{scenario.path}"
            # A timeout long enough that no slow app loses requests from its latency distribution.
            wrk = [*_pin(1), "wrk", "-t1", f"-c{connections}", "--latency", "--timeout", "30s", "-s", str(script), url]
            subprocess.run([*wrk, "-d1s"], capture_output=True, check=True)  # warm-up
            before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
            out = subprocess.run([*wrk, f"-d{round(seconds)}s"], capture_output=True, text=True, check=True).stdout
            after, elapsed = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic() - start
            wrk_cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            return _parse(scenario, out, wrk_cpu / elapsed)
        except (RuntimeError, subprocess.CalledProcessError):
            log.seek(0)
            print(f"bench: {scenario.name}: the server's stderr:\n{log.read()[-4000:]}", file=sys.stderr)
            raise
        finally:
            server.terminate()
            server.wait(timeout=10)


def _probe(scenario: Scenario, port: int) -> None:
    """The scenario's request once, then its probes: each must answer the status it names."""
    requests = [(scenario.headers, scenario.body, scenario.expect), *scenario.probes]
    for headers, body, expect in requests:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("POST", scenario.path, body, headers)
            response = connection.getresponse()
            answer = response.read()
        finally:
            connection.close()
        if response.status != expect:
            sent = {k: v for k, v in headers.items() if k != "Authorization"}
            raise RuntimeError(
                f"{scenario.name}: expected {expect}, got {response.status} for {sent} "
                f"(authorization {'sent' if 'Authorization' in headers else 'absent'}) {body[:80]!r}: {answer[:300]!r}"
            )


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def _parse(scenario: Scenario, out: str, wrk_core: float) -> Measure:
    def number(pattern: str) -> re.Match[str]:
        match = re.search(pattern, out)
        if match is None:
            raise RuntimeError(f"{scenario.name}: cannot read wrk output:\n{out}")
        return match

    unexpected = int(number(r"unexpected: (\d+)").group(1))
    if unexpected:
        raise RuntimeError(f"{scenario.name}: {unexpected} responses were not {scenario.expect}")
    errors = number(r"socket errors: (\d+) connect, (\d+) read, (\d+) write, (\d+) timeout")
    if any(int(n) for n in errors.groups()):
        raise RuntimeError(f"{scenario.name}: {errors.group(0)}")
    p99 = number(r"\n\s*99%\s+([\d.]+)(us|ms|s)\b")
    return Measure(
        rps=float(number(r"Requests/sec:\s+([\d.]+)").group(1)),
        p99_ms=float(p99.group(1)) * _UNITS[p99.group(2)],
        wrk_core=wrk_core,
    )


def _wait_for(port: int, server: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with status {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on port {port} did not start")


def requests_per_second(scenario: Scenario, seconds: float, connections: int = 32) -> float:
    """Throughput alone (what callers before ``measure`` used)."""
    return measure(scenario, seconds, connections).rps
