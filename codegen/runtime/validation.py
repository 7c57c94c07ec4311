# Runtime of every generated server: copied verbatim by codegen.server (line 1 becomes the @generated header).
"""JSON Schema validation (jsonschema-rs, Draft 2020-12, formats asserted) and its errors as OData details.

Each detail names the property (or parameter), the bad value and what was expected, so that a partner can
fix the request from the message alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final, Protocol

import orjson
from jsonschema_rs import Draft202012, Draft202012Validator, Registry

from .errors import MAX_DETAILS, BadRequest, Detail, cut

#: Floats turned into ints are exact only up to here: past it, a float may already be a rounded integer
#: (orjson reads integers beyond 64 bits as floats), and turning it into an int would hide that.
_EXACT: Final = 2**53
#: The types of JSON values that ``prepared`` leaves as they are.
_LEAVES: Final = frozenset({str, int, bool, type(None)})
#: The one document, in a ``Schemas`` registry, that holds every schema of an API under ``$defs``.
_DEFINITIONS: Final = "urn:codegen:schemas"
_DRAFT: Final = "https://json-schema.org/draft/2020-12/schema"


class Validator(Protocol):
    def is_valid(self, instance: Any) -> bool: ...

    def iter_errors(self, instance: Any) -> Iterable[Any]: ...


def prepared(value: Any, max_depth: int, what: str = "The request body") -> Any:
    """``value`` checked for depth and with every integral float (``1.0``, a valid JSON Schema integer) that
    is exact (at most 2**53) turned into an int, in place: handlers and responses see ``1`` as the spec means it.
    BadRequest when it is nested deeper than ``max_depth``, before a validator recurses into it.

    ``value`` comes from orjson, so exact type checks suffice (they cost less than ``isinstance``)."""
    kind = type(value)
    if kind is float:
        return int(value) if value.is_integer() and -_EXACT <= value <= _EXACT else value
    if kind is not dict and kind is not list:
        return value
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        container, depth = stack.pop()
        if depth > max_depth:
            raise BadRequest(f"{what} is nested deeper than {max_depth} levels.")
        is_dict = type(container) is dict
        if _LEAVES.issuperset(map(type, container.values() if is_dict else container)):
            continue  # no float to turn into an int and nothing to go into: the common case, checked in C
        for key, item in container.items() if is_dict else enumerate(container):
            kind = type(item)
            if kind is float:
                if item.is_integer() and -_EXACT <= item <= _EXACT:
                    container[key] = int(item)
            elif kind is dict or kind is list:
                stack.append((item, depth + 1))
    return value


def compile_schema(schema_json: str) -> Validator:
    """A validator for one complete schema given as JSON text, compiled now."""
    validator: Validator = Draft202012Validator(orjson.loads(schema_json), validate_formats=True)
    return validator


class Schemas:
    """Every schema of one API, each added once by name; they reference each other as ``#/$defs/<name>``.

    A component that many operations use is written, parsed and registered once. Each validator compiles
    when a request first needs it: jsonschema-rs compiles a schema together with everything it references,
    so compiling every validator of a large, tightly linked API at import would take seconds and hundreds of
    megabytes. The generator has compiled each schema once already: none fails here."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}
        self._registry: Any = None

    def add(self, name: str, schema_json: str) -> LazyValidator:
        """The validator for the schema ``name`` (JSON text), compiled on first use."""
        self._texts[name] = schema_json
        self._registry = None
        return LazyValidator(self, name)

    def same(self, name: str, validator: LazyValidator) -> LazyValidator:
        """``validator`` under a second name as well (the generator found their schemas identical)."""
        self.add(name, orjson.dumps({"$ref": f"#/$defs/{validator.name}"}).decode())  # what references it need
        return validator

    def compile(self, name: str) -> Validator:
        """A validator for the schema ``name``, sharing the registry of every schema added so far."""
        if self._registry is None:
            definitions = {other: orjson.loads(text) for other, text in self._texts.items()}
            document = {"$schema": _DRAFT, "$defs": definitions}
            self._registry = Registry([(_DEFINITIONS, document)], draft=Draft202012)
        ref = {"$ref": f"{_DEFINITIONS}#/$defs/{name}"}
        validator: Validator = Draft202012Validator(ref, registry=self._registry, validate_formats=True)
        return validator


