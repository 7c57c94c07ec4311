"""Request bodies: each kind of media type (JSON, form, multipart, text, binary) a body comes in, its type, its
schema and, for forms and multipart, how each field arrives (the media type's ``encoding``)."""

from __future__ import annotations

from typing import Any

from codegen import naming
from codegen.build.builder import Builder, component_name, primary_type
from codegen.build.parameters import is_json
from codegen.build.shapes import TooLarge, ambiguous, shape_of
from codegen.ir import Body, BodyKind, Field, FormField, Reading, Shape, TypedDictModel
from codegen.pointer import Pointer
from codegen.spec import refs
from codegen.spec.walk import OperationSite

#: The order a body's kinds are described in (the first is the body's own; ``*/*`` binary goes last).
_KINDS: tuple[BodyKind, ...] = ("json", "form", "multipart", "text", "binary")
_TYPING_KEYWORDS = frozenset({"type", "allOf", "anyOf", "oneOf", "properties", "additionalProperties", "items", "enum",
                               "const"})  # fmt: skip


def request_body(builder: Builder, site: OperationSite, model_hint: str, operation_constant: str) -> Body | None:
    body, where = refs.located(builder.document, site.operation["requestBody"], (*site.pointer, "requestBody"))
    content = body.get("content", {})
    by_kind: dict[BodyKind, list[str]] = {}
    for media in content:
        media_kind = body_kind(media)
        if media_kind is None:
            builder.problem((*where, "content", media), f"request body media type {media!r} is not supported")
            return None
        by_kind.setdefault(media_kind, []).append(media)
    if not by_kind:
        builder.problem((*where, "content"), "a request body needs at least one media type")
        return None
    owner = component_name(where, "requestBodies") or operation_constant
    required = bool(body.get("required", False))
    variants = []
    for number, kind in enumerate(k for k in _KINDS if k in by_kind):
        name = f"{owner}_BODY" if number == 0 else f"{owner}_{kind.upper()}_BODY"
        variant = _variant(builder, where, content, kind, by_kind[kind], model_hint, name, required)
        if variant is None:
            return None
        variants.append(variant)
    first, *others = variants
    annotations = list(dict.fromkeys(v.annotation for v in variants))
    annotation = " | ".join(annotations) if len(annotations) > 1 else first.annotation
    return Body(
        required=required,
        kind=first.kind,
        media_types=first.media_types,
        annotation=annotation,
        schema=first.schema,
        validator=first.validator,
        form_fields=first.form_fields,
        alternatives=tuple(others),
    )


def _variant(
    builder: Builder,
    where: Pointer,
    content: dict[str, Any],
    kind: BodyKind,
    medias: list[str],
    model_hint: str,
    name: str,
    required: bool,
) -> Body | None:
    media = medias[0]
    media_object = content[media] or {}
    schema_node = media_object.get("schema", {})
    schema_where = (*where, "content", media, "schema")
    validated = kind != "binary"
    schema = builder.embed(schema_where, name) if validated else builder.unvalidated(schema_where)
    form_fields: tuple[FormField, ...] = ()
    if kind == "json":
        annotation = builder.types.annotation(schema_node, model_hint + "Body")
    elif kind in ("form", "multipart"):
        encoding_where = (*where, "content", media, "encoding")
        fields = _form_fields(builder, schema_node, media_object.get("encoding") or {}, encoding_where, kind)
        if fields is None:
            return None
        form_fields = fields
        if kind == "form":
            annotation = builder.types.annotation(schema_node, model_hint + "Form")
        else:
            annotation = _multipart_model(builder, schema_node, fields, model_hint + "Multipart")
    else:
        annotation = "str" if kind == "text" else "bytes"
    return Body(
        required=required,
        kind=kind,
        media_types=tuple(sorted({base_media_type(m) for m in medias})),
        annotation=annotation,
        schema=schema.value,
        validator=schema.name or None,
        form_fields=form_fields,
    )


def _form_fields(
    builder: Builder, schema: Any, encoding: dict[str, Any], where: Pointer, kind: BodyKind
) -> tuple[FormField, ...] | None:
    """How each property of a form (or multipart) body arrives, per its ``encoding``; None (with problems) when
    a property could be read more than one way."""
    try:
        body_shape = shape_of(builder, schema)
    except TooLarge:
        builder.problem(where[:-1], "the body's schema is too large to read from form fields")
        return None
    if not set(builder.resolved(schema)) & _TYPING_KEYWORDS:
        body_shape = Shape((), properties=())  # any value: an object with no declared fields
    if body_shape.properties is None:
        builder.problem((*where[:-1], "schema"), f"a {kind} body's schema must describe an object")
        return None
    sub_schemas = _properties(builder, schema)[0]
    fields = []
    deep_names = set()
    ok = True
    for name, shape in body_shape.properties:
        entry = encoding.get(name) or {}
        read = _reading(builder, (*where, name), entry, shape, sub_schemas.get(name, {}), kind)
        if read is None:
            ok = False
            continue
        reading, is_array = read
        if reading == "deep":
            deep_names.add(name)
        fields.append(FormField(name, reading, shape, is_array))
    for field in fields:
        base = field.name.split("[", 1)[0]
        if "[" in field.name and base in deep_names:
            builder.problem(where[:-1], f"property {field.name!r} reads like a key of the deepObject field {base!r}")
            ok = False
    return tuple(fields) if ok else None


