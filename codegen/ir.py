"""The intermediate model: everything a target prints, computed once, resolved and sorted.

Templates see only these frozen objects. Identifiers here passed ``codegen.naming``; every value that
comes from the spec (names on the wire, schemas, descriptions) is data, printed with the ``py`` filter as
a Python literal, never pasted as source.
"""

from __future__ import annotations

from dataclasses import dataclass
from keyword import iskeyword
from typing import Any, Literal

from codegen.naming import IDENTIFIER

Location = Literal["path", "query", "header", "cookie"]
#: How a parameter's text is turned into a value before validation.
Coercion = Literal["string", "integer", "number", "boolean", "json"]
BodyKind = Literal["json", "text", "binary", "form"]


@dataclass(frozen=True)
class Field:
    """One key of a TypedDict: its name on the wire, its annotation, whether it must be present."""

    wire_name: str
    annotation: str
    required: bool
    description: str


@dataclass(frozen=True)
class TypedDictModel:
    name: str
    description: str
    fields: tuple[Field, ...]

    @property
    def class_syntax(self) -> bool:
        """Class syntax reads better, but only keys that are safe identifiers can be class attributes."""
        return all(IDENTIFIER.match(f.wire_name) and not iskeyword(f.wire_name) for f in self.fields)


@dataclass(frozen=True)
class LiteralAlias:
    name: str
    description: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Parameter:
    wire_name: str
    py_name: str
    location: Location
    required: bool
    annotation: str
    coercion: Coercion
    #: For arrays: values arrive as repeated keys (explode) or comma-separated (not exploded).
    is_array: bool
    explode: bool
    schema: Any
    default: Any
    has_default: bool
    description: str


@dataclass(frozen=True)
class Body:
    required: bool
    kind: BodyKind
    media_types: tuple[str, ...]
    annotation: str
    schema: Any
    #: For form bodies: how each property's text is coerced.
    form_fields: tuple[tuple[str, Coercion, bool], ...] = ()


@dataclass(frozen=True)
class Response:
    status: str
    description: str
    media_type: str | None
    kind: BodyKind | None
    schema: Any
    #: The Python type of the body a handler returns for this status.
    annotation: str


@dataclass(frozen=True)
class SecurityScheme:
    name: str
    type: str
    scheme: str
    location: str
    parameter_name: str


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method_name: str
    http_method: str
    path: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    body: Body | None
    responses: tuple[Response, ...]
    success_status: int
    success: Response | None
    returns: str
    #: Alternatives; each maps scheme names to the scopes it needs. Empty: no authentication.
    security: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]
    #: Query names that carry API keys (apiKey schemes ``in: query``): allowed beside the parameters.
    credential_query_names: tuple[str, ...]
    pointer: str

    @property
    def path_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "path")


@dataclass(frozen=True)
class RouteNode:
    """One path segment of the router: literal children, one parameter child, operations ending here."""

    literals: tuple[tuple[str, RouteNode], ...]
    parameter: RouteNode | None
    #: (HTTP method, operation method_name, path parameter py_names in order)
    endpoints: tuple[tuple[str, str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    package: str
    spec_name: str
    description: str
    models: tuple[TypedDictModel, ...]
    aliases: tuple[LiteralAlias, ...]
    operations: tuple[Operation, ...]
    router: RouteNode
    security_schemes: tuple[SecurityScheme, ...]
    base_path: str
    openapi_json: str

    @property
    def bearer_schemes(self) -> tuple[str, ...]:
        """Schemes whose credential is an ``Authorization: Bearer`` token."""
        return tuple(
            s.name for s in self.security_schemes if s.type in ("oauth2", "openIdConnect") or s.scheme == "bearer"
        )
