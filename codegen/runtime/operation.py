# Runtime of every generated server: copied verbatim by codegen.server (line 1 becomes the @generated header).
"""What the runtime knows about one operation of the spec: the descriptions ``operations.py`` is made of."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .security import Security
from .validation import Validator

Location = Literal["path", "query", "header", "cookie"]
#: How a parameter's (or form field's) text is turned into a value before validation.
Coercion = Literal["string", "integer", "number", "boolean", "json"]
BodyKind = Literal["json", "text", "binary", "form"]


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


@dataclass(frozen=True, slots=True)
class FormField:
    """A property of a form body: how its text becomes a value (the whole form is validated afterwards)."""

    name: str
    coercion: Coercion
    is_array: bool = False


@dataclass(frozen=True, slots=True)
class RequestBody:
    required: bool
    kind: BodyKind
    media_types: tuple[str, ...]
    #: None: not validated (binary bodies).
    validator: Validator | None
    form_fields: tuple[FormField, ...] = ()


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

    def response(self, status: int) -> Response | None:
        """The response documented for ``status``: exact, then its range (``4XX``), then ``default``."""
        code = str(status)
        return self.responses.get(code) or self.responses.get(code[0] + "XX") or self.responses.get("default")
