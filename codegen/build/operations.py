"""Operations: one per method of each path, with unique handler names and a router that can serve them."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from codegen import naming
from codegen.build.bodies import request_body
from codegen.build.builder import Builder
from codegen.build.parameters import parameters
from codegen.build.responses import responses, success
from codegen.build.security import query_credentials, requirements
from codegen.ir import Body, Operation, Response, UnservedOperation
from codegen.pointer import pointer_text
from codegen.runtime.routing import RouteError, Router, parameter_names
from codegen.spec.walk import OperationSite, operations

#: Handler methods may not take names the runtime uses on the handlers object.
_RESERVED_METHODS = frozenset({"authenticate"})
_ORDER = {"path": 0, "query": 1, "header": 2, "cookie": 3}


def build_operations(builder: Builder) -> tuple[tuple[Operation, ...], tuple[UnservedOperation, ...]]:
    """Every operation, sorted by path and method: those served, and those ``builder.unserved`` leaves out
    (only routed). Overlapping or unservable paths are problems, whichever kind their operations are."""
    for path, item in builder.document.get("paths", {}).items():
        if "$ref" in item:
            builder.problem(("paths", path, "$ref"), "path item $ref is not supported")
    sites = [site for site in operations(builder.document) if "$ref" not in site.item]
    built: list[Operation] = []
    unserved: list[UnservedOperation] = []
    for site, name in zip(sites, handler_names(sites), strict=True):
        reason = builder.unserved.get(site.pointer)
        if reason is None:
            built.append(_operation(builder, site, operation_id(site), name))
        else:
            unserved.append(UnservedOperation(operation_id(site), name, site.method.upper(), site.path, reason))
    ordered = tuple(sorted(built, key=lambda o: (o.path, o.http_method)))
    left_out = tuple(sorted(unserved, key=lambda o: (o.path, o.http_method)))
    routes = [(op.path, op.http_method, op.method_name) for op in ordered]
    _check_routes(builder, routes + [(op.path, op.http_method, op.method_name) for op in left_out])
    return ordered, left_out


def operation_id(site: OperationSite) -> str:
    return str(site.operation.get("operationId") or f"{site.method} {site.path}")


def handler_names(sites: list[OperationSite]) -> list[str]:
    """Each operation's Python name: the last dotted part of its operationId when that is unique (Graph's ids
    are long), else all of it. The client target names its functions alike, so both halves agree."""
    ids = [operation_id(site) for site in sites]
    short = [naming.snake(i.rsplit(".", 1)[-1]) for i in ids]
    uses = Counter(short)
    scope = naming.Scope(_RESERVED_METHODS)
    return [scope.claim(s if uses[s] == 1 else naming.snake(i)) for i, s in zip(ids, short, strict=True)]


def _operation(builder: Builder, site: OperationSite, operation_id: str, method_name: str) -> Operation:
    op = site.operation
    constant = builder.constants.claim(naming.constant(method_name))
    model_hint = naming.pascal(method_name)
    params = parameters(builder, site, constant)
    with builder.part_of(site, "the request body"):
        body = request_body(builder, site, model_hint, constant) if "requestBody" in op else None
    documented = responses(builder, site, model_hint, constant)
    main = success(documented)
    if body is not None and main is not None:
        body = replace(body, read_only=read_only(builder, body, main))
    security = requirements(builder, site)
    declared = {p.wire_name for p in params if p.location == "path"}
    with builder.part_of(site, ""):
        for missing in sorted(set(parameter_names(site.path)) - declared):
            builder.problem(site.pointer, f"path parameter {missing!r} is in the path but not declared")
    return Operation(
        operation_id=operation_id,
        method_name=method_name,
        constant=constant,
        http_method=site.method.upper(),
        path=site.path,
        summary=str(op.get("summary", "")).strip(),
        description=str(op.get("description", "")).strip(),
        parameters=tuple(sorted(params, key=lambda p: (not p.required, _ORDER[p.location], p.py_name))),
        body=body,
        responses=documented,
        success_status=int(main.status) if main and main.status.isdigit() else 200,
        success=main,
        returns=main.annotation if main else "None",
        security=security,
        credential_query_names=query_credentials(builder, security),
        pointer=pointer_text(site.pointer),
    )


def read_only(builder: Builder, body: Body, answer: Response) -> tuple[str, ...]:
    """The properties a JSON answer has and a closed JSON body does not accept (an update's ``id``): sending
    one is told as read-only, not as a property that does not exist."""
    sent, answered = builder.resolved(body.schema), builder.resolved(answer.schema)
    closed = sent.get("additionalProperties") is False or sent.get("unevaluatedProperties") is False
    accepted, returned = sent.get("properties"), answered.get("properties")
    if body.kind != "json" or answer.kind != "json" or not closed:
        return ()
    if not isinstance(accepted, dict) or not isinstance(returned, dict):
        return ()
    return tuple(sorted(str(name) for name in returned if name not in accepted))


def _check_routes(builder: Builder, routes: list[tuple[str, str, str]]) -> None:
    """Compile the router the generated server will compile: what it refuses, the generator refuses."""
    router: Router[str] = Router()
    for path, method, name in sorted(routes):
        try:
            router.add(path, method, name)
        except RouteError as error:
            builder.problem(("paths", path, method.lower()), str(error))
