"""Spec -> IR. Anything the server target cannot faithfully serve stops here, named by JSON pointer.

Refusing is better than generating a server that quietly disagrees with its spec: the error says what
is not supported and where, and nothing is written.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from codegen import naming, refs
from codegen.errors import Problem, SpecError
from codegen.ir import (
    Api,
    Body,
    BodyKind,
    Coercion,
    Operation,
    Parameter,
    Response,
    RouteNode,
    SecurityScheme,
)
from codegen.pointer import Path, parse, resolve, to_pointer
from codegen.pytypes import TypeBuilder
from codegen.spec import Spec
from codegen.walk import HTTP_METHODS, subschemas

_TEMPLATE_SEGMENT = re.compile(r"^\{([^{}/]+)\}$")
_UNSUPPORTED_KEYWORDS = ("$id", "$anchor", "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor")
_ANNOTATIONS = frozenset({"description", "title", "example", "examples", "externalDocs", "xml", "deprecated",
                          "discriminator", "readOnly", "writeOnly", "$comment"})  # fmt: skip
_INT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
DRAFT = "https://json-schema.org/draft/2020-12/schema"


class _Problems:
    """Collects unsupported constructs; raised together at the end of the build."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.items: list[Problem] = []

    def add(self, path: Path, message: str) -> None:
        self.items.append(self.spec.source.problem(tuple(path), message))

    def raise_any(self) -> None:
        if self.items:
            ordered = sorted(self.items, key=lambda p: (p.line or 0, p.pointer))
            raise SpecError(ordered, "the server target does not support what the spec uses")


def build(spec: Spec, package: str | None = None) -> Api:
    doc = spec.document
    problems = _Problems(spec)
    names = naming.Scope(
        {"Handlers", "RequestContext", "Reply", "HttpError", "Principal", "Authenticator", "create_app"}
    )
    types = TypeBuilder(doc, names)
    schemes = _security_schemes(doc, problems)
    operations = _operations(spec, types, {s.name: s for s in schemes}, problems)
    router = _router(operations, problems)
    problems.raise_any()
    info = doc.get("info", {})
    title = str(info.get("title", "API"))
    return Api(
        title=title,
        version=str(info.get("version", "")),
        package=naming.snake(package or title, "api"),
        spec_name=spec.path.name,
        description=str(info.get("description", "")).strip(),
        models=tuple(types.models[n] for n in sorted(types.models)),
        aliases=tuple(types.aliases[n] for n in sorted(types.aliases)),
        operations=operations,
        router=router,
        security_schemes=schemes,
        base_path=default_base_path(spec),
        openapi_json=json.dumps(spec.raw, ensure_ascii=False, separators=(",", ":")),
    )


def default_base_path(spec: Spec) -> str:
    """The path of the first server URL (``/v1.0`` for Graph), or no prefix."""
    servers = spec.document.get("servers") or [{}]
    url = servers[0].get("url", "") if isinstance(servers[0], dict) else ""
    path = urlsplit(url).path if "://" in url else url
    return "/" + path.strip("/") if path.strip("/") and "{" not in path else ""


def _security_schemes(doc: dict[str, Any], problems: _Problems) -> tuple[SecurityScheme, ...]:
    found = []
    schemes = doc.get("components", {}).get("securitySchemes", {})
    for name, scheme in sorted(schemes.items()):
        scheme = refs.deref(doc, scheme)
        kind = scheme.get("type", "")
        if kind not in ("oauth2", "openIdConnect", "http", "apiKey"):
            problems.add(("components", "securitySchemes", name), f"security scheme type {kind!r} is not supported")
            continue
        found.append(
            SecurityScheme(
                name=name,
                type=kind,
                scheme=str(scheme.get("scheme", "")).lower(),
                location=str(scheme.get("in", "")),
                parameter_name=str(scheme.get("name", "")),
            )
        )
    return tuple(found)


def _operations(
    spec: Spec, types: TypeBuilder, schemes: dict[str, SecurityScheme], problems: _Problems
) -> tuple[Operation, ...]:
    doc = spec.document
    found: list[tuple[Path, dict[str, Any], dict[str, Any]]] = []
    for path, item in doc.get("paths", {}).items():
        where: Path = ("paths", path)
        if "$ref" in item:
            problems.add((*where, "$ref"), "path item $ref is not supported")
            continue
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                found.append(((*where, method), item, item[method]))
    # Method names: the last dotted part of the operationId when unique (Graph's ids are long), else all of it.
    ids = [op.get("operationId") or f"{w[2]} {w[1]}" for w, _, op in found]
    short = [naming.snake(i.rsplit(".", 1)[-1]) for i in ids]
    method_names = naming.Scope({"authenticate"})
    operations = []
    for (where, item, op), operation_id, short_name in zip(found, ids, short, strict=True):
        wanted = short_name if short.count(short_name) == 1 else naming.snake(operation_id)
        operations.append(
            _operation(spec, types, where, item, op, operation_id, method_names.claim(wanted), schemes, problems)
        )
    return tuple(sorted(operations, key=lambda o: (o.path, o.http_method)))


