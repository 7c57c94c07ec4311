"""Parameters: path, query, header and cookie values, their styles, coercions, types and schemas."""

from __future__ import annotations

from typing import Any

from codegen import naming
from codegen.build.builder import Builder, primary_type
from codegen.build.shapes import TooLarge, ambiguous, shape_of
from codegen.ir import Coercion, Parameter, ParameterStyle, Shape
from codegen.pointer import Pointer
from codegen.spec import refs
from codegen.spec.walk import OperationSite

#: OpenAPI: these headers are described elsewhere (content negotiation, security) and ignored as parameters.
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
COERCIONS: dict[str, Coercion] = {"integer": "integer", "number": "number", "boolean": "boolean", "string": "string"}


def parameters(builder: Builder, site: OperationSite, operation_constant: str) -> list[Parameter]:
    """The operation's parameters: the path item's, overridden by the operation's own (by name and place)."""
    scope = naming.Scope({"self", "ctx", "body"})
    result: list[tuple[Pointer, Parameter]] = []
    for param_where, param in refs.operation_parameters(builder.document, site):
        name, location = param["name"], param["in"]
        if location == "header" and name.lower() in _IGNORED_HEADERS:
            continue
        # A parameter shared by several operations (a component, or the path item's) validates the same way
        # everywhere, so its schema is named after the parameter alone.
        shared = param_where[:4] != (*site.pointer, "parameters")
        schema_name = naming.constant(name) if shared else f"{operation_constant}_{naming.constant(name)}"
        with builder.part_of(site, f"parameter {name!r}"):
            built = _parameter(builder, param_where, param, scope, f"{schema_name}_PARAMETER")
        if built is not None:
            result.append((param_where, built))
    _check_spread(builder, site, result)
    _check_deep(builder, site, result)
    return [built for _, built in result]


def _check_deep(builder: Builder, site: OperationSite, built: list[tuple[Pointer, Parameter]]) -> None:
    """A query parameter named like a key of a deepObject one (``filter[color]`` beside ``filter``) would never
    get its value: the deepObject parameter reads every ``filter[...]`` key."""
    deep = {p.wire_name for _, p in built if p.location == "query" and p.style == "deep"}
    for where, param in built:
        base = param.wire_name.split("[", 1)[0]
        if param.location == "query" and "[" in param.wire_name and base in deep:
            with builder.part_of(site, f"parameter {param.wire_name!r}"):
                builder.problem(where, f"the query parameter reads like a key of the deepObject parameter {base!r}")


def _check_spread(builder: Builder, site: OperationSite, built: list[tuple[Pointer, Parameter]]) -> None:
    """Keys of exploded form objects must be theirs alone, and only one may take the keys nobody declares."""
    plain = {p.wire_name for _, p in built if p.location == "query" and p.style != "spread"}
    claimed: set[str] = set()
    open_ones = 0
    for where, param in built:
        if param.style != "spread" or param.shape is None:
            continue
        keys = {key for key, _ in param.shape.properties or ()}
        clash = sorted(keys & (plain | claimed))
        claimed |= keys
        open_ones += param.shape.additional is not None
        with builder.part_of(site, f"parameter {param.wire_name!r}"):
            if clash:
                builder.problem(where, f"the exploded object's property {clash[0]!r} is also another query parameter")
            if open_ones > 1:
                builder.problem(where, "two exploded object parameters both accept undeclared keys: which gets them?")


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
        object_style: ParameterStyle = "plain"
        shape: Shape | None = None
    else:
        schema_where = (*where, "schema")
        schema_node = param.get("schema", {})
        resolved = builder.resolved(schema_node)
        kind = primary_type(resolved)
        is_array = kind == "array"
        object_style, shape = "plain", None
        default_style = "form" if location in ("query", "cookie") else "simple"
        style = param.get("style", default_style)
        explode = bool(param.get("explode", style == "form"))
        item_kind = primary_type(builder.resolved(resolved.get("items", {}))) if is_array else kind
        if location == "query" and (style == "deepObject" or (style == "form" and kind == "object")):
            read = _object_style(builder, where, param, schema_node, style, explode)
            if read is None:
                return None
            object_style, shape = read
            coercion, is_array, explode = "string", False, False
        elif style != default_style:
            builder.problem((*where, "style"), f"parameter style {style!r} is not supported (only {default_style!r}"
                            + (", 'deepObject' and form objects)" if location == "query" else ")"))  # fmt: skip
            return None
        elif kind == "object":
            builder.problem(schema_where, "object-valued parameters are not supported without `content` (except in "
                            "the query)")  # fmt: skip
            return None
        elif item_kind in ("object", "array"):
            builder.problem(schema_where, f"an array of {item_kind}s in the {location}, whose serialisation OpenAPI "
                            "does not define (without `content`)")  # fmt: skip
            return None
        else:
            coercion = COERCIONS.get(item_kind, "string")
    schema = builder.embed(schema_where, schema_name)
    required = bool(param.get("required", False)) or location == "path"
    resolved_schema = builder.resolved(schema_node)
    has_default = "default" in resolved_schema
    annotation = builder.types.parameter(schema_node, naming.pascal(param["name"], "Param"), param["name"])
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
        style=object_style,
        shape=shape,
    )


def _object_style(
    builder: Builder, where: Pointer, param: dict[str, Any], schema: Any, style: str, explode: bool
) -> tuple[ParameterStyle, Shape] | None:
    """How an object-valued query parameter is read (deepObject, or form spread/pairs), and its shape; None
    (and a problem) where its keys could be read more than one way."""
    try:
        shape = shape_of(builder, schema)
    except TooLarge:
        builder.problem((*where, "schema"), "the schema is too large to read from query keys")
        return None
    if style == "deepObject":
        if param.get("explode") is False:
            builder.problem((*where, "explode"), "deepObject parameters must be exploded (explode: false is undefined)")
            return None
        place = ambiguous(shape)
        if place is not None:
            builder.problem((*where, "schema"), f"arrays and objects both fit at {place}: x[0] could be either")
            return None
        return "deep", shape
    for key, sub in shape.properties or ():
        nested = sub.properties is not None or (
            sub.items is not None and (sub.items.properties is not None or sub.items.items is not None)
        )
        if nested or (sub.items is not None and not explode):
            builder.problem(
                (*where, "schema", "properties", key),
                "a form-style object parameter's properties must be scalars (or arrays, when exploded)",
            )
            return None  # fmt: skip
    if shape.items is not None or shape.scalars:
        builder.problem((*where, "schema"), "a form-style parameter that is an object or something else is ambiguous")
        return None
    return ("spread" if explode else "pairs"), shape


def is_json(media: str) -> bool:
    base = media.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")
