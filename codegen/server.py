"""The server target: IR -> Jinja2 templates -> ``generated/server``, formatted with the pinned ruff.

Output file names are fixed here; nothing from the spec becomes a path.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from codegen.build import build
from codegen.files import header, read_tree
from codegen.fmt import format_tree
from codegen.ir import Api, LiteralAlias, Operation, RouteNode
from codegen.render import environment, render, to_json
from codegen.spec import Spec

MODULES = ("__init__", "app", "handlers", "models", "openapi", "operations", "runtime")
TOOL = "codegen (server target)"


def generate(spec: Spec, options: Any) -> dict[str, bytes]:
    api = build(spec, getattr(options, "package", None))
    env = environment()
    schemas = _schema_table(api)
    context = {
        "api": api,
        "header": header("x.py", spec.path.name, TOOL),
        "schemas": [(name, schema) for schema, name in schemas.items()],
        "validator": lambda schema: schemas[to_json(schema)],
        "query_names": lambda op: frozenset(
            [p.wire_name for p in op.parameters if p.location == "query"] + list(op.credential_query_names)
        ),
        "router": _route_literal(api.router),
        "bearer_schemes": frozenset(api.bearer_schemes),
        "model_names": sorted([a.name for a in api.aliases] + [m.name for m in api.models]),
        "alias_annotation": _alias_annotation,
        "operation_doc": _operation_doc,
    }
    with tempfile.TemporaryDirectory(prefix="codegen-server-") as tmp:
        root = Path(tmp)
        for module in MODULES:
            (root / f"{module}.py").write_text(render(env, f"server/{module}.py.j2", **context), encoding="utf-8")
        format_tree(root)
        return read_tree(root)


def _schema_table(api: Api) -> dict[str, str]:
    """Each distinct embedded schema once, named SCHEMA_<n> in order of first use."""
    table: dict[str, str] = {}

    def add(schema: Any) -> None:
        key = to_json(schema)
        table.setdefault(key, f"SCHEMA_{len(table)}")

    for op in api.operations:
        for param in op.parameters:
            add(param.schema)
        if op.body is not None:
            add(op.body.schema)
        for response in op.responses:
            if response.schema is not None:
                add(response.schema)
    return table


def _route_literal(node: RouteNode) -> tuple[Any, ...]:
    return (
        {segment: _route_literal(child) for segment, child in node.literals},
        _route_literal(node.parameter) if node.parameter else None,
        {method: (name, params) for method, name, params in node.endpoints},
    )


def _alias_annotation(alias: LiteralAlias) -> str:
    members = [v for v in alias.values if v is not None]
    parts = [f"Literal[{', '.join(repr(v) for v in members)}]"] if members else []
    return " | ".join(parts + (["None"] if None in alias.values else []))


def _operation_doc(op: Operation) -> str:
    lines = [op.summary or op.operation_id]
    if op.description and op.description != op.summary:
        lines += ["", op.description]
    lines += ["", f"{op.http_method} {op.path} (operationId {op.operation_id})"]
    return "\n".join(lines)