def _reading(
    builder: Builder, where: Pointer, entry: dict[str, Any], shape: Shape, schema: Any, kind: BodyKind
) -> tuple[Reading, bool] | None:
    """(how the field arrives, whether repeated keys are an array's items)."""
    objects = shape.properties is not None
    items = shape.items
    object_items = items is not None and (items.properties is not None or items.items is not None)
    if kind == "multipart" and _is_file(builder, schema):
        return "file", False
    if kind == "multipart" and items is not None and _is_file(builder, builder.resolved(schema).get("items", {})):
        return "file", True
    styled = kind == "form" and ("style" in entry or "explode" in entry)
    style = entry.get("style", "form")
    if styled and style == "deepObject":
        place = ambiguous(shape)
        if entry.get("explode", True) is False:
            builder.problem((*where, "explode"), "deepObject fields must be exploded (explode: false is undefined)")
        elif place is not None:
            builder.problem(where, f"arrays and objects both fit at {place}: x[0] could be either")
        else:
            return "deep", False
        return None
    if styled:
        if style != "form":
            builder.problem((*where, "style"), f"form field style {style!r} is not supported (form, deepObject)")
            return None
        if objects or object_items or (items is not None and entry.get("explode", True) is False):
            builder.problem(where, "style form reads only scalars and exploded arrays of scalars: use deepObject")
            return None
        return "text", items is not None
    content_type = entry.get("contentType")
    if isinstance(content_type, str) and is_json(content_type.split(",")[0]):
        return "json", items is not None and not objects and not shape.scalars
    if (objects or object_items) and content_type is None:
        if shape.scalars or (objects and items is not None):
            builder.problem(where, "the field may be text or an object: give it an encoding (contentType or style)")
            return None
        return "json", not objects  # OpenAPI: objects default to application/json, arrays to their items' type
    if objects or object_items:
        builder.problem((*where, "contentType"), f"an object field sent as {content_type!r} cannot be read")
        return None
    return "text", items is not None


def _is_file(builder: Builder, schema: Any) -> bool:
    """A binary string: ``format: binary`` (3.0) or ``contentMediaType`` / ``contentEncoding`` (3.1)."""
    node = builder.resolved(schema)
    options = [builder.resolved(s) for key in ("anyOf", "oneOf") for s in node.get(key, []) or []]
    for candidate in (node, *options):
        if primary_type(candidate) in ("string", "any") and (
            candidate.get("format") == "binary" or "contentMediaType" in candidate or "contentEncoding" in candidate
        ):
            return True
    return False


def _properties(builder: Builder, schema: Any) -> tuple[dict[str, Any], set[str]]:
    """Every property an object body may have (through allOf/anyOf/oneOf), and those allOf makes required."""
    node = builder.resolved(schema)
    found: dict[str, Any] = dict(node.get("properties", {}) or {})
    required = {str(r) for r in node.get("required", []) or []}
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in node.get(key, []) or []:
            sub_found, sub_required = _properties(builder, sub)
            for name, sub_schema in sub_found.items():
                found.setdefault(name, sub_schema)
            if key == "allOf":
                required |= sub_required
    return found, required


def _multipart_model(builder: Builder, schema: Any, fields: tuple[FormField, ...], hint: str) -> str:
    """A TypedDict of the parts: files are ``UploadedFile``, other parts typed by their schemas."""
    properties, required = _properties(builder, schema)
    name = builder.types.names.claim(naming.pascal(hint))
    reading = {f.name: f for f in fields}
    model_fields = []
    for key, sub in properties.items():
        field = reading.get(key)
        if field is not None and field.reading == "file":
            annotation = "list[UploadedFile]" if field.is_array else "UploadedFile"
        else:
            annotation = builder.types.annotation(sub, f"{name}{naming.pascal(key, 'Field')}")
        description = sub.get("description") if isinstance(sub, dict) else None
        model_fields.append(Field(key, annotation, key in required, str(description or "").strip()))
    builder.types.models[name] = TypedDictModel(name, "The parts of a multipart body.", tuple(model_fields))
    return name


def body_kind(media: str) -> BodyKind | None:
    """How a media type's bytes are read: JSON, form, multipart, text or binary; None for what is not supported."""
    base = media.split(";", 1)[0].strip().lower()
    if is_json(base):
        return "json"
    if base.startswith("text/"):
        return "text"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base == "multipart/form-data":
        return "multipart"
    if base in ("application/octet-stream", "*/*") or base.startswith(("image/", "audio/", "video/")):
        return "binary"
    return None


def base_media_type(media: str) -> str:
    """A content key as the server matches a request's Content-Type: lower case, without parameters
    (``application/json; charset=utf-8`` is ``application/json``; the charset is checked on its own)."""
    return media.split(";", 1)[0].strip().lower()
