"""``build``: the whole spec as one ``Api``, from its security schemes, operations and their types."""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import urlsplit

from codegen import naming
from codegen.build.builder import Builder
from codegen.build.operations import build_operations
from codegen.build.security import security_schemes
from codegen.build.unserved import reasons, warnings
from codegen.errors import Problem
from codegen.ir import Api, Operation, UnservedOperation
from codegen.spec import Spec


def build(
    spec: Spec, package: str | None = None, *, strict: bool = True, warn: Callable[[Problem], None] | None = None
) -> Api:
    """The IR of ``spec``; SpecError listing every construct the server target cannot serve faithfully.

    Without ``strict``, an operation whose own parameters or body are such a construct is left out instead
    (routed, answered 501) and ``warn`` is told; it is then built again without those operations, so that
    nothing of them (schemas, models) reaches the output. Problems beyond one operation always refuse."""
    builder = Builder(spec)
    operations, unserved = _build_operations(builder)
    left_out = builder.local_problems if not strict else {}
    if left_out:
        builder.embed_all()  # what no single operation explains (in its schemas too) refuses the document first
        builder = Builder(spec, reasons(left_out))
        operations, unserved = _build_operations(builder)
    builder.refuse_local_problems()  # strict; or, never expected, new ones on the second pass
    builder.embed_all()
    for warning in warnings(left_out):
        (warn or _ignore)(warning)
    info = builder.document.get("info", {})
    title = str(info.get("title", "API"))
    types = builder.types
    return Api(
        title=title,
        version=str(info.get("version", "")),
        package=naming.snake(package or title, "api"),
        spec_name=spec.path.name,
        description=str(info.get("description", "")).strip(),
        models=tuple(types.models[n] for n in sorted(types.models)),
        aliases=tuple(types.aliases[n] for n in sorted(types.aliases)),
        operations=operations,
        schemas=builder.schemas,
        security_schemes=tuple(builder.schemes.values()),
        base_path=default_base_path(spec),
        openapi_json=json.dumps(spec.raw, ensure_ascii=False, separators=(",", ":")),
        unserved=unserved,
    )


def _build_operations(builder: Builder) -> tuple[tuple[Operation, ...], tuple[UnservedOperation, ...]]:
    builder.schemes.update({scheme.name: scheme for scheme in security_schemes(builder)})
    return build_operations(builder)


def _ignore(problem: Problem) -> None:
    """Where warnings go when nobody listens."""


def default_base_path(spec: Spec) -> str:
    """The path of the first server URL (``/v1.0`` for Graph), or no prefix."""
    servers = spec.document.get("servers") or [{}]
    url = servers[0].get("url", "") if isinstance(servers[0], dict) else ""
    path = urlsplit(url).path if "://" in url else url
    return "/" + path.strip("/") if path.strip("/") and "{" not in path else ""
