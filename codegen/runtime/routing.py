# Runtime of every generated server: copied verbatim by codegen.server (line 1 becomes the @generated header).
"""The router: the spec's path templates compiled once into a segment tree, matched per request.

A segment is literal text (``items``), one parameter (``{id}``), or text and parameters mixed (``{sid}.json``,
``thumbnail.{ext}``, ``{base}...{head}``); a parameter always matches at least one character of one segment.
At each segment a literal wins, then the mixed pattern with the most literal text, then a lone parameter
(``/items/count`` before ``/items/{id}.json`` before ``/items/{id}``). The generator compiles the same tree,
so it refuses exactly the templates the server cannot tell apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from difflib import get_close_matches
from typing import Final, Generic, TypeVar

T = TypeVar("T")
_PARAMETER: Final = re.compile(r"^\{([^{}/]+)\}$")
_PLACEHOLDER: Final = re.compile(r"\{([^{}/]+)\}")


class RouteError(ValueError):
    """A path template the router cannot serve as the spec means it."""


def segments_of(template: str) -> list[str]:
    """The template's segments, empty ones dropped: ``/a/{b}/`` -> ``["a", "{b}"]``."""
    return [segment for segment in template.split("/") if segment]


def parameter_names(template: str) -> list[str]:
    """The names of the template's parameters, in path order."""
    return [name for segment in segments_of(template) for name in _PLACEHOLDER.findall(segment)]


class _Pattern:
    """A segment mixing text and parameters, as a regular expression; ``skeleton`` is its literal text with
    each parameter blanked: two patterns with one skeleton match the same segments."""

    __slots__ = ("literal_length", "regex", "skeleton")

    def __init__(self, segment: str) -> None:
        texts = _PLACEHOLDER.split(segment)[::2]  # the literal text around the parameters
        if any("{" in text or "}" in text for text in texts):
            raise RouteError(f"path segment {segment!r} has a brace that opens or closes no parameter")
        if any(not text for text in texts[1:-1]):
            raise RouteError(f"path segment {segment!r} has two parameters with no text between them")
        self.skeleton = "{}".join(texts)
        self.literal_length = sum(len(text) for text in texts)
        # Each parameter takes as little as it can, the last one what is left: "a...b...c" read by
        # "{base}...{head}" is base "a", head "b...c".
        groups = ["(.+?)"] * (len(texts) - 2) + ["(.+)"]
        self.regex = re.compile(
            "".join(re.escape(text) + group for text, group in zip(texts[:-1], groups, strict=True))
            + re.escape(texts[-1])
        )


class _Node(Generic[T]):
    """One segment: literal children, mixed patterns (most literal text first), one parameter child, and the
    endpoints of templates ending here."""

    __slots__ = ("endpoints", "literals", "parameter", "patterns", "templates")

    def __init__(self) -> None:
        self.literals: dict[str, _Node[T]] = {}
        self.patterns: list[tuple[_Pattern, _Node[T]]] = []
        self.parameter: _Node[T] | None = None
        self.endpoints: dict[str, T] = {}
        self.templates: dict[str, str] = {}

    def pattern_child(self, pattern: _Pattern) -> _Node[T]:
        for known, child in self.patterns:
            if known.skeleton == pattern.skeleton:
                return child
        child = _Node[T]()
        self.patterns.append((pattern, child))
        self.patterns.sort(key=lambda entry: -entry[0].literal_length)  # stable: first added wins a tie
        return child


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
                node = node.pattern_child(_Pattern(segment))
            else:
                node = node.literals.setdefault(segment, _Node())
        if method in node.endpoints:
            raise RouteError(f"{method} {template} matches the same requests as {node.templates[method]}")
        node.endpoints[method] = endpoint
        node.templates[method] = template

    def match(self, segments: list[str]) -> tuple[Mapping[str, T], list[str]] | None:
        """(endpoints by method, parameter values in path order) of the template matching ``segments``.

        The common case (literals and lone parameters, no dead end) is one loop; anything else falls back
        to the backtracking search."""
        captured: list[str] = []
        current = self._top
        for segment in segments:
            child = current.literals.get(segment)
            if child is None:
                if current.parameter is None or current.patterns or not segment:
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

    def stop(self, segments: list[str]) -> tuple[int, str | None]:
        """For a path nothing matches: the index of the first segment no template has there, and the literal
        segment a template has there that it most resembles (None when none is close), for the 404's message.
        Literals are followed first, then mixed patterns, then parameters, as ``match`` prefers them."""
        node = self._top
        for index, segment in enumerate(segments):
            child = node.literals.get(segment)
            if child is None:
                child = next((c for p, c in node.patterns if p.regex.fullmatch(segment)), None)
            if child is None and segment and node.parameter is not None:
                child = node.parameter
            if child is None:
                close = get_close_matches(segment, list(node.literals), n=1) if len(segment) <= _MAX_SUGGESTED else []
                return index, (close[0] if close else None)
            node = child
        return max(len(segments) - 1, 0), None  # every segment leads somewhere, but no template ends here


#: Longer segments get no suggestion: comparing them costs time in their length squared.
_MAX_SUGGESTED: Final = 100


def _backtrack(node: _Node[T], segments: list[str], index: int, captured: list[str]) -> _Node[T] | None:
    if index == len(segments):
        return node if node.endpoints else None
    segment = segments[index]
    child = node.literals.get(segment)
    if child is not None:
        found = _backtrack(child, segments, index + 1, captured)
        if found is not None:
            return found
    for pattern, pattern_child in node.patterns:
        match = pattern.regex.fullmatch(segment)
        if match is not None:
            captured.extend(match.groups())
            found = _backtrack(pattern_child, segments, index + 1, captured)
            if found is not None:
                return found
            del captured[len(captured) - len(match.groups()) :]
    if node.parameter is not None and segment:
        captured.append(segment)
        found = _backtrack(node.parameter, segments, index + 1, captured)
        if found is not None:
            return found
        captured.pop()
    return None
