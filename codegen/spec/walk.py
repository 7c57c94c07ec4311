"""Find every schema, reference and sample value in an OpenAPI document, knowing which keys hold data.

A generic search for ``$ref`` keys would also find them inside example values (which are data) and miss the
difference between a property *named* ``example`` and an ``example`` keyword. This walker follows the
OpenAPI 3.0/3.1 object model instead, so each finding has the JSON pointer where it is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from codegen.pointer import Pointer

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

_SUBSCHEMA = (
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
    "contentSchema",
)
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")

SampleKind = Literal["example", "examples", "default", "enum", "const"]
_SINGLE_SAMPLES: tuple[SampleKind, ...] = ("default", "const", "example")
_LIST_SAMPLES: tuple[SampleKind, ...] = ("enum", "examples")


@dataclass(frozen=True)
class Sample:
    """A value written in the spec that must be valid for the schema at ``schema``."""

    kind: SampleKind
    value: Pointer
    schema: Pointer
    #: ``value`` names a reference to an Example object, whose ``value`` is the sample.
    in_example_object: bool = False


@dataclass
class Findings:
    refs: list[tuple[Pointer, str]] = field(default_factory=list)
    schemas: list[Pointer] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)


@dataclass(frozen=True)
class OperationSite:
    """One operation where the document writes it: ``pointer`` is ``("paths", path, method)``."""

    path: str
    method: str
    item: dict[str, Any]
    operation: dict[str, Any]

    @property
    def pointer(self) -> Pointer:
        return ("paths", self.path, self.method)


def operations(document: dict[str, Any]) -> Iterator[OperationSite]:
    """Every operation under ``paths``, in document order (methods in ``HTTP_METHODS`` order)."""
    paths = document.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else ():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                yield OperationSite(path, method, item, item[method])


def security_of(document: dict[str, Any], operation: dict[str, Any]) -> list[dict[str, list[str]]]:
    """The security requirements in force for an operation: its own, else the document's."""
    requirements = operation.get("security", document.get("security", []))
    return requirements if isinstance(requirements, list) else []


def walk(document: dict[str, Any]) -> Findings:
    found = Findings()
    _Walker(found).document(document)
    return found


