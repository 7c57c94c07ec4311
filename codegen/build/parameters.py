"""Parameters: path, query, header and cookie values, their styles, coercions, types and schemas."""

from __future__ import annotations

from typing import Any

from codegen import naming
from codegen.build.builder import Builder, primary_type
from codegen.ir import Coercion, Parameter
from codegen.pointer import Pointer
from codegen.spec import refs
from codegen.spec.walk import OperationSite

#: OpenAPI: these headers are described elsewhere (content negotiation, security) and ignored as parameters.
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
COERCIONS: dict[str, Coercion] = {"integer": "integer", "number": "number", "boolean": "boolean", "string": "string"}


def parameters(builder: Builder, site: OperationSite, operation_constant: str) -> list[Parameter]:
    """The operation's parameters: the path item's, overridden by the operation's own (by name and place)."""
    scope = naming.Scope({"self", "ctx", "body"})
    result = []
    for param_where, param in refs.operation_parameters(builder.document, site):
        name, location = param["name"], param["in"]
        if location == "header" and name.lower() in _IGNORED_HEADERS:
            continue
        # A parameter shared by several operations (a component, or the path item's) validates the same way
        # everywhere, so its schema is named after the parameter alone.
        shared = param_where[:4] != (*site.pointer, "parameters")
        schema_name = naming.constant(name) if shared else f"{operation_constant}_{naming.constant(name)}"
        built = _parameter(builder, param_where, param, scope, f"{schema_name}_PARAMETER")
        if built is not None:
            result.append(built)
    return result


def _parameter(
    builder: Builder, where: Pointer, param: dict[str, Any], scope: naming.Scope, schema_name: str
) -> Parameter | None:
    location = param["in"]
    if "content" in param:
        media, content = next(iter(param["content"].items()))
        if not is_json(media):
            builder.problem((*where, "content"), f"parameter content {media!r} is not supported (only JSON)")
            return None
        schema_where: Pointer = (*where, "content", media, "schema")
        schema_node = content.get("schema", {})
        coercion: Coercion = "json"
        is_array, explode = False, False
    else:
        schema_where = (*where, "schema")
        schema_node = param.get("schema", {})
        resolved = builder.resolved(schema_node)
        kind = primary_type(resolved)
        is_array = kind == "array"
        default_style = "form" if location in ("query", "cookie") else "simple"
        style = param.get("style", default_style)
        explode = bool(param.get("explode", style == "form"))
        if style != default_style:
            builder.problem((*where, "style"), f"parameter style {style!r} is not supported (only {default_style!r})")
            return None
        item_kind = primary_type(builder.resolved(resolved.get("items", {}))) if is_array else kind
        if kind == "object" or item_kind in ("object", "array"):
            builder.problem(schema_where, "object-valued parameters are not supported without `content`")
            return None
        coercion = COERCIONS.get(item_kind, "string")
    schema = builder.embed(schema_where, schema_name)
    required = bool(param.get("required", False)) or location == "path"
    resolved_schema = builder.resolved(schema_node)
    has_default = "default" in resolved_schema
    annotation = builder.types.annotation(schema_node, naming.pascal(param["name"], "Param"))
    if not required and not has_default:
        annotation = annotation if annotation == "Any" or annotation.endswith("| None") else f"{annotation} | None"
    return Parameter(
        wire_name=param["name"],
        py_name=scope.claim(naming.snake(param["name"], "param")),
        location=location,
        required=required,
        annotation=annotation,
        coercion=coercion,
        is_array=is_array,
        explode=explode,
        schema=schema.value,
        validator=schema.name,
        default=resolved_schema.get("default") if has_default else None,
        has_default=has_default,
        description=str(param.get("description", "")).strip(),
    )


def is_json(media: str) -> bool:
    base = media.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")
