"""Errors the user has to fix: printed as one clear message each, never as a traceback."""

from __future__ import annotations

from dataclasses import dataclass


class CodegenError(Exception):
    """A problem with the input or the environment; the CLI prints it and exits with status 2."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a spec, located by JSON pointer (and by line when the source is known)."""

    pointer: str
    message: str
    file: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = self.file or "spec"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.pointer or '/'}: {self.message}"


class SpecError(CodegenError):
    """The spec is invalid or uses something the generator does not support."""

    def __init__(self, problems: list[Problem], what: str = "invalid spec") -> None:
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:MAX_SHOWN])
        more = len(problems) - MAX_SHOWN
        tail = f"\n  ... and {more} more" if more > 0 else ""
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"{what} ({count}):\n{shown}{tail}")


MAX_SHOWN = 50
