# Runtime of every generated server: copied verbatim by codegen.server (line 1 becomes the @generated header).
"""deepObject values: keys such as ``a[b][0]=c`` (query options, form fields) assembled into objects and arrays,
each text read as what the schema allows where it lands. Bounded in depth and indexes; never guesses."""

from __future__ import annotations

import re
from typing import Any, Final

from .coercion import NOT_READ, expected, read_text
from .errors import BadRequest
from .operation import ANY, Shape
from .validation import show

#: How many ``[...]`` may follow a name.
MAX_DEPTH: Final = 8
#: Array indexes have at most this many digits (they must also run 0..n-1 without gaps).
_MAX_INDEX_DIGITS: Final = 4
_KEY: Final = re.compile(r"([^\[\]]*)((?:\[[^\[\]]*\])*)")
_SEGMENT: Final = re.compile(r"\[([^\[\]]*)\]")
_UNSET: Final = object()


def split_key(key: str) -> tuple[str, list[str]] | None:
    """``a[b][]`` as ``("a", ["b", ""])``; None when the key is not a name followed by brackets."""
    found = _KEY.fullmatch(key)
    if found is None or not found.group(2):
        return None
    return found.group(1), _SEGMENT.findall(found.group(2))


def scalar(shape: Shape, text: str, name: str, noun: str) -> Any:
    """``text`` as the first type it reads as, of those the schema allows here (most specific first)."""
    for coercion in shape.scalars:
        value = read_text(coercion, text)
        if value is not NOT_READ:
            return value
    if not shape.scalars:
        return text  # no scalar fits here: validation names what does
    raise BadRequest(
        f"Invalid value {show(text)} for {noun} '{name}': expected {expected(shape.scalars)}.", target=name
    )


def _empty(shape: Shape) -> Any:
    """``x=`` where no text fits but an object does: the empty object (how forms send ``{}``)."""
    return {} if shape.properties is not None and shape.items is None else ""


class _Array:
    """An array being assembled: items by index, filled by ``[]`` (appended) or ``[n]`` (indexed), not both."""

    __slots__ = ("appended", "items")

    def __init__(self, appended: bool) -> None:
        self.appended = appended
        self.items: dict[int, Any] = {}


class DeepValue:
    """One deepObject value, put together from every key that starts with its name."""

    def __init__(self, name: str, shape: Shape, noun: str) -> None:
        self.name = name
        self.shape = shape
        self.noun = noun
        self._root: dict[str, Any] = {}

    def put(self, segments: list[str], text: str) -> None:
        """Place ``text`` at ``name[segments...]``; BadRequest for keys that contradict each other. A bare name
        where only an array fits is one of its items (``x=a&x=b``, as form style sends them)."""
        if not segments and self.shape.items is not None and not self.shape.scalars and self.shape.properties is None:
            segments = [""]
        where = self.name + "".join(f"[{s}]" for s in segments)
        if len(segments) > MAX_DEPTH:
            raise BadRequest(f"The {self.noun} '{_cut(where)}' is nested deeper than {MAX_DEPTH} levels.",
                             target=self.name)  # fmt: skip
        container: Any = self._root
        key: Any = "value"
        shape = self.shape
        for i, segment in enumerate(segments):
            current = _get(container, key)
            # ``[]`` appends where arrays fit (or nothing is known); where only objects fit it is the key "".
            arrays = shape.items is not None
            index = (segment == "" and (arrays or shape.properties is None)) or (
                arrays and segment.isdecimal() and segment.isascii()
            )
            if current is _UNSET:
                current = _Array(segment == "") if index else {}
                _set(container, key, current)
            elif not isinstance(current, dict | _Array):
                raise self._conflict(where, "is given both as a value and with keys")
            if isinstance(current, dict):
                if index:
                    raise self._conflict(where, "mixes keys and [] items")
                container, key, shape = current, segment, shape.child(segment)
                continue
            if not index or (segment == "") != current.appended:
                raise self._conflict(where, "mixes keys, [] items and [n] indexes")
            if segment == "":
                if i != len(segments) - 1:
                    raise self._conflict(where, "puts keys under []: index the items instead (x[0][key])")
                key = len(current.items)
            elif len(segment) > _MAX_INDEX_DIGITS:
                raise self._conflict(where, f"has an index of more than {_MAX_INDEX_DIGITS} digits")
            else:
                key = int(segment)
            container, shape = current.items, shape.items or ANY
        if _get(container, key) is not _UNSET:
            raise self._conflict(where, "is given more than once")
        _set(
            container, key, _empty(shape) if text == "" and not shape.scalars else scalar(shape, text, where, self.noun)
        )

    def value(self) -> Any:
        """The assembled value (arrays as lists); BadRequest for indexes with gaps."""
        return self._finish(self._root["value"], self.name)

    def _finish(self, node: Any, where: str) -> Any:
        if isinstance(node, dict):
            return {key: self._finish(child, f"{where}[{key}]") for key, child in node.items()}
        if isinstance(node, _Array):
            if sorted(node.items) != list(range(len(node.items))):
                raise self._conflict(where, "has indexes that do not run 0, 1, 2... without gaps")
            return [self._finish(node.items[i], f"{where}[{i}]") for i in range(len(node.items))]
        return node

    def _conflict(self, where: str, what: str) -> BadRequest:
        return BadRequest(f"The {self.noun} '{_cut(where)}' {what}.", target=self.name)


def _get(container: Any, key: Any) -> Any:
    return container.get(key, _UNSET)


def _set(container: Any, key: Any, value: Any) -> None:
    container[key] = value


def _cut(text: str) -> str:
    return text if len(text) <= 200 else text[:197] + "..."
