"""Deliberately broken servers: each has one defect the contract suite must notice.

A mutant that survives the suite is a hole in the suite: strengthen the suite, don't drop the mutant.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, MutableMapping
from functools import cache
from typing import Any

import jsonschema_rs
import orjson

from codegen.build import build
from codegen.spec import load
from codegen.spec.embed import standalone
from generated.server import App, NoAuthentication, Receive, Scope, Send
from generated.server.openapi import OPENAPI_JSON
from generated.server.operations import OPERATIONS
from generated.server.runtime.operation import Operation, RequestBody
from generated.server.runtime.validation import Validator
from service.app import SUCCESS_HEADERS, ServiceApp
from service.handlers import UserStatusHandlers
from tests.conftest import SPEC

BODY_OPERATIONS = ("create_user_statuses", "update_user_statuses")

MUTANTS: dict[str, str] = {
    "enum_off": "complianceStatus is not checked against its enum",
    "int32_off": "devicesCount's int32 bounds are not checked",
    "date_time_unchecked": "formats (date-time) are not asserted",
    "unknown_properties_accepted": "additionalProperties: false is ignored",
    "any_content_type": "any Content-Type is accepted for JSON bodies",
    "malformed_json_500": "malformed JSON answers 500",
    "create_200": "create answers 200 instead of 201",
    "drop_property": "responses lose userPrincipalName",
    "auth_off": "no authentication is enforced",
    "delete_keeps": "DELETE answers 204 but keeps the status",
    "unkept_property": "the spec gains deviceName, which create accepts and does not keep: a spec change "
    "without its handler",
}
#: The property ``unkept_property`` adds to the spec's status schemas, as a spec change would.
NEW_PROPERTY = ("deviceName", {"description": "Name of the device.", "type": ["string", "null"], "maxLength": 256})
_STATUS_SCHEMAS = (
    "managedDeviceMobileAppConfigurationUserStatus",
    "managedDeviceMobileAppConfigurationUserStatusUpdate",
)


@cache
def _body_schema(operation: str) -> dict[str, Any]:
    api = build(load(SPEC))
    op = next(o for o in api.operations if o.method_name == operation)
    assert op.body is not None
    assert op.body.validator is not None
    return standalone({schema.name: schema.value for schema in api.schemas}, op.body.validator)


def _without(schema: Any, keys: tuple[str, ...]) -> Any:
    if isinstance(schema, dict):
        return {k: _without(v, keys) for k, v in schema.items() if k not in keys}
    if isinstance(schema, list):
        return [_without(v, keys) for v in schema]
    return schema


def _compile(schema: dict[str, Any], formats: bool = True) -> Validator:
    validator: Validator = jsonschema_rs.Draft202012Validator(schema, validate_formats=formats)
    return validator


def _bodies(change: Callable[[Operation], Any]) -> dict[str, Operation]:
    """OPERATIONS with the body spec of create and update replaced by ``change(op)``."""
    operations = dict(OPERATIONS)
    for name in BODY_OPERATIONS:
        operations[name] = dataclasses.replace(operations[name], body=change(operations[name]))
    return operations


def _body(op: Operation) -> RequestBody:
    assert op.body is not None
    return op.body


def spec_for(mutant: str, document: dict[str, Any]) -> dict[str, Any]:
    """The spec the suite holds the mutant to: ours, but with ``NEW_PROPERTY`` for ``unkept_property``."""
    if mutant != "unkept_property":
        return document
    changed = copy.deepcopy(document)
    for name in _STATUS_SCHEMAS:
        changed["components"]["schemas"][name]["properties"][NEW_PROPERTY[0]] = NEW_PROPERTY[1]
    return changed


def _with_new_property(schema: dict[str, Any]) -> dict[str, Any]:
    """A body schema (``standalone``: a ``$ref`` into ``$defs``) that also accepts ``NEW_PROPERTY``."""
    changed = copy.deepcopy(schema)
    changed["$defs"][schema["$ref"].rsplit("/", 1)[-1]]["properties"][NEW_PROPERTY[0]] = NEW_PROPERTY[1]
    return changed


def _validators(transform: Callable[[dict[str, Any]], Any], formats: bool = True) -> dict[str, Operation]:
    def change(op: Operation) -> Any:
        return dataclasses.replace(_body(op), validator=_compile(transform(_body_schema(op.method_name)), formats))

    return _bodies(change)


def operations_for(mutant: str | None) -> dict[str, Operation]:
    if mutant == "enum_off":
        return _validators(lambda s: _without(s, ("enum",)))
    if mutant == "int32_off":
        return _validators(lambda s: _without(s, ("minimum", "maximum")))
    if mutant == "date_time_unchecked":
        return _validators(lambda s: s, formats=False)
    if mutant == "unknown_properties_accepted":
        return _validators(lambda s: _without(s, ("additionalProperties",)))
    if mutant == "unkept_property":  # regenerated from the changed spec; the store has no column for it
        return _validators(_with_new_property)
    if mutant == "any_content_type":
        return _bodies(lambda op: dataclasses.replace(_body(op), media_types=("*/*",)))
    if mutant == "create_200":
        operations = dict(OPERATIONS)
        create = operations["create_user_statuses"]
        operations["create_user_statuses"] = dataclasses.replace(create, success_status=200)
        return operations
    return dict(OPERATIONS)


class _DroppingHandlers(UserStatusHandlers):
    """Loses one property from every status it returns."""

    def _drop(self, result: Any) -> Any:
        if isinstance(result, dict) and "value" in result:
            return {**result, "value": [self._drop(item) for item in result["value"]]}
        if isinstance(result, dict):
            return {k: v for k, v in result.items() if k != "userPrincipalName"}
        return result

    async def create_user_statuses(self, ctx: Any, **kwargs: Any) -> Any:
        return self._drop(await super().create_user_statuses(ctx, **kwargs))

    async def get_user_statuses(self, ctx: Any, **kwargs: Any) -> Any:
        return self._drop(await super().get_user_statuses(ctx, **kwargs))

    async def update_user_statuses(self, ctx: Any, **kwargs: Any) -> Any:
        return self._drop(await super().update_user_statuses(ctx, **kwargs))

    async def list_user_statuses(self, ctx: Any, **kwargs: Any) -> Any:
        return self._drop(await super().list_user_statuses(ctx, **kwargs))


class _KeepingHandlers(UserStatusHandlers):
    """Says it deleted, deletes nothing."""

    async def delete_user_statuses(self, ctx: Any, **kwargs: Any) -> None:
        return None


class _MalformedJson500:
    """Answers 500 to any request whose body is present but not JSON."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PATCH"):
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        try:
            if body:
                orjson.loads(body)
        except orjson.JSONDecodeError:
            await send({"type": "http.response.start", "status": 500, "headers": [(b"content-type", b"text/plain")]})
            await send({"type": "http.response.body", "body": b"boom"})
            return
        replayed = False

        async def replay() -> MutableMapping[str, Any]:
            nonlocal replayed
            if replayed:
                return {"type": "http.disconnect"}
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def apply(mutant: str | None, service: ServiceApp, tokens: dict[str, list[str]]) -> Any:
    """The service app with the mutant's defect built in (unchanged when ``mutant`` is None)."""
    if mutant is None:
        return service
    if mutant not in MUTANTS:
        raise ValueError(f"unknown mutant {mutant!r}; known: {', '.join(MUTANTS)}")
    handler_class = {"drop_property": _DroppingHandlers, "delete_keeps": _KeepingHandlers}.get(
        mutant, UserStatusHandlers
    )
    handlers = handler_class(service.store)
    authenticator = NoAuthentication() if mutant == "auth_off" else service.api_authenticator
    service.api = App(
        handlers,
        operations=operations_for(mutant),
        authenticator=authenticator,
        openapi_json=OPENAPI_JSON,
        base_path="/v1.0",
        success_headers=SUCCESS_HEADERS,
    )
    return _MalformedJson500(service) if mutant == "malformed_json_500" else service


def main(argv: list[str] | None = None) -> None:
    """Serve a mutant over HTTP, to run the suite (or curl) against it as against any server."""
    import argparse

    import uvicorn

    from tests.contract.inprocess import TOKENS, in_process_target

    parser = argparse.ArgumentParser(prog="python -m tests.contract.mutants", description=main.__doc__)
    parser.add_argument("mutant", choices=sorted(MUTANTS))
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args(argv)
    target = in_process_target(args.mutant)
    tokens = ", ".join(f"{token} ({' '.join(scopes)})" for token, scopes in TOKENS.items())
    print(f"mutant {args.mutant} ({MUTANTS[args.mutant]}) on http://127.0.0.1:{args.port}/v1.0; tokens: {tokens}")
    try:
        uvicorn.run(target.app, host="127.0.0.1", port=args.port, log_level="warning")
    finally:
        target.cleanup()


if __name__ == "__main__":
    main()