class LazyValidator:
    """A validator compiled on first use (see ``Schemas``); then it only forwards."""

    __slots__ = ("_compiled", "_name", "_schemas")

    def __init__(self, schemas: Schemas, name: str) -> None:
        self._schemas = schemas
        self._name = name
        self._compiled: Validator | None = None

    @property
    def name(self) -> str:
        return self._name

    def compiled(self) -> Validator:
        if self._compiled is None:
            self._compiled = self._schemas.compile(self._name)
        return self._compiled

    def is_valid(self, instance: Any) -> bool:
        compiled = self._compiled if self._compiled is not None else self.compiled()
        return compiled.is_valid(instance)

    def iter_errors(self, instance: Any) -> Iterable[Any]:
        compiled = self._compiled if self._compiled is not None else self.compiled()
        return compiled.iter_errors(instance)

    def __repr__(self) -> str:
        return f"<validator {self._name}>"


def violations(
    validator: Validator,
    instance: Any,
    root: str | None = None,
    noun: str = "property",
    read_only: frozenset[str] = frozenset(),
) -> list[Detail]:
    """(code, message, target) for each way ``instance`` breaks its schema: messages name the property
    (or parameter), the bad value and what was expected. One entry per place: a value that breaks two keywords
    (``null`` for an enum of strings breaks ``type`` and ``enum``) is one problem, told by the message that
    says the most (the allowed values). A top-level property in ``read_only`` exists on the resource, so its
    message says it cannot be changed rather than that it does not exist."""
    by_place: dict[Any, Detail] = {}
    for error in validator.iter_errors(instance):
        for detail in _describe(error, root, noun, read_only):  # one error may describe many keys (unknown properties)
            place = detail[2] if detail[2] is not None else detail[1]
            known = by_place.get(place)
            if known is None or (detail[0] == "InvalidValue" and known[0] == "InvalidType"):
                by_place[place] = detail
        if len(by_place) >= MAX_DETAILS:
            break
    return list(by_place.values())[:MAX_DETAILS] or [("InvalidValue", "The value is invalid.", root)]


def _describe(error: Any, root: str | None, noun: str, read_only: frozenset[str] = frozenset()) -> list[Detail]:
    path = list(error.instance_path)
    target = _target(root, path)
    kind = error.kind
    name = type(kind).__name__
    shown = show(error.instance)
    subject = f"{noun} '{target}'" if target else "the request body"
    if name == "AdditionalProperties":
        return [_unexpected(root, path, extra, not path and extra in read_only) for extra in kind.unexpected]
    if name == "Required":
        missing = _target(root, [*path, kind.property])
        return [("MissingProperty", f"The property '{missing}' is required.", missing)]
    if name == "Enum":
        allowed = _allowed(kind.options)
        return [("InvalidValue", f"Invalid value {shown} for {subject}: expected one of {allowed}.", target)]
    if name == "Constant":
        return [("InvalidValue", f"Invalid value {shown} for {subject}: expected {show(kind.expected_value)}.", target)]
    if name == "Type":
        expected = " or ".join(str(t) for t in kind.types)
        return [("InvalidType", f"Invalid value {shown} for {subject}: expected {expected}.", target)]
    if name == "Format":
        return [("InvalidValue", f"Invalid value {shown} for {subject}: expected a {kind.format} value.", target)]
    if name in ("Minimum", "Maximum", "ExclusiveMinimum", "ExclusiveMaximum"):
        relation = {"Minimum": ">=", "Maximum": "<=", "ExclusiveMinimum": ">", "ExclusiveMaximum": "<"}[name]
        return [("OutOfRange", f"Invalid value {shown} for {subject}: must be {relation} {kind.limit}.", target)]
    return [("InvalidValue", f"Invalid value {shown} for {subject}: {cut(error.message, 200)}.", target)]


def _unexpected(root: str | None, path: list[Any], extra: str, read_only: bool) -> Detail:
    where, target = _target(None, [*path, extra]), _target(root, [*path, extra])
    if read_only:
        return ("ReadOnlyProperty", f"The property '{where}' cannot be changed: it is read-only here.", target)
    return ("UnknownProperty", f"The property '{where}' does not exist on this type. "
            "Only use property names that are defined by the type.", target)  # fmt: skip


_ALLOWED: dict[tuple[Any, ...], str] = {}


def _allowed(options: list[Any]) -> str:
    """The allowed values of an enum as text, cached: the same few enums are violated again and again."""
    try:
        key = tuple(options)
        found = _ALLOWED.get(key)
    except TypeError:  # unhashable options (objects, arrays): no cache
        return ", ".join(show(option) for option in options)
    if found is None:
        found = ", ".join(show(option) for option in options)
        if len(_ALLOWED) < 1024:
            _ALLOWED[key] = found
    return found


def _target(root: str | None, path: list[Any]) -> str | None:
    text = root or ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or None


def show(value: Any, limit: int = 120) -> str:
    """A value as a message quotes it: strings in single quotes, anything else as JSON, cut at ``limit``."""
    if isinstance(value, str):
        text = "'" + value + "'"
    else:
        try:
            text = orjson.dumps(value).decode()
        except TypeError:
            text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