def _operation(
    spec: Spec,
    types: TypeBuilder,
    where: Path,
    item: dict[str, Any],
    op: dict[str, Any],
    operation_id: str,
    method_name: str,
    schemes: dict[str, SecurityScheme],
    problems: _Problems,
) -> Operation:
    doc = spec.document
    model_hint = naming.pascal(method_name)
    parameters = _parameters(doc, types, where, item, op, problems)
    body = _body(doc, types, where, op, model_hint, problems) if "requestBody" in op else None
    responses = _responses(doc, types, where, op, model_hint, problems)
    success = next((r for r in responses if r.status.startswith("2") and r.status.isdigit()), None)
    success = success or next((r for r in responses if r.status in ("2XX", "default")), None)
    status = int(success.status) if success and success.status.isdigit() else 200
    returns = success.annotation if success else "None"
    security = op.get("security", doc.get("security", []))
    alternatives = []
    for i, requirement in enumerate(security if isinstance(security, list) else []):
        for scheme in requirement:
            if scheme not in schemes:
                problems.add((*where, "security", i, scheme), f"unknown security scheme {scheme!r}")
        alternatives.append(tuple(sorted((k, tuple(v)) for k, v in requirement.items())))
    # API keys sent in the query are credentials, not undeclared query options.
    credential_names = sorted(
        {schemes[name].parameter_name for alt in alternatives for name, _ in alt
         if name in schemes and schemes[name].type == "apiKey" and schemes[name].location == "query"}
    )  # fmt: skip
    path = str(where[1])
    path_names = [m.group(1) for seg in path.split("/") if (m := _TEMPLATE_SEGMENT.match(seg))]
    declared = {p.wire_name for p in parameters if p.location == "path"}
    for missing in sorted(set(path_names) - declared):
        problems.add(where, f"path parameter {missing!r} is in the path but not declared")
    return Operation(
        operation_id=operation_id,
        method_name=method_name,
        http_method=str(where[2]).upper(),
        path=path,
        summary=str(op.get("summary", "")).strip(),
        description=str(op.get("description", "")).strip(),
        parameters=tuple(sorted(parameters, key=lambda p: (not p.required, _ORDER[p.location], p.py_name))),
        body=body,
        responses=responses,
        success_status=status,
        success=success,
        returns=returns,
        security=tuple(alternatives),
        credential_query_names=tuple(credential_names),
        pointer=to_pointer(where),
    )


_ORDER = {"path": 0, "query": 1, "header": 2, "cookie": 3}


def _parameters(
    doc: dict[str, Any], types: TypeBuilder, where: Path, item: dict[str, Any], op: dict[str, Any], problems: _Problems
) -> list[Parameter]:
    merged: dict[tuple[str, str], tuple[Path, dict[str, Any]]] = {}
    for base, params in (((where[0], where[1], "parameters"), item.get("parameters")),
                         ((*where, "parameters"), op.get("parameters"))):  # fmt: skip
        for i, param in enumerate(params or []):
            param, param_where = refs.located(doc, param, (*base, i))
            merged[(param["name"], param["in"])] = (param_where, param)
    scope = naming.Scope({"self", "ctx", "body"})
    result = []
    for (name, location), (param_where, param) in merged.items():
        if location == "header" and name.lower() in _IGNORED_HEADERS:
            continue  # OpenAPI: these headers are described elsewhere and ignored as parameters
        built = _parameter(doc, types, param_where, param, scope, problems)
        if built is not None:
            result.append(built)
    return result


