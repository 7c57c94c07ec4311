"""Errors the user has to fix: printed as one clear message each, never as a traceback."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


class CodegenError(Exception):
    """A problem with the input or the environment; the CLI prints it and exits with status 2."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a spec, located by JSON pointer (and by line when the source is known).

    ``kind`` groups problems in a report ("reference", "structure"...); without one, problems with the
    same message (a construct the target refuses, met 242 times) form the group."""

    pointer: str
    message: str
    file: str = ""
    line: int | None = None
    kind: str = ""
    #: Where on the line, when the source says (YAML syntax errors): editors jump to ``file:line:column``.
    column: int | None = None

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"

    @property
    def place(self) -> str:
        where = self.file or "spec"
        if self.line is not None:
            where = f"{where}:{self.line}" if self.column is None else f"{where}:{self.line}:{self.column}"
        return f"{where}: {self.pointer or '/'}"


class SpecError(CodegenError):
    """The spec is invalid or uses something the generator does not support: every problem, grouped."""

    def __init__(self, problems: list[Problem], what: str = "invalid spec") -> None:
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        groups = grouped(problems)
        kinds = f", {len(groups)} kinds" if len(groups) > 1 else ""
        super().__init__(f"{what} ({count}{kinds}):\n" + "\n".join(report_lines(groups)))


def grouped(problems: list[Problem]) -> dict[str, list[Problem]]:
    """Problems by kind (or by message), largest group first, each group in the order given."""
    groups: dict[str, list[Problem]] = {}
    for problem in problems:
        groups.setdefault(problem.kind or problem.message, []).append(problem)
    return dict(sorted(groups.items(), key=lambda group: -len(group[1])))


def report_lines(groups: dict[str, list[Problem]]) -> list[str]:
    """A group per kind with its count, then its first places: short enough to read, complete in its counts."""
    lines: list[str] = []
    single = len(groups) == 1
    per_group = MAX_SHOWN if single else SHOWN_PER_GROUP
    for kind, members in groups.items():
        indent = "  " if single else "    "
        if not single:
            lines.append(f"  {kind} ({len(members)}):" if members[0].kind else f"  {len(members)} x {kind}")
        for problem in members[:per_group]:
            lines.append(f"{indent}{problem if problem.kind or single else problem.place}")
        if len(members) > per_group:
            lines.append(f"{indent}... and {len(members) - per_group} more")
    return lines


MAX_SHOWN = 50
SHOWN_PER_GROUP = 5


def shown(value: Any) -> str:
    """A spec value as a message quotes it: a string in single quotes, anything else as JSON (``true``, ``null``,
    ``[1, 2]``), never as a Python repr (``True``, ``None``)."""
    return f"'{value}'" if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
