"""The contract report: each failure as what was expected and what came back, grouped by root cause (a setup
step that failed is one cause, not one per test that needed it), schemathesis' findings with the property and
keyword at fault, and a curl line per cause that runs as printed."""

from __future__ import annotations

import functools
import hashlib
import re
import shlex
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

#: Bodies longer than this, not UTF-8, or with characters a terminal line cannot hold go to a file the curl names.
INLINE_BODY = 1000
REPRODUCE = "reproduce: "
_NOT_SHOWN = frozenset(
    {"host", "content-length", "accept", "accept-encoding", "connection", "user-agent", "x-schemathesis-testcaseid"}
)
Cause = dict[str, str]  # key (what groups failures), title, step, detail, curl: plain strings, kept on the report


class Mismatch(AssertionError):
    """A response that breaks the contract: what was expected, what came back, and how to send it again."""

    def __init__(self, request: str, expected: str, got: str, *, response: str = "", curl: str = "",
                 step: str = "", key: str = "") -> None:  # fmt: skip
        self.title = f"{request}: expected {expected}, got {got}"
        self.response, self.curl, self.step = response, curl, step
        self.key = key or self.title
        lines = [f"in setup ({step}): {self.title}" if step else self.title]
        lines += [f"response: {response}"] if response else []
        lines += [REPRODUCE + curl] if curl else []
        super().__init__("\n".join(lines))


def curl(method: str, url: str, headers: Iterable[tuple[str, str]], body: bytes | str | None,
         tokens: Mapping[str, str]) -> str:  # fmt: skip
    """A curl line that sends this request again: the URL right after the method, known tokens as "$TOKEN"
    (double quotes: the shell expands them), the whole body (inline, or from a file when it cannot be)."""
    words = (
        ["curl", "-sS", "-i"] + (["-g"] if re.search(r"[\[\]{}]", url) else []) + (["-X", method] * (method != "GET"))
    )
    words.append(shlex.quote(url))
    for name, value in headers:
        if name.lower() in _NOT_SHOWN:
            continue
        scheme, _, token = value.partition(" ")
        if name.lower() == "authorization" and token in tokens and scheme.isalpha():
            words += ["-H", f'"Authorization: {scheme} ${tokens[token]}"']
        else:
            words += ["-H", shlex.quote(f"{name}: {value}")]
    data = body.encode() if isinstance(body, str) else body
    if data:
        words += ["--data-binary", _data(data)]
    return " ".join(words)


def _data(body: bytes) -> str:
    try:
        text: str | None = body.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and len(text) <= INLINE_BODY and text.isprintable() and not text.startswith("@"):
        return shlex.quote(text)
    path = _bodies() / f"{hashlib.sha256(body).hexdigest()[:16]}.body"
    if not path.is_file():
        path.write_bytes(body)
    return shlex.quote(f"@{path}")


@functools.cache
def _bodies() -> Path:
    """A folder of this run's own (mkdtemp: new, owner-only), so that no other user of the machine can put a
    file, or a link, where a curl line sends a body from. It stays after the run: the lines need it."""
    return Path(tempfile.mkdtemp(prefix="contract-bodies-"))


def route(path: str, templates: Sequence[str]) -> str:
    """The spec's path template that ``path`` (relative to the API root) matches, literal segments first; the
    longest matching template and the rest as sent when none matches whole."""
    segments = path.split("/")
    best: tuple[int, int, str] = (-1, -1, path)
    for template in templates:
        parts = template.split("/")
        if len(parts) > len(segments):
            continue
        pairs = list(zip(parts, segments, strict=False))
        if all(p == s or (p.startswith("{") and p.endswith("}")) for p, s in pairs):
            literal = sum(p == s for p, s in pairs)
            best = max(best, (len(parts), literal, "/".join([template, *segments[len(parts) :]])))
    return best[2]