def _parameter(
    doc: dict[str, Any],
    types: TypeBuilder,
    where: Path,
    param: dict[str, Any],
    scope: naming.Scope,
    problems: _Problems,
) -> Parameter | None:
    location = param["in"]
    if "content" in param:
        media, content = next(iter(param["content"].items()))
        if not _is_json(media):
            problems.add((*where, "content"), f"parameter content {media!r} is not supported (only JSON)")
            return None
        schema_where: Path = (*where, "content", media, "schema")
        schema_node = content.get("schema", {})
        coercion: Coercion = "json"
        is_array, explode = False, False
    else:
        schema_where = (*where, "schema")
        schema_node = param.get("schema", {})
        resolved = _resolve_schema(doc, schema_node)
        kind = _primary_type(resolved)
        is_array = kind == "array"
        default_style = "form" if location in ("query", "cookie") else "simple"
        style = param.get("style", default_style)
        explode = bool(param.get("explode", style == "form"))
        if style != default_style:
            problems.add((*where, "style"), f"parameter style {style!r} is not supported (only {default_style!r})")
            return None
        item_kind = _primary_type(_resolve_schema(doc, resolved.get("items", {}))) if is_array else kind
        if kind == "object" or item_kind in ("object", "array"):
            problems.add(schema_where, "object-valued parameters are not supported without `content`")
            return None
        coercion = _COERCIONS.get(item_kind, "string")
    schema = server_schema(doc, schema_where, problems)
    required = bool(param.get("required", False)) or location == "path"
    resolved_schema = _resolve_schema(doc, schema_node)
    has_default = isinstance(resolved_schema, dict) and "default" in resolved_schema
    annotation = types.annotation(schema_node, naming.pascal(param["name"], "Param"))
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
        schema=schema,
        default=resolved_schema.get("default") if has_default else None,
        has_default=has_default,
        description=str(param.get("description", "")).strip(),
    )


_COERCIONS: dict[str, Coercion] = {"integer": "integer", "number": "number", "boolean": "boolean", "string": "string"}


def _body(
    doc: dict[str, Any], types: TypeBuilder, where: Path, op: dict[str, Any], hint: str, problems: _Problems
) -> Body | None:
    body, body_where = refs.located(doc, op["requestBody"], (*where, "requestBody"))
    content = body.get("content", {})
    kinds: dict[str, BodyKind] = {}
    for media in content:
        media_kind = _body_kind(media)
        if media_kind is None:
            problems.add((*body_where, "content", media), f"request body media type {media!r} is not supported")
            return None
        kinds[media] = media_kind
    if len(set(kinds.values())) != 1:
        problems.add((*body_where, "content"), "a request body must use one kind of media type (JSON, text, ...)")
        return None
    kind = next(iter(kinds.values()))
    media = next(iter(content))
    schema_node = content[media].get("schema", {})
    schema = server_schema(doc, (*body_where, "content", media, "schema"), problems)
    form_fields: tuple[tuple[str, Coercion, bool], ...] = ()
    if kind == "json":
        annotation = types.annotation(schema_node, hint + "Body")
    elif kind == "form":
        annotation = types.annotation(schema_node, hint + "Form")
        form_fields = _form_fields(doc, schema_node)
    else:
        annotation = "str" if kind == "text" else "bytes"
    return Body(
        required=bool(body.get("required", False)),
        kind=kind,
        media_types=tuple(sorted(kinds)),
        annotation=annotation,
        schema=schema,
        form_fields=form_fields,
    )


def _form_fields(doc: dict[str, Any], schema_node: Any) -> tuple[tuple[str, Coercion, bool], ...]:
    properties = _resolve_schema(doc, schema_node).get("properties", {})
    fields = []
    for name, sub in properties.items():
        resolved = _resolve_schema(doc, sub)
        kind = _primary_type(resolved)
        is_array = kind == "array"
        if is_array:
            kind = _primary_type(_resolve_schema(doc, resolved.get("items", {})))
        fields.append((name, _COERCIONS.get(kind, "string"), is_array))
    return tuple(fields)


def _responses(
    doc: dict[str, Any], types: TypeBuilder, where: Path, op: dict[str, Any], hint: str, problems: _Problems
) -> tuple[Response, ...]:
    found = []
    for status, response in op.get("responses", {}).items():
        response, response_where = refs.located(doc, response, (*where, "responses", status))
        content = response.get("content") or {}
        media = next((m for m in content if _is_json(m)), next(iter(content), None))
        kind = _body_kind(media) if media else None
        if media and kind is None:
            kind = "binary"  # served as bytes the handler produced
        schema, annotation = None, "None"
        if media:
            raw = content[media].get("schema", {})
            if "schema" in content[media]:
                schema = server_schema(doc, (*response_where, "content", media, "schema"), problems)
            if kind == "json":
                annotation = types.annotation(raw, f"{hint}{naming.pascal(str(status))}Result")
            elif kind == "text":
                primary = _primary_type(_resolve_schema(doc, raw))
                annotation = {"integer": "int", "number": "float"}.get(primary, "str")
            else:
                annotation = "bytes"
        found.append(Response(str(status), str(response.get("description", "")), media, kind, schema, annotation))
    return tuple(sorted(found, key=lambda r: r.status))


