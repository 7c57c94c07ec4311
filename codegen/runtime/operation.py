# Runtime of every generated server: copied verbatim by codegen.server (line 1 becomes the @generated header).
"""What the runtime knows about one operation of the spec: the descriptions ``operations.py`` is made of."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from .security import Security
from .validation import Validator

Location = Literal["path", "query", "header", "cookie"]
#: How a parameter's (or form field's) text is turned into a value before validation.
Coercion = Literal["string", "integer", "number", "boolean", "json"]
BodyKind = Literal["json", "text", "binary", "form", "multipart"]
#: How a form field (or multipart part) arrives: coerced text, JSON text, deepObject keys (``a[b]=c``), a file.
Reading = Literal["text", "json", "deep", "file"]


@dataclass(frozen=True, slots=True)
class Parameter:
    """A declared parameter: where it arrives, how its text becomes a value, and the schema it must meet."""

    wire_name: str
    py_name: str
    location: Location
    required: bool
    coercion: Coercion
    validator: Validator
    #: Arrays arrive as repeated query keys (``explode``) or comma-separated.
    is_array: bool = False
    explode: bool = False
    default: Any = None
    has_default: bool = False
    #: Objects: ``deep`` (``name[key]=v``), ``spread`` (form, exploded: ``key=v``), ``pairs`` (``name=k,v,...``).
    style: Literal["plain", "deep", "spread", "pairs"] = "plain"
    #: How the texts of an object-valued (or deepObject) parameter become values.
    shape: Shape | None = None


@dataclass(frozen=True, slots=True)
class Shape:
    """How text at one place of a deepObject value (``a[b][0]``) becomes a value: what the schema allows there.

    ``scalars`` are the coercions tried on text, most specific first (empty: no scalar fits, the text stays a
    string for validation to reject); ``items``: arrays fit here (``[0]``/``[]`` are indexes); ``properties``
    and ``additional``: objects fit here (None: no object does)."""

    scalars: tuple[Coercion, ...] = ("string",)
    items: Shape | None = None
    properties: Mapping[str, Shape] | None = None
    additional: Shape | None = None

    def child(self, key: str) -> Shape:
        """The shape of the value under ``key`` (anything when the schema says nothing of it)."""
        if self.properties is not None and key in self.properties:
            return self.properties[key]
        return self.additional or ANY


#: A place the schema does not describe: text stays text, brackets make objects (``[]`` arrays).
ANY: Final = Shape()


@dataclass(frozen=True, slots=True)
class FormField:
    """A property of a form or multipart body: how it arrives and how its text becomes a value (the whole body
    is validated afterwards). ``shape`` says how text becomes a value (its ``items`` for repeated keys)."""

    name: str
    reading: Reading = "text"
    shape: Shape = field(default_factory=Shape)
    #: Repeated keys (or parts) are an array's items.
    is_array: bool = False


@dataclass(frozen=True, slots=True)
class RequestBody:
    required: bool
    kind: BodyKind
    media_types: tuple[str, ...]
    #: None: not validated (binary bodies).
    validator: Validator | None
    form_fields: tuple[FormField, ...] = ()
    #: The same body in other kinds of media (JSON and form...): each read and validated on its own terms.
    alternatives: tuple[RequestBody, ...] = ()
    #: Properties the resource has but this body may not send (an update's ``id``): their error says so.
    read_only: frozenset[str] = frozenset()

    def for_media(self, media: str) -> RequestBody | None:
        """The body description for a media type it accepts (exactly, or by a range: ``image/*``, ``*/*``),
        else None."""
        for body in (self, *self.alternatives):
            if media in body.media_types or "*/*" in body.media_types:
                return body
        family = media.split("/", 1)[0] + "/*"
        for body in (self, *self.alternatives):
            if family in body.media_types:
                return body
        return None

    @property
    def all_media_types(self) -> tuple[str, ...]:
        return tuple(m for body in (self, *self.alternatives) for m in body.media_types)


@dataclass(frozen=True, slots=True)
class Response:
    """A documented response: its media type, the kind of body, and its validator (None: unchecked)."""

    media_type: str | None
    kind: BodyKind | None
    validator: Validator | None = None


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    method_name: str
    http_method: str
    #: The spec's path template, such as ``/items/{itemId}``: the router is compiled from it.
    path: str
    parameters: tuple[Parameter, ...]
    #: Query names the operation accepts: its query parameters and API keys sent in the query.
    query_names: frozenset[str]
    body: RequestBody | None
    success_status: int
    security: Security
    #: By status as the spec writes it: "201", "4XX", "default".
    responses: Mapping[str, Response]
    #: Worked out once from the fields above, for the request path: query parameters put together from several
    #: keys (deepObject, form objects), the response of ``success_status``, whether any parameter is a cookie.
    query_objects: tuple[Parameter, ...] = field(init=False, repr=False, compare=False)
    success: Response | None = field(init=False, repr=False, compare=False)
    reads_cookies: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        objects = tuple(p for p in self.parameters if p.location == "query" and p.style != "plain")
        object.__setattr__(self, "query_objects", objects)
        object.__setattr__(self, "reads_cookies", any(p.location == "cookie" for p in self.parameters))
        object.__setattr__(self, "success", self._documented(self.success_status))

    def response(self, status: int) -> Response | None:
        """The response documented for ``status``: exact, then its range (``4XX``), then ``default``."""
        return self.success if status == self.success_status else self._documented(status)

    def _documented(self, status: int) -> Response | None:
        code = str(status)
        return self.responses.get(code) or self.responses.get(code[0] + "XX") or self.responses.get("default")


@dataclass(frozen=True, slots=True)
class Unserved:
    """An operation of the spec this server leaves out: routed, and answered 501 Not Implemented with ``reason``
    (what the generator could not read faithfully) before anything else about the request is read."""

    operation_id: str
    http_method: str
    path: str
    reason: str

    @property
    def message(self) -> str:
        return f"This server does not implement {self.http_method} {self.path}: {self.reason}."