def causes(error: BaseException) -> list[Cause]:
    """The root causes of one failed test: ours, schemathesis' (a group of them), or any other exception."""
    if isinstance(error, Mismatch):
        detail = f"response: {error.response}" if error.response else ""
        return [{"key": error.key, "title": error.title, "step": error.step, "detail": detail, "curl": error.curl}]
    if isinstance(error, BaseExceptionGroup):
        notes = [n.removeprefix(REPRODUCE) for n in getattr(error, "__notes__", ()) if n.startswith(REPRODUCE)]
        found = [cause for sub in error.exceptions for cause in causes(sub)]
        return [{**cause, "curl": cause["curl"] or (notes[0] if notes else "")} for cause in found]
    if type(error).__module__.startswith("schemathesis") and isinstance(getattr(error, "code", None), str):
        return [_schemathesis(error)]
    first = next((line for line in str(error).splitlines() if line.strip()), "")
    title = f"{type(error).__name__}: {first[:300]}" if first else type(error).__name__
    return [{"key": title, "title": title, "step": "", "detail": "", "curl": ""}]


def _schemathesis(failure: Any) -> Cause:
    """A schemathesis check's finding: for a schema violation, the keyword and the property at fault."""
    operation, head = failure.operation, f"{failure.code} {failure.title}"
    paragraphs = [p.strip() for p in str(failure.message).split("\n\n") if p.strip()]
    schema_path = [str(p) for p in getattr(failure, "schema_path", None) or []]
    if schema_path:
        instance = [str(p) for p in failure.instance_path]
        where = "/" + "/".join(instance) if instance else "the top level"
        context = [p for p in paragraphs[1:2] if p.startswith("Validated against")]
        detail = "; ".join([failure.validation_message, *context])
        title = f"{operation}: {head}: keyword `{schema_path[-1]}` at {where}"
        key = f"{operation}|{failure.code}|{'/'.join(schema_path)}|{re.sub(r'/[0-9]+', '/*', where)}"
    else:
        status = getattr(failure, "status_code", None)
        title = f"{operation}: {head}" + (f" (got {status})" if isinstance(status, int) else "")
        key = f"{operation}|{failure.code}"
        detail = "; ".join(line.strip() for p in paragraphs[:3] for line in p.splitlines() if line.strip())
    return {"key": key, "title": title, "step": "", "detail": " ".join(detail.split())[:600], "curl": ""}


def render(write: Callable[[str], None], failed: Sequence[tuple[str, str, list[Cause]]]) -> None:
    """``failed``: (test name, pytest phase, causes) per failed test; one entry per cause, most tests first."""
    groups: dict[str, list[tuple[str, str, Cause]]] = {}
    for test, when, found in failed:
        for cause in found:
            groups.setdefault(cause["key"], []).append((test, when, cause))
    write(f"{len(failed)} test(s) failed, from {len(groups)} cause(s):")
    for number, members in enumerate(sorted(groups.values(), key=lambda m: -len(m)), 1):
        first = members[0][2]
        write(f"{number}. {first['title']}")
        write(f"   {_tests([test for test, _, _ in members])}")
        steps = Counter(cause["step"] or "a fixture" for _, when, cause in members if cause["step"] or when == "setup")
        if steps:
            each = ", ".join(f"{step}: {count}" for step, count in steps.items())
            write(f"   {steps.total()} of them failed in a setup step ({each}), before what they test")
        if first["detail"]:
            write(f"   {first['detail']}")
        shown: dict[str, str] = {}
        for test, _, cause in members:
            if cause["curl"] and len(shown) < 3:
                shown.setdefault(test.split("[")[0], REPRODUCE + cause["curl"])
        for line in dict.fromkeys(shown.values()):
            write(f"   {line}")


def _tests(names: list[str]) -> str:
    """``test_a (8 cases), test_b[x]``: each test function once."""
    functions: dict[str, list[str]] = {}
    for name in names:
        functions.setdefault(name.split("[")[0], []).append(name)
    parts = [
        cases[0] if len(cases) == 1 else f"{function} ({len(cases)} cases)" for function, cases in functions.items()
    ]
    return f"{len(names)} test(s): " + ", ".join(parts)
