"""What every part of the build shares: the document, the type builder, the embedded schemas, the problems."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from codegen import naming
from codegen.errors import Problem, SpecError
from codegen.ir import EmbeddedSchema, SecurityScheme
from codegen.pointer import Pointer, resolve
from codegen.pytypes import TypeBuilder
from codegen.spec import Spec, refs
from codegen.spec.embed import Embedding
from codegen.spec.walk import OperationSite

#: Names the generated handlers module defines itself: no model may take them.
RESERVED_TYPE_NAMES = frozenset(
    {"Handlers", "RequestContext", "Reply", "HttpError", "Principal", "Authenticator", "create_app"}
)
#: Names the generated operations module defines besides operations and schemas.
RESERVED_CONSTANTS = frozenset({"OPERATIONS", "UNSERVED", "BEARER_SCHEMES", "SCHEMAS"})
_MAX_REF_CHAIN = 64


class Builder:
    """Collects the IR's shared parts while each spec concept is built; problems are raised together."""

    def __init__(self, spec: Spec, unserved: Mapping[Pointer, str] | None = None) -> None:
        self.spec = spec
        self.document = spec.document
        self.types = TypeBuilder(self.document, naming.Scope(RESERVED_TYPE_NAMES))
        #: Module-level names in the generated operations module: operations and embedded schemas.
        self.constants = naming.Scope(RESERVED_CONSTANTS)
        self.schemes: dict[str, SecurityScheme] = {}
        self.embedding = Embedding(self.document, self.constants)
        self._problems: list[Problem] = []
        #: Operations (by pointer) to build as unserved, with why: routed and answered 501, nothing else read.
        self.unserved: dict[Pointer, str] = dict(unserved or {})
        #: Problems that concern one operation alone, by its pointer, each with the part it is in.
        self.local_problems: dict[Pointer, list[tuple[Problem, str]]] = {}
        self._part: tuple[Pointer, str] | None = None

    def problem(self, where: Pointer, message: str) -> None:
        problem = self.spec.source.problem(tuple(where), message)
        if self._part is None:
            self._problems.append(problem)
        else:
            site, part = self._part
            self.local_problems.setdefault(site, []).append((problem, part))

    @contextmanager
    def part_of(self, site: OperationSite, part: str) -> Iterator[None]:
        """Problems found inside concern only this operation (``part`` of it, such as ``parameter 'q'``), so
        the operation can be left out (answered 501) rather than the whole document refused."""
        outer, self._part = self._part, (site.pointer, part)
        try:
            yield
        finally:
            self._part = outer

    def refuse_local_problems(self) -> None:
        """Make every operation's own problems refusals too (``strict``): ``raise_problems`` then lists them."""
        self._problems += [problem for found in self.local_problems.values() for problem, _ in found]
        self.local_problems.clear()

    def raise_problems(self) -> None:
        for path, message in self.embedding.problems:  # found while the schemas used so far were defined
            self.problem(path, message)
        self.embedding.problems.clear()
        if self._problems:
            ordered = sorted(self._problems, key=lambda p: (p.line or 0, p.pointer))
            raise SpecError(ordered, "the server target does not support what the spec uses")

    @property
    def schemas(self) -> tuple[EmbeddedSchema, ...]:
        """Every embedded schema, each once: in order of first use, then what they reference."""
        same = self.embedding.duplicates()
        return tuple(EmbeddedSchema(n, v, same.get(n, "")) for n, v in self.embedding.definitions.items())

    def embed(self, where: Pointer, name: str) -> EmbeddedSchema:
        """The embedded schema for the schema written at ``where``, defined once per place in the spec.

        A bare reference to a component schema shares that component's validator and takes its name;
        anything else is named ``name`` (what it validates: ``CREATE_ITEM_BODY``, ``TOP_PARAMETER``...).
        Its value references other schemas by name (``#/$defs/<name>``): they are defined by ``embed_all``."""
        home = self._home(where)
        return EmbeddedSchema(*self.embedding.define(home, component_name(home, "schemas") or name))

    def unvalidated(self, where: Pointer) -> EmbeddedSchema:
        """A schema the server does not validate (binary bodies): unnamed, not compiled, still checked."""
        return EmbeddedSchema("", self.embedding.unvalidated(where))

    def embed_all(self) -> None:
        """Define every schema the embedded ones reference, each once, and check that each compiles; then
        raise every problem found so far, those in the schemas included, so that one run lists them all.
        Each schema is defined and compiled once, so this costs time linear in the spec even when it refuses."""
        self.embedding.close()
        for path, message in self.embedding.compile_problems():
            self.problem(path, message)
        self.raise_problems()

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
