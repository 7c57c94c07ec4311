# Runtime of every generated server: copied verbatim by codegen.server (line 1 becomes the @generated header).
"""The router: the spec's path templates compiled once into a segment tree, matched per request.

Literal segments win over parameters (``/items/count`` before ``/items/{id}``); a parameter matches one
non-empty segment. The generator compiles the same tree to refuse templates it cannot serve faithfully.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final, Generic, TypeVar

T = TypeVar("T")
_PARAMETER: Final = re.compile(r"^\{([^{}/]+)\}$")


class RouteError(ValueError):
    """A path template the router cannot serve as the spec means it."""


def segments_of(template: str) -> list[str]:
    """The template's segments, empty ones dropped: ``/a/{b}/`` -> ``["a", "{b}"]``."""
    return [segment for segment in template.split("/") if segment]


def parameter_names(template: str) -> list[str]:
    """The names of the template's parameters, in path order."""
    return [match.group(1) for segment in segments_of(template) if (match := _PARAMETER.match(segment))]


class _Node(Generic[T]):
    """One segment: literal children, one parameter child, and the endpoints of templates ending here."""

    __slots__ = ("endpoints", "literals", "parameter", "templates")

    def __init__(self) -> None:
        self.literals: dict[str, _Node[T]] = {}
        self.parameter: _Node[T] | None = None
        self.endpoints: dict[str, T] = {}
        self.templates: dict[str, str] = {}


class Router(Generic[T]):
    """Maps (path segments, method) to what ``add`` was given for a template, under ``base_path``."""

    def __init__(self, base_path: str = "") -> None:
        self._top: _Node[T] = _Node()
        self._root = self._top
        for segment in segments_of(base_path):
            self._root = self._root.literals.setdefault(segment, _Node())

    def add(self, template: str, method: str, endpoint: T) -> None:
        """Route ``method`` on ``template`` to ``endpoint``; RouteError when no request could tell it apart."""
        node = self._root
        for segment in segments_of(template):
            if _PARAMETER.match(segment):
                if node.parameter is None:
                    node.parameter = _Node()
                node = node.parameter
            elif "{" in segment or "}" in segment:
                raise RouteError(f"path segment {segment!r} mixes text and a parameter")
            else:
                node = node.literals.setdefault(segment, _Node())
        if method in node.endpoints:
            raise RouteError(f"{method} {template} matches the same requests as {node.templates[method]}")
        node.endpoints[method] = endpoint
        node.templates[method] = template

    def match(self, segments: list[str]) -> tuple[Mapping[str, T], list[str]] | None:
        """(endpoints by method, parameter values in path order) of the template matching ``segments``.

        The common case (no dead end after a literal) is one loop; only a dead end falls back to the
        backtracking search."""
        captured: list[str] = []
        current = self._top
        for segment in segments:
            child = current.literals.get(segment)
            if child is None:
                if current.parameter is None or not segment:
                    break
                captured.append(segment)
                child = current.parameter
            current = child
        else:
            if current.endpoints:
                return current.endpoints, captured
        captured.clear()
        found = _backtrack(self._top, segments, 0, captured)
        return (found.endpoints, captured) if found is not None else None


def _backtrack(node: _Node[T], segments: list[str], index: int, captured: list[str]) -> _Node[T] | None:
    if index == len(segments):
        return node if node.endpoints else None
    segment = segments[index]
    child = node.literals.get(segment)
    if child is not None:
        found = _backtrack(child, segments, index + 1, captured)
        if found is not None:
            return found
    if node.parameter is not None and segment:
        captured.append(segment)
        found = _backtrack(node.parameter, segments, index + 1, captured)
        if found is not None:
            return found
        captured.pop()
    return None
