"""Behind (or without) a proxy: links point at the public URL, and X-Forwarded-* headers are believed only
from the proxies named with --forwarded-allow-ips (uvicorn would otherwise believe anything on 127.0.0.1)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.service.conftest import BASE, RW, start_service

pytestmark = pytest.mark.slow
FORGED = {"Host": "evil.example:666", "X-Forwarded-Proto": "https", "X-Forwarded-For": "6.6.6.6",
          "X-Forwarded-Host": "evil.example"}  # fmt: skip
NEXT = "/v1.0/deviceAppManagement/mobileAppConfigurations/cfg-1/userStatuses?$skiptoken=0000000000000001&$top=1"


def next_link_and_log(tmp_path: Path, *options: str) -> tuple[str, str, str]:
    running = start_service(tmp_path, None, *options)
    try:
        for _ in range(2):
            assert httpx.post(running.url + BASE, json={}, headers=RW).status_code == 201
        page = httpx.get(running.url + BASE + "?$top=1", headers={**RW, **FORGED}).json()
    finally:
        running.stop()
    return page["@odata.nextLink"], running.log.read_text(), running.url


def test_forwarded_headers_from_loopback_are_ignored_by_default(tmp_path: Path) -> None:
    link, log, url = next_link_and_log(tmp_path)
    assert link == url + NEXT  # http://127.0.0.1:PORT, the bound address
    assert "6.6.6.6" not in log
    assert '127.0.0.1 "GET ' in log


def test_configured_proxies_and_public_url(tmp_path: Path) -> None:
    options = ("--public-url", "https://api.example.com", "--forwarded-allow-ips", "127.0.0.1")
    link, log, _ = next_link_and_log(tmp_path, *options)
    assert link == "https://api.example.com" + NEXT  # the proxy's Host and X-Forwarded-Host do not matter either
    assert '6.6.6.6 "GET ' in log  # the trusted proxy's X-Forwarded-For names the client