def _router(operations: tuple[Operation, ...], problems: _Problems) -> RouteNode:
    """A segment tree: literal segments first, one parameter slot per level."""
    tree: dict[str, Any] = {"literals": {}, "parameter": None, "endpoints": {}}
    for op in operations:
        node = tree
        segments = [s for s in op.path.split("/") if s]
        names = []
        for segment in segments:
            match = _TEMPLATE_SEGMENT.match(segment)
            if match:
                names.append(match.group(1))
                node["parameter"] = node["parameter"] or {"literals": {}, "parameter": None, "endpoints": {}}
                node = node["parameter"]
            elif "{" in segment or "}" in segment:
                problems.add(_pointer_path(op.pointer), f"path segment {segment!r} mixes text and a parameter")
                break
            else:
                node = node["literals"].setdefault(segment, {"literals": {}, "parameter": None, "endpoints": {}})
        else:
            if op.http_method in node["endpoints"]:
                problems.add(_pointer_path(op.pointer), f"{op.http_method} {op.path} matches the same requests as "
                             f"{node['endpoints'][op.http_method][0]}")  # fmt: skip
                continue
            by_name = {p.wire_name: p.py_name for p in op.path_parameters}
            node["endpoints"][op.http_method] = (op.path, op.method_name, tuple(by_name.get(n, n) for n in names))
    return _freeze(tree)


def _freeze(node: dict[str, Any]) -> RouteNode:
    return RouteNode(
        literals=tuple((k, _freeze(v)) for k, v in sorted(node["literals"].items())),
        parameter=_freeze(node["parameter"]) if node["parameter"] else None,
        endpoints=tuple((m, e[1], e[2]) for m, e in sorted(node["endpoints"].items())),
    )


def _pointer_path(pointer: str) -> Path:
    return parse(pointer)


def server_schema(doc: dict[str, Any], where: Path, problems: _Problems) -> Any:
    """The schema the server embeds: bundled, annotations stripped, int32/int64 formats as bounds."""
    _refuse_keywords(doc, where, problems)
    schema = refs.bundle(doc, where)
    schema = _harden(schema)
    if isinstance(schema, dict):
        schema = {"$schema": DRAFT, **schema}
    return schema


def _refuse_keywords(doc: dict[str, Any], where: Path, problems: _Problems) -> None:
    seen: set[int] = set()
    stack: list[tuple[Path, Any]] = [(where, resolve(doc, [str(t) for t in where]))]
    while stack:
        path, schema = stack.pop()
        if not isinstance(schema, dict) or id(schema) in seen:
            continue
        seen.add(id(schema))
        for keyword in _UNSUPPORTED_KEYWORDS:
            if keyword in schema:
                problems.add((*path, keyword), f"JSON Schema keyword {keyword!r} is not supported")
        if isinstance(schema.get("$ref"), str):
            try:
                target = refs.target_of(schema["$ref"])
                stack.append((target, resolve(doc, target)))
            except (ValueError, LookupError):
                pass
        stack.extend(subschemas(schema, path))


def _harden(schema: Any) -> Any:
    """Strip annotations; make int32/int64 formats into bounds (jsonschema-rs checks formats on strings only)."""
    if not isinstance(schema, dict):
        return schema
    out = {k: v for k, v in schema.items() if k not in _ANNOTATIONS and not k.startswith("x-")}
    bounds = _INT_BOUNDS.get(out.get("format", ""))
    if bounds:
        low, high = bounds
        out["minimum"] = max(out["minimum"], low) if _is_number(out.get("minimum")) else low
        out["maximum"] = min(out["maximum"], high) if _is_number(out.get("maximum")) else high
    for sub_path, sub in subschemas(schema, ()):
        refs.assign(out, sub_path, _harden(sub))
    return out


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _resolve_schema(doc: dict[str, Any], schema: Any) -> dict[str, Any]:
    try:
        resolved = refs.deref(doc, schema)
    except (ValueError, LookupError):
        return {}
    return resolved if isinstance(resolved, dict) else {}


def _primary_type(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        return kinds[0] if len(kinds) == 1 else "any"
    if isinstance(kind, str):
        return kind
    if "enum" in schema and schema["enum"] and all(isinstance(v, str) for v in schema["enum"]):
        return "string"
    return "any"


def _is_json(media: str) -> bool:
    base = media.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def _body_kind(media: str) -> BodyKind | None:
    base = media.split(";", 1)[0].strip().lower()
    if _is_json(base):
        return "json"
    if base.startswith("text/"):
        return "text"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base in ("application/octet-stream", "*/*") or base.startswith(("image/", "audio/", "video/")):
        return "binary"
    return None
