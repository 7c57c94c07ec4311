"""Responses: per status, the media type a handler's result is written as, its type and its schema."""

from __future__ import annotations

from codegen import naming
from codegen.build.bodies import body_kind
from codegen.build.builder import Builder, component_name, primary_type
from codegen.build.parameters import is_json
from codegen.ir import Response
from codegen.spec import refs
from codegen.spec.walk import OperationSite


def responses(builder: Builder, site: OperationSite, model_hint: str, operation_constant: str) -> tuple[Response, ...]:
    """Every documented response, sorted by status."""
    found = []
    for status, response in site.operation.get("responses", {}).items():
        response, where = refs.located(builder.document, response, (*site.pointer, "responses", status))
        content = response.get("content") or {}
        media = next((m for m in content if is_json(m)), next(iter(content), None))
        kind = body_kind(media) if media else None
        if media and kind is None:
            kind = "binary"  # served as bytes the handler produced
        validator, schema, annotation = None, None, "None"
        if media:
            raw = content[media].get("schema", {})
            if "schema" in content[media]:
                owner = component_name(where, "responses") or f"{operation_constant}_{_status_word(status)}"
                schema_where = (*where, "content", media, "schema")
                if kind in ("json", "text"):
                    embedded = builder.embed(schema_where, f"{owner}_RESPONSE")
                    validator = embedded.name
                else:
                    embedded = builder.unvalidated(schema_where)
                schema = embedded.value
            if kind == "json":
                annotation = builder.types.annotation(raw, f"{model_hint}{naming.pascal(str(status))}Result")
            elif kind == "text":
                primary = primary_type(builder.resolved(raw))
                annotation = {"integer": "int", "number": "float"}.get(primary, "str")
            else:
                annotation = "bytes"
        description = str(response.get("description", ""))
        found.append(Response(str(status), description, media, kind, schema, validator, annotation))
    return tuple(sorted(found, key=lambda r: r.status))


def _status_word(status: str) -> str:
    """``200`` -> ``200``, ``4XX`` -> ``4XX``, ``default`` -> ``DEFAULT``: to follow an operation's name."""
    return "".join(ch for ch in status if ch.isascii() and ch.isalnum()).upper() or "STATUS"


def success(documented: tuple[Response, ...]) -> Response | None:
    """The response a handler's plain return value becomes: the first 2xx, else ``2XX`` or ``default``."""
    found = next((r for r in documented if r.status.startswith("2") and r.status.isdigit()), None)
    return found or next((r for r in documented if r.status in ("2XX", "default")), None)
