"""What every part of the build shares: the document, the type builder, the embedded schemas, the problems."""

from __future__ import annotations

from typing import Any

from codegen import naming
from codegen.errors import Problem, SpecError
from codegen.ir import EmbeddedSchema, SecurityScheme
from codegen.pointer import Pointer, resolve
from codegen.pytypes import TypeBuilder
from codegen.spec import Spec, refs
from codegen.spec.embed import embedded_schema

#: Names the generated handlers module defines itself: no model may take them.
RESERVED_TYPE_NAMES = frozenset(
    {"Handlers", "RequestContext", "Reply", "HttpError", "Principal", "Authenticator", "create_app"}
)
#: Names the generated operations module defines besides operations and schemas.
RESERVED_CONSTANTS = frozenset({"OPERATIONS", "BEARER_SCHEMES"})
_MAX_REF_CHAIN = 64


class Builder:
    """Collects the IR's shared parts while each spec concept is built; problems are raised together."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.document = spec.document
        self.types = TypeBuilder(self.document, naming.Scope(RESERVED_TYPE_NAMES))
        #: Module-level names in the generated operations module: operations and embedded schemas.
        self.constants = naming.Scope(RESERVED_CONSTANTS)
        self.schemes: dict[str, SecurityScheme] = {}
        self._schemas: dict[Pointer, EmbeddedSchema] = {}
        self._problems: list[Problem] = []

    def problem(self, where: Pointer, message: str) -> None:
        self._problems.append(self.spec.source.problem(tuple(where), message))

    def raise_problems(self) -> None:
        if self._problems:
            ordered = sorted(self._problems, key=lambda p: (p.line or 0, p.pointer))
            raise SpecError(ordered, "the server target does not support what the spec uses")

    @property
    def schemas(self) -> tuple[EmbeddedSchema, ...]:
        """Every embedded schema, in order of first use."""
        return tuple(self._schemas.values())

    def embed(self, where: Pointer, name: str) -> EmbeddedSchema:
        """The embedded schema for the schema written at ``where``, compiled once per place in the spec.

        A bare reference to a component schema shares that component's validator and takes its name;
        anything else is named ``name`` (what it validates: ``CREATE_ITEM_BODY``, ``TOP_PARAMETER``...)."""
        home = self._home(where)
        found = self._schemas.get(home)
        if found is None:
            component = component_name(home, "schemas")
            found = self._schemas[home] = EmbeddedSchema(self.constants.claim(component or name), self._value(where))
        return found

    def unvalidated(self, where: Pointer) -> EmbeddedSchema:
        """A schema the server does not validate (binary bodies): unnamed, not compiled, still checked."""
        return EmbeddedSchema("", self._value(where))

    def _value(self, where: Pointer) -> Any:
        value, problems = embedded_schema(self.document, where)
        for path, message in problems:
            self.problem(path, message)
        return value

    def _home(self, where: Pointer) -> Pointer:
        """Where the schema at ``where`` is defined: bare ``$ref``s are followed, anything else stays put."""
        node, home = resolve(self.document, [str(t) for t in where]), where
        for _ in range(_MAX_REF_CHAIN):
            if not (isinstance(node, dict) and set(node) == {"$ref"} and isinstance(node["$ref"], str)):
                break
            home = refs.target_of(node["$ref"])
            node = resolve(self.document, home)
        return home

    def resolved(self, schema: Any) -> dict[str, Any]:
        """``schema`` with references followed; ``{}`` when it is not an object schema."""
        try:
            found = refs.deref(self.document, schema)
        except (ValueError, LookupError):
            return {}
        return found if isinstance(found, dict) else {}


def component_name(where: Pointer, kind: str) -> str | None:
    """``X`` as a constant's name when ``where`` is ``#/components/<kind>/X``, else None."""
    return naming.constant(str(where[2])) if len(where) == 3 and where[:2] == ("components", kind) else None


def primary_type(schema: dict[str, Any]) -> str:
    """The one JSON type a schema stands for (``null`` aside), or ``any``."""
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        return kinds[0] if len(kinds) == 1 else "any"
    if isinstance(kind, str):
        return kind
    if "enum" in schema and schema["enum"] and all(isinstance(v, str) for v in schema["enum"]):
        return "string"
    return "any"
