"""Safe Python names from spec text: identifiers that pass an allow-list, never raw spec strings.

Every name the server target prints as code comes from here. A name is ASCII letters, digits and
underscores only, never a keyword, soft keyword or builtin, never starts with a digit, and is unique in
its scope even when spec names collide after case conversion (``fooBar`` and ``foo_bar``).
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9]|\b|_|$)|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset(dir(builtins)) | {
    "self", "cls", "ctx", "body", "typing", "Any", "Literal", "TypedDict", "Required", "NotRequired", "Protocol",
}  # fmt: skip


def words(text: str) -> list[str]:
    """Split any text into ASCII words: ``managedDevice.UserStatus-ID`` -> managed, Device, User, Status, ID."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _WORD.findall(ascii_text)


def snake(text: str, fallback: str = "value") -> str:
    name = "_".join(w.lower() for w in words(text)) or fallback
    return _safe(name, "n")


def pascal(text: str, fallback: str = "Model") -> str:
    name = "".join(w[:1].upper() + w[1:] for w in words(text)) or fallback
    return _safe(name, "N")


def constant(text: str, fallback: str = "VALUE") -> str:
    """A module constant's name: ``managedDevice.Status`` -> ``MANAGED_DEVICE_STATUS`` (never a keyword)."""
    name = "_".join(w.upper() for w in words(text)) or fallback
    return _safe(name, "N")


def _safe(name: str, digit_prefix: str) -> str:
    if name[0].isdigit():
        name = digit_prefix + name
    if name in RESERVED:
        name += "_"
    assert IDENTIFIER.match(name), name
    return name


class Scope:
    """Hands out unique names: the second ``foo`` becomes ``foo_2``, and so on."""

    def __init__(self, taken: frozenset[str] | set[str] = frozenset()) -> None:
        self._taken = set(taken)
        #: The next suffix to try for each name: a spec naming 10,000 things alike costs linear time.
        self._next: dict[str, int] = {}

    def claim(self, name: str) -> str:
        candidate, n = name, self._next.get(name, 2)
        while candidate in self._taken:
            candidate, n = f"{name}_{n}", n + 1
        self._next[name] = n
        self._taken.add(candidate)
        return candidate
