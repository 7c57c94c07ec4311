"""Operations the server target leaves out: one whose own parameters or body it cannot read faithfully is
still routed, answered 501 Not Implemented saying why, and reported as a warning, so that one construct does
not cost a document all its other operations. ``strict`` refuses the document instead."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from codegen.errors import Problem
from codegen.pointer import Pointer

#: How these warnings are grouped and counted in a report.
KIND = "operations the server target leaves out (answered 501)"
#: One operation's own problems, each with the part of it that holds the construct (``parameter 'q'``).
Found = list[tuple[Problem, str]]


def reasons(local: Mapping[Pointer, Found]) -> dict[Pointer, str]:
    """Why each operation is left out, in a sentence its 501 answer can give: its first problem and a count."""
    return {site: _reason(found) for site, found in local.items()}


def warnings(local: Mapping[Pointer, Found]) -> list[Problem]:
    """One warning per operation left out, at the place of its first problem (where a fix goes)."""
    found = []
    for site, problems in local.items():
        first = _ordered(problems)[0][0]
        message = f"{_route(site)} is answered 501 Not Implemented: {_reason(problems)}"
        found.append(replace(first, message=message, kind=KIND))
    return sorted(found, key=lambda p: (p.line or 0, p.pointer))


def _reason(found: Found) -> str:
    ordered = _ordered(found)
    problem, part = ordered[0]
    text = f"{part}: {problem.message}" if part else problem.message
    more = len(ordered) - 1
    return text + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")


def _ordered(found: Found) -> Found:
    return sorted(found, key=lambda f: (f[0].line or 0, f[0].pointer))


def _route(site: Pointer) -> str:
    """``GET /search`` for ``("paths", "/search", "get")``."""
    return f"{str(site[2]).upper()} {site[1]}"
