"""Request bodies: one kind of media type per body (JSON, form, text or binary), its type and its schema."""

from __future__ import annotations

from typing import Any

from codegen.build.builder import Builder, component_name, primary_type
from codegen.build.parameters import COERCIONS, is_json
from codegen.ir import Body, BodyKind, FormField
from codegen.spec import refs
from codegen.spec.walk import OperationSite


def request_body(builder: Builder, site: OperationSite, model_hint: str, operation_constant: str) -> Body | None:
    body, where = refs.located(builder.document, site.operation["requestBody"], (*site.pointer, "requestBody"))
    content = body.get("content", {})
    kinds: dict[str, BodyKind] = {}
    for media in content:
        media_kind = body_kind(media)
        if media_kind is None:
            builder.problem((*where, "content", media), f"request body media type {media!r} is not supported")
            return None
        kinds[media] = media_kind
    if len(set(kinds.values())) != 1:
        builder.problem((*where, "content"), "a request body must use one kind of media type (JSON, text, ...)")
        return None
    kind = next(iter(kinds.values()))
    media = next(iter(content))
    schema_node = content[media].get("schema", {})
    owner = component_name(where, "requestBodies") or operation_constant
    schema_where = (*where, "content", media, "schema")
    validated = kind in ("json", "form", "text")
    schema = builder.embed(schema_where, f"{owner}_BODY") if validated else builder.unvalidated(schema_where)
    form_fields: tuple[FormField, ...] = ()
    if kind == "json":
        annotation = builder.types.annotation(schema_node, model_hint + "Body")
    elif kind == "form":
        annotation = builder.types.annotation(schema_node, model_hint + "Form")
        form_fields = _form_fields(builder, schema_node)
    else:
        annotation = "str" if kind == "text" else "bytes"
    return Body(
        required=bool(body.get("required", False)),
        kind=kind,
        media_types=tuple(sorted(kinds)),
        annotation=annotation,
        schema=schema.value,
        validator=schema.name or None,
        form_fields=form_fields,
    )


def _form_fields(builder: Builder, schema_node: Any) -> tuple[FormField, ...]:
    properties = builder.resolved(schema_node).get("properties", {})
    fields = []
    for name, sub in properties.items():
        resolved = builder.resolved(sub)
        kind = primary_type(resolved)
        is_array = kind == "array"
        if is_array:
            kind = primary_type(builder.resolved(resolved.get("items", {})))
        fields.append(FormField(name, COERCIONS.get(kind, "string"), is_array))
    return tuple(fields)


def body_kind(media: str) -> BodyKind | None:
    """How a media type's bytes are read: JSON, form, text or binary; None for what is not supported."""
    base = media.split(";", 1)[0].strip().lower()
    if is_json(base):
        return "json"
    if base.startswith("text/"):
        return "text"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base in ("application/octet-stream", "*/*") or base.startswith(("image/", "audio/", "video/")):
        return "binary"
    return None
