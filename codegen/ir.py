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
BodyKind = Literal["json", "text", "binary", "form", "multipart"]
#: How a form field (or multipart part) arrives: coerced text, JSON text, deepObject keys, a file.
Reading = Literal["text", "json", "deep", "file"]
#: How a query parameter's value arrives: one key (``plain``), ``name[key]`` (``deep``), its properties as keys
#: (``spread``: form, exploded) or ``name=k,v,...`` (``pairs``: form, not exploded).
ParameterStyle = Literal["plain", "deep", "spread", "pairs"]


@dataclass(frozen=True)
class Shape:
    """What a schema allows at one place of a value that arrives as text: scalar coercions (most specific
    first), arrays (their items), objects (their properties, and other keys). The runtime's ``Shape``."""

    scalars: tuple[Coercion, ...] = ("string",)
    items: Shape | None = None
    properties: tuple[tuple[str, Shape], ...] | None = None
    additional: Shape | None = None

    def child(self, key: str) -> Shape | None:
        return dict(self.properties or ()).get(key)


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
    #: The alias's type expression, such as ``Literal['a', 'b'] | None``.
    annotation: str


@dataclass(frozen=True)
class EmbeddedSchema:
    """A schema the server compiles once: ``name`` says what it validates (a component, an operation's body...).

    ``value`` references other embedded schemas as ``#/$defs/<name>``."""

    name: str
    value: Any
    #: The name of an earlier schema with the same value, which this one shares; else "".
    same_as: str = ""


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
    #: The name of the embedded schema that validates it.
    validator: str
    default: Any
    has_default: bool
    description: str
    style: ParameterStyle = "plain"
    shape: Shape | None = None


@dataclass(frozen=True)
class FormField:
    """A property of a form or multipart body: how it arrives, how its text becomes a value."""

    name: str
    reading: Reading
    shape: Shape
    #: Repeated keys (or parts) are an array's items.
    is_array: bool = False


@dataclass(frozen=True)
class Body:
    required: bool
    kind: BodyKind
    media_types: tuple[str, ...]
    annotation: str
    schema: Any
    #: The embedded schema that validates it; None for bodies that are not validated (binary).
    validator: str | None
    form_fields: tuple[FormField, ...] = ()
    #: The same body in other kinds of media (JSON and form...), each with its own schema.
    alternatives: tuple[Body, ...] = ()
    #: Top-level properties the success response has and this (closed) body does not accept: read-only here.
    read_only: tuple[str, ...] = ()


@dataclass(frozen=True)
class Response:
    status: str
    description: str
    media_type: str | None
    kind: BodyKind | None
    schema: Any
    #: The embedded schema that checks it (JSON and text bodies with a schema), else None.
    validator: str | None
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
    #: The name of the operation's description in the generated ``operations`` module.
    constant: str
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

    @property
    def query_names(self) -> frozenset[str]:
        """Every query name the operation accepts: its query parameters and query API keys."""
        query = frozenset(p.wire_name for p in self.parameters if p.location == "query")
        return query | frozenset(self.credential_query_names)

    @property
    def docstring(self) -> str:
        """The handler's documentation: summary, description, then where the spec defines it."""
        lines = [self.summary or self.operation_id]
        if self.description and self.description != self.summary:
            lines += ["", self.description]
        lines += ["", f"{self.http_method} {self.path}", f"operationId: {self.operation_id}"]
        return "\n".join(lines)


@dataclass(frozen=True)
class UnservedOperation:
    """An operation the server target leaves out (not strict): routed, and answered 501 saying ``reason``."""

    operation_id: str
    #: The handler method it would have: its key in the generated ``UNSERVED``.
    method_name: str
    http_method: str
    path: str
    reason: str

    @property
    def route(self) -> str:
        return f"{self.http_method} {self.path}"


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    package: str
    spec_name: str
    description: str
    models: tuple[TypedDictModel, ...]
    aliases: tuple[LiteralAlias, ...]
    #: The operations the server serves, each through a handler method.
    operations: tuple[Operation, ...]
    #: Every schema the server embeds, in order of first use.
    schemas: tuple[EmbeddedSchema, ...]
    security_schemes: tuple[SecurityScheme, ...]
    base_path: str
    openapi_json: str
    #: The operations it leaves out, answered 501 (sorted by path and method).
    unserved: tuple[UnservedOperation, ...] = ()

    @property
    def bearer_schemes(self) -> tuple[str, ...]:
        """Schemes whose credential is an ``Authorization: Bearer`` token."""
        return tuple(
            s.name for s in self.security_schemes if s.type in ("oauth2", "openIdConnect") or s.scheme == "bearer"
        )

    @property
    def uses_shapes(self) -> bool:
        """Whether some parameter or form field is read by a ``Shape``: the operations module then imports it."""
        bodies = [b for op in self.operations if op.body for b in (op.body, *op.body.alternatives)]
        return any(p.shape for op in self.operations for p in op.parameters) or any(b.form_fields for b in bodies)

    @property
    def uses_files(self) -> bool:
        """Whether a multipart body has file parts: the models module then imports ``UploadedFile``."""
        return any("UploadedFile" in f.annotation for m in self.models for f in m.fields)

    @property
    def type_names(self) -> list[str]:
        """Every model and alias name, sorted: what the handlers module imports."""
        return sorted([a.name for a in self.aliases] + [m.name for m in self.models])
