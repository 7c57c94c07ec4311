"""The access log: one line per request, whatever the client put in its path."""

from __future__ import annotations

import logging
import re

import pytest

from tests.service.conftest import BASE, InProcess

LINE = re.compile(r'127\.0\.0\.1 "GET (?:[^"\\]|\\.)*" 404 [0-9.]+ms request-id=[0-9a-f-]{36}')


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ('/x%0D%0A2030-01-01 INFO service.access 10.0.0.1 "GET /admin" 200', r"/x\r\n2030-01-01"),
        ("/%1B%5B2J%1B%5B31mred", r"/\x1b[2J\x1b[31mred"),  # ANSI: clear the screen, then red
        ("/a%E2%80%A8b%E2%80%AEc%C2%85d", r"/a\u2028b\u202ec\x85d"),  # line separator, RTL override, NEL
        ("/q%22%20200%20request-id=forged%5C", r"/q\" 200 request-id=forged\\"),  # the quote cannot end the field
        ("/caf%C3%A9-%E6%97%A5%E6%9C%AC", "/café-日本"),  # letters stay readable
    ],
    ids=["crlf", "ansi", "unicode-separators", "quote", "letters"],
)
def test_control_characters_in_the_path_are_escaped(
    service: InProcess, caplog: pytest.LogCaptureFixture, path: str, shown: str
) -> None:
    with caplog.at_level(logging.INFO, logger="service.access"):
        service.call("GET", BASE + path)
    [line] = [record.getMessage() for record in caplog.records if record.name == "service.access"]
    assert shown in line
    assert line.isprintable()
    assert LINE.fullmatch(line), line  # one quoted request line (escapes inside), then the fields the service wrote
