"""Python annotations for JSON Schemas: TypedDicts for objects, Literal aliases for enums.

Annotations are built only from names that passed ``codegen.naming`` and from ``repr`` of enum values,
so a hostile schema cannot put code into a type. Anything without a faithful static type is ``Any``.
"""

from __future__ import annotations

from typing import Any

from codegen import naming
from codegen.ir import Field, LiteralAlias, TypedDictModel
from codegen.pointer import resolve
from codegen.spec.refs import target_of

_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}
_LITERAL_TYPES = (str, int, bool, type(None))


class TypeBuilder:
    """Collects the models and aliases that the annotations it hands out refer to."""

    def __init__(self, document: dict[str, Any], names: naming.Scope) -> None:
        self.document = document
        self.names = names
        self.models: dict[str, TypedDictModel] = {}
        self.aliases: dict[str, LiteralAlias] = {}
        self._components: dict[str, str] = {}  # component schema name -> annotation
        self._building: dict[int, str] = {}  # allOf schemas being merged -> their model name
        self._parameter_enums: dict[int, str] = {}  # inline parameter enums -> their alias

    def annotation(self, schema: Any, hint: str) -> str:
        """The annotation for ``schema``; ``hint`` names a model if the schema needs one."""
        if not isinstance(schema, dict):
            return "Any"
        if isinstance(schema.get("$ref"), str):
            return self._ref(schema["$ref"])
        literal = self._literal(schema)
        if literal is not None:
            return literal
        for combinator in ("oneOf", "anyOf"):
            if isinstance(schema.get(combinator), list):
                return _union(self.annotation(s, f"{hint}Option{i + 1}") for i, s in enumerate(schema[combinator]))
        if isinstance(schema.get("allOf"), list):
            return self._all_of(schema, hint)
        kind = schema.get("type")
        if isinstance(kind, list):
            return _union(self.annotation({**schema, "type": k}, hint) for k in kind)
        if kind == "array":
            return f"list[{self.annotation(schema.get('items', True), hint + 'Item')}]"
        if kind == "object" or "properties" in schema:
            return self._object(schema, hint)
        return _PRIMITIVES.get(kind, "Any") if isinstance(kind, str) else "Any"

    def parameter(self, schema: Any, hint: str, wire_name: str) -> str:
        """A parameter's annotation. An inline enum (or an array of one, such as ``$select``) gets an alias of its
        own, so that a handler can annotate the values it passes on without repeating the Literal."""
        if isinstance(schema, dict) and schema.get("type") == "array" and isinstance(schema.get("items"), dict):
            items = schema["items"]
            if _literal_values(items) and "$ref" not in items:
                return f"list[{self._parameter_enum(items, hint + 'Item', f'One item of `{wire_name}`.')}]"
        if isinstance(schema, dict) and _literal_values(schema) and "$ref" not in schema:
            return self._parameter_enum(schema, hint, f"A value of `{wire_name}`.")
        return self.annotation(schema, hint)

    def _parameter_enum(self, schema: dict[str, Any], hint: str, about: str) -> str:
        """One alias per enum schema, however many operations share its (component) parameter."""
        if id(schema) not in self._parameter_enums:
            literal = literal_annotation(_literal_values(schema))
            if literal == "None":
                return literal
            name = self.names.claim(naming.pascal(hint))
            description = _text(schema.get("description")) or about
            self.aliases[name] = LiteralAlias(name, description, _literal_values(schema), literal)
            self._parameter_enums[id(schema)] = name
        return self._parameter_enums[id(schema)]

    def _ref(self, ref: str) -> str:
        target = target_of(ref)
        if len(target) == 3 and target[:2] == ("components", "schemas"):
            name = target[2]
            if name not in self._components:
                self._components[name] = "Any"  # provisional: a cycle through non-objects stays Any
                self._components[name] = self._named(resolve(self.document, target), name)
            return self._components[name]
        return self.annotation(resolve(self.document, target), naming.pascal("_".join(target[-2:])))

    def _named(self, schema: Any, component: str) -> str:
        """A component schema: objects and enums get a name of their own; others are inlined."""
        if not isinstance(schema, dict):
            return "Any"
        literal = self._literal(schema)
        if literal is not None and literal != "None":
            name = self.names.claim(naming.pascal(component))
            values = _literal_values(schema)
            self.aliases[name] = LiteralAlias(name, _text(schema.get("description")), values, literal)
            return name
        properties = schema.get("properties")
        plain_object = schema.get("type", "object") == "object" and "allOf" not in schema
        if isinstance(properties, dict) and properties and plain_object:
            # Claimed before its fields are typed, so a recursive reference finds the name.
            name = self.names.claim(naming.pascal(component))
            self._components[component] = name
            return self._model(name, _text(schema.get("description")), properties, schema.get("required", []), True)
        return self.annotation(schema, naming.pascal(component))

    def _literal(self, schema: dict[str, Any]) -> str | None:
        values = _literal_values(schema)
        return literal_annotation(values) if values else None

    def _object(self, schema: dict[str, Any], hint: str) -> str:
        properties = schema.get("properties")
        if not isinstance(properties, dict) or not properties:
            extra = schema.get("additionalProperties", True)
            value = self.annotation(extra, hint + "Value") if isinstance(extra, dict) else "Any"
            return f"dict[str, {value}]"
        return self._model(hint, _text(schema.get("description")), properties, schema.get("required", []))

    def _model(
        self, hint: str, description: str, properties: dict[str, Any], required: Any, claimed: bool = False
    ) -> str:
        name = hint if claimed else self.names.claim(naming.pascal(hint))
        required_set = set(required) if isinstance(required, list) else set()
        fields = tuple(
            Field(
                wire_name=key,
                annotation=self.annotation(sub, f"{name}{naming.pascal(key, 'Field')}"),
                required=key in required_set,
                description=_text(sub.get("description") if isinstance(sub, dict) else None),
            )
            for key, sub in properties.items()
        )
        self.models[name] = TypedDictModel(name, description, fields)
        return name

    def _all_of(self, schema: dict[str, Any], hint: str) -> str:
        """allOf of objects merges into one TypedDict; anything else is typed by its parts' first object."""
        parts = schema["allOf"]
        if len(parts) == 1 and set(schema) <= {"allOf", "description", "title"}:
            return self.annotation(parts[0], hint)  # a wrapper around one schema is that schema
        if id(schema) in self._building:
            return self._building[id(schema)]  # a recursive reference back into this allOf
        properties: dict[str, Any] = dict(schema.get("properties", {}))
        required = list(schema.get("required", []))
        for part in parts:
            part = self._deref(part)
            if not isinstance(part, dict) or not (part.get("type") == "object" or "properties" in part):
                return "Any"
            properties.update(part.get("properties", {}))
            required += part.get("required", [])
        if not properties:
            return "dict[str, Any]"
        name = self.names.claim(naming.pascal(hint))
        self._building[id(schema)] = name
        return self._model(name, _text(schema.get("description")), properties, required, claimed=True)

    def _deref(self, schema: Any) -> Any:
        seen = 0
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and seen < 32:
            schema, seen = resolve(self.document, target_of(schema["$ref"])), seen + 1
        return schema


def _literal_values(schema: dict[str, Any]) -> tuple[Any, ...]:
    if "const" in schema:
        values = [schema["const"]]
    elif isinstance(schema.get("enum"), list):
        values = schema["enum"]
    else:
        return ()
    if not values or not all(isinstance(v, _LITERAL_TYPES) and not isinstance(v, float) for v in values):
        return ()
    return tuple(dict.fromkeys(values))


def literal_annotation(values: tuple[Any, ...]) -> str:
    """``Literal['a', 1] | None`` for enum or const values (None becomes ``| None``)."""
    members = [v for v in values if v is not None]
    parts = [f"Literal[{', '.join(repr(v) for v in members)}]"] if members else []
    return " | ".join(parts + (["None"] if None in values else []))


def _union(parts: Any) -> str:
    members = list(dict.fromkeys(parts))
    return "Any" if "Any" in members else " | ".join(members)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


__all__ = ["TypeBuilder", "literal_annotation"]