class _Walker:
    def __init__(self, found: Findings) -> None:
        self.found = found

    def _ref(self, node: Any, path: Pointer) -> bool:
        """Record a reference object; True when ``node`` is one (and so has nothing else to walk)."""
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            self.found.refs.append(((*path, "$ref"), node["$ref"]))
            return True
        return False

    def _each(self, node: Any, path: Pointer, visit: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                visit(value, (*path, key))

    def document(self, doc: dict[str, Any]) -> None:
        self._each(doc.get("paths"), ("paths",), self.path_item)
        self._each(doc.get("webhooks"), ("webhooks",), self.path_item)
        components = doc.get("components")
        if not isinstance(components, dict):
            return
        base: Pointer = ("components",)
        self._each(components.get("schemas"), (*base, "schemas"), self.schema)
        self._each(components.get("responses"), (*base, "responses"), self.response)
        self._each(components.get("parameters"), (*base, "parameters"), self.parameter)
        self._each(components.get("examples"), (*base, "examples"), self._ref)
        self._each(components.get("requestBodies"), (*base, "requestBodies"), self.request_body)
        self._each(components.get("headers"), (*base, "headers"), self.parameter)
        self._each(components.get("links"), (*base, "links"), self._ref)
        self._each(components.get("callbacks"), (*base, "callbacks"), self.callback)
        self._each(components.get("pathItems"), (*base, "pathItems"), self.path_item)
        self._each(components.get("securitySchemes"), (*base, "securitySchemes"), self._ref)

    def path_item(self, item: Any, path: Pointer) -> None:
        if not isinstance(item, dict):
            return
        self._ref(item, path)  # a path item may have $ref *and* siblings
        self._parameters(item.get("parameters"), (*path, "parameters"))
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                self.operation(item[method], (*path, method))

    def operation(self, op: dict[str, Any], path: Pointer) -> None:
        self._parameters(op.get("parameters"), (*path, "parameters"))
        if "requestBody" in op:
            self.request_body(op["requestBody"], (*path, "requestBody"))
        self._each(op.get("responses"), (*path, "responses"), self.response)
        self._each(op.get("callbacks"), (*path, "callbacks"), self.callback)

    def callback(self, callback: Any, path: Pointer) -> None:
        if not self._ref(callback, path):
            self._each(callback, path, self.path_item)

    def _parameters(self, params: Any, path: Pointer) -> None:
        if isinstance(params, list):
            for i, param in enumerate(params):
                self.parameter(param, (*path, i))

    def parameter(self, param: Any, path: Pointer) -> None:
        """Parameters and headers share shape: schema or content, plus examples."""
        if self._ref(param, path) or not isinstance(param, dict):
            return
        if "schema" in param:
            self.schema(param["schema"], (*path, "schema"))
            self._examples(param, path, (*path, "schema"))
        self._each(param.get("content"), (*path, "content"), self.media_type)

    def request_body(self, body: Any, path: Pointer) -> None:
        if not self._ref(body, path) and isinstance(body, dict):
            self._each(body.get("content"), (*path, "content"), self.media_type)

    def response(self, response: Any, path: Pointer) -> None:
        if self._ref(response, path) or not isinstance(response, dict):
            return
        self._each(response.get("headers"), (*path, "headers"), self.parameter)
        self._each(response.get("content"), (*path, "content"), self.media_type)
        self._each(response.get("links"), (*path, "links"), self._ref)

    def media_type(self, media: Any, path: Pointer) -> None:
        if not isinstance(media, dict):
            return
        if "schema" in media:
            self.schema(media["schema"], (*path, "schema"))
            self._examples(media, path, (*path, "schema"))
        encodings = media.get("encoding")
        if isinstance(encodings, dict):
            for name, encoding in encodings.items():
                if isinstance(encoding, dict):
                    self._each(encoding.get("headers"), (*path, "encoding", name, "headers"), self.parameter)

    def _examples(self, holder: dict[str, Any], path: Pointer, schema: Pointer) -> None:
        """``example`` and the ``examples`` map of a parameter, header or media type."""
        if "example" in holder:
            self.found.samples.append(Sample("example", (*path, "example"), schema))
        examples = holder.get("examples")
        if isinstance(examples, dict):
            for name, example in examples.items():
                where = (*path, "examples", name)
                if self._ref(example, where):
                    self.found.samples.append(Sample("example", where, schema, in_example_object=True))
                elif isinstance(example, dict) and "value" in example:
                    self.found.samples.append(Sample("example", (*where, "value"), schema))

    def schema(self, schema: Any, path: Pointer) -> None:
        if not isinstance(schema, dict):
            return  # boolean schemas hold nothing
        self.found.schemas.append(path)
        if isinstance(schema.get("$ref"), str):
            self.found.refs.append(((*path, "$ref"), schema["$ref"]))
        for kind in _SINGLE_SAMPLES:
            if kind in schema:
                self.found.samples.append(Sample(kind, (*path, kind), path))
        for kind in _LIST_SAMPLES:
            if isinstance(schema.get(kind), list):
                for i in range(len(schema[kind])):
                    self.found.samples.append(Sample(kind, (*path, kind, i), path))
        for sub_path, sub in subschemas(schema, path):
            self.schema(sub, sub_path)


def subschemas(schema: dict[str, Any], path: Pointer) -> list[tuple[Pointer, Any]]:
    """The schemas directly inside ``schema`` (under properties, items, allOf, ...), with their paths."""
    found: list[tuple[Pointer, Any]] = []
    for key in _SUBSCHEMA:
        if key in schema:
            value = schema[key]
            if isinstance(value, list):  # items/additionalItems as a list (older drafts)
                found.extend(((*path, key, i), sub) for i, sub in enumerate(value))
            else:
                found.append(((*path, key), value))
    for key in _SUBSCHEMA_MAPS:
        if isinstance(schema.get(key), dict):
            found.extend(((*path, key, name), sub) for name, sub in schema[key].items())
    for key in _SUBSCHEMA_LISTS:
        if isinstance(schema.get(key), list):
            found.extend(((*path, key, i), sub) for i, sub in enumerate(schema[key]))
    return found
