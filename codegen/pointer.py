"""JSON pointers (RFC 6901): the one way problems and references name a place in a spec."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

#: A place in a document as its tokens: ``("paths", "/items", "get")``. Written out by ``pointer_text``.
Pointer = tuple[str | int, ...]


def escape(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_text(pointer: Sequence[str | int]) -> str:
    """``("paths", "/a")`` -> ``/paths/~1a``."""
    return "".join("/" + escape(token) for token in pointer)


def parse(pointer: str) -> tuple[str, ...]:
    """Split ``/a/b~1c`` into ``("a", "b/c")``; raises ValueError for a pointer not starting with ``/``."""
    if pointer == "":
        return ()
    if not pointer.startswith("/"):
        raise ValueError(f"JSON pointer must start with '/': {pointer!r}")
    return tuple(part.replace("~1", "/").replace("~0", "~") for part in pointer[1:].split("/"))


def parse_fragment(fragment: str) -> tuple[str, ...]:
    """A URI fragment (``#/components/schemas/a%20b``) is a percent-encoded JSON pointer."""
    return parse(unquote(fragment))


class PointerError(LookupError):
    """The pointer names nothing in the document."""


def resolve(document: Any, path: Sequence[str]) -> Any:
    node = document
    for token in path:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node) and str(int(token)) == token:
            node = node[int(token)]
        else:
            raise PointerError(pointer_text(path))
    return node
