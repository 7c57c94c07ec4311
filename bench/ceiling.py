"""The ceiling: one create, hand-written as one flat ASGI function that makes the generated server's checks.

Not a peer and not a product: the least Python can do per request and still check what the generated server
checks for this operation (route and method, header limits, bearer token digest and scope, path parameter,
query options, Content-Type, body size, JSON, depth, schema) and answer in Graph's format (request ids,
OData errors). It reuses the generated validators and the bench's in-memory handler, so the gap between it
and the generated server is the cost of the generated server's generality, and no more.
"""

from __future__ import annotations

import hashlib
from typing import Any, Final

import orjson

from bench.apps import PATH, TOKEN, MemoryHandlers
from generated.server.operations import OPERATIONS
from generated.server.runtime.context import new_request_id
from generated.server.runtime.validation import prepared, violations

_CREATE: Final = OPERATIONS["create_user_statuses"]
_BODY: Final = _CREATE.body.validator if _CREATE.body is not None else None
_CONFIG_ID: Final = _CREATE.parameters[0].validator
_PREFIX: Final = "/v1.0/deviceAppManagement/mobileAppConfigurations/"
_TOKENS: Final = {hashlib.blake2s(TOKEN.encode()).digest(): frozenset({"DeviceManagementApps.ReadWrite.All"})}
_NEEDED: Final = "DeviceManagementApps.ReadWrite.All"
_JSON: Final = b"application/json"
_handlers = MemoryHandlers()
assert PATH.startswith(_PREFIX)


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    request_id = new_request_id()
    status, payload = await _create(scope, receive)
    rid = request_id.encode()
    headers = [(b"request-id", rid), (b"client-request-id", rid), (b"content-type", _JSON),
               (b"content-length", b"%d" % len(payload))]  # fmt: skip
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


async def _create(scope: dict[str, Any], receive: Any) -> tuple[int, bytes]:
    raw = scope["headers"]
    if len(raw) > 100 or sum(len(name) + len(value) for name, value in raw) > 32768:
        return _error(431, "RequestHeaderFieldsTooLarge", "The request headers are too large.")
    authorization = content_type = b""
    for name, value in raw:
        if name == b"authorization":
            authorization = value
        elif name == b"content-type":
            content_type = value
    path: str = scope["path"]
    rest = path[len(_PREFIX) :].split("/") if path.startswith(_PREFIX) else []
    if len(rest) != 2 or rest[1] != "userStatuses":
        return _error(404, "ResourceNotFound", "Resource not found.")
    if scope["method"] != "POST":
        return _error(405, "MethodNotAllowed", "The HTTP method is not allowed here.")
    scopes = _TOKENS.get(hashlib.blake2s(authorization[7:]).digest()) if authorization[:7] == b"Bearer " else None
    if scopes is None:
        return _error(401, "InvalidAuthenticationToken", "Access token validation failure.")
    if _NEEDED not in scopes:
        return _error(403, "Forbidden", "Insufficient privileges to complete the operation.")
    if not _CONFIG_ID.is_valid(rest[0]):
        return _error(400, "BadRequest", "Invalid configuration id.")
    if scope["query_string"]:
        return _error(400, "BadRequest", "Query options are not supported.")
    if content_type.split(b";")[0].strip().lower() != _JSON:
        return _error(415, "UnsupportedMediaType", "Use application/json.")
    message = await receive()
    body = message.get("body", b"")
    while message.get("more_body"):
        message = await receive()
        body += message.get("body", b"")
        if len(body) > 1 << 20:
            return _error(413, "RequestEntityTooLarge", "The request body is too large.")
    try:
        value = prepared(orjson.loads(body), 64)
    except orjson.JSONDecodeError:
        return _error(400, "BadRequest", "The request body is not valid JSON.")
    if _BODY is None or not _BODY.is_valid(value):
        problems = violations(_BODY, value) if _BODY is not None else []
        return _error(400, "BadRequest", problems[0][1] if problems else "Invalid body.")
    created = await _handlers.create_user_statuses(None, managed_device_mobile_app_configuration_id=rest[0], body=value)  # type: ignore[arg-type]
    return 201, orjson.dumps(created)


def _error(status: int, code: str, message: str) -> tuple[int, bytes]:
    return status, orjson.dumps({"error": {"code": code, "message": message}})
