"""``build``: the whole spec as one ``Api``, from its security schemes, operations and their types."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from codegen import naming
from codegen.build.builder import Builder
from codegen.build.operations import build_operations
from codegen.build.security import security_schemes
from codegen.ir import Api
from codegen.spec import Spec


def build(spec: Spec, package: str | None = None) -> Api:
    """The IR of ``spec``; SpecError listing every construct the server target cannot serve faithfully."""
    builder = Builder(spec)
    schemes = security_schemes(builder)
    builder.schemes.update({scheme.name: scheme for scheme in schemes})
    operations = build_operations(builder)
    builder.raise_problems()
    builder.embed_all()
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
