# Support module of every generated client: copied verbatim by codegen.client (line 1 becomes the @generated header).
"""Date-times stay the exact text the service sent (what the client sends back); this module reads them.

Python's ``datetime`` holds six fractional digits and no leap second, while RFC 3339 (and Microsoft Graph,
``17.7769392``) allows more: parsing into it on every response would lose data or fail on valid values.
"""

from __future__ import annotations

import datetime
import re

_DATE_TIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[Tt](?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2})(?:\.(?P<f>\d+))?"
    r"(?P<zone>[Zz]|[+-]\d{2}:\d{2})"
)


def to_datetime(text: str) -> datetime.datetime:
    """The aware ``datetime`` an RFC 3339 date-time names; ValueError for anything else.

    A leap second (``23:59:60``) reads as ``23:59:59.999999`` and digits past microseconds are cut: the
    view may be a microsecond off, the text it came from is exact."""
    match = _DATE_TIME.fullmatch(text)
    if match is None:
        raise ValueError(f"not an RFC 3339 date-time: {text!r}")
    year, month, day = (int(part) for part in match["date"].split("-"))
    hour, minute, second = int(match["h"]), int(match["m"]), int(match["s"])
    if hour > 23 or minute > 59 or second > 60:
        raise ValueError(f"not an RFC 3339 date-time: {text!r}")
    micro = int((match["f"] or "0")[:6].ljust(6, "0"))
    if second == 60:
        second, micro = 59, 999_999
    return datetime.datetime(year, month, day, hour, minute, second, micro, tzinfo=_zone(match["zone"], text))


def from_datetime(value: datetime.datetime) -> str:
    """RFC 3339 text for an aware ``datetime`` (a naive one is refused: the spec needs an offset)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a date-time needs a time zone offset: use an aware datetime")
    return value.isoformat()


def _zone(zone: str, text: str) -> datetime.timezone:
    if zone in ("Z", "z"):
        return datetime.UTC
    hours, minutes = int(zone[1:3]), int(zone[4:6])
    if hours > 23 or minutes > 59:
        raise ValueError(f"not an RFC 3339 date-time: {text!r}")
    offset = datetime.timedelta(hours=hours, minutes=minutes)
    return datetime.timezone(-offset if zone[0] == "-" else offset)
