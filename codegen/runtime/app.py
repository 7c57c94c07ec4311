# Runtime of every generated server: copied verbatim by codegen.server (line 1 becomes the @generated header).
"""The ASGI application: routes a request to its operation, checks it against the spec, calls the handler."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Final, NamedTuple
from urllib.parse import urlsplit

import orjson

from .asgi import Receive, Scope, Send, headers_of, lifespan, segments
from .bodies import media_type, read_request_body
from .context import Reply, RequestContext, new_request_id
from .errors import HttpError, InternalError, MethodNotAllowed, NotFound, Unimplemented, error_reply, printable
from .operation import Operation, Response, Unserved
from .parameters import read_parameters
from .routing import Router, parameter_names
from .security import Authenticator
from .validation import violations

KiB: Final = 1024
MiB: Final = 1024 * KiB
#: Defaults of the limits ``create_app`` takes: see the README's "Security and limits".
MAX_HEADERS: Final = 100
MAX_HEADER_BYTES: Final = 32 * KiB
MAX_JSON_DEPTH: Final = 64
_SAFE_ID: Final = re.compile(r"^[\x21-\x7e]{1,200}$")
_UNDOCUMENTED_JSON: Final = Response("application/json", "json")
_UNDOCUMENTED_EMPTY: Final = Response(None, None)
#: What a request is answered with: (status, extra headers, content type or None, body).
Answer = tuple[int, Sequence[tuple[bytes, bytes]], bytes | None, bytes]


class Endpoint(NamedTuple):
    """An operation bound to its handler: what the router hands back for a method on a path."""

    operation: Operation
    handler: Callable[..., Awaitable[Any]]
    #: Python names of the path parameters, in path order.
    path_names: tuple[str, ...]
    needs_auth: bool


class App:
    """The ASGI application. Build it with ``create_app`` from the generated ``app`` module."""

    def __init__(
        self,
        handlers: object,
        *,
        operations: Mapping[str, Operation],
        authenticator: Authenticator,
        unserved: Mapping[str, Unserved] | None = None,
        openapi_json: bytes,
        max_body_bytes: int = MiB,
        base_path: str = "",
        success_headers: Mapping[str, str] | None = None,
        validate_responses: bool = False,
        reject_unknown_query: bool = True,
        logger_name: str = __name__,
        public_url: str | None = None,
        max_headers: int = MAX_HEADERS,
        max_header_bytes: int = MAX_HEADER_BYTES,
        max_json_depth: int = MAX_JSON_DEPTH,
    ) -> None:
        missing = sorted(
            op.method_name for op in operations.values() if not callable(getattr(handlers, op.method_name, None))
        )
        if missing:
            raise TypeError(f"handlers lack the operation method(s): {', '.join(missing)}")
        self._base = [s for s in base_path.split("/") if s]
        self._base_path = "/" + "/".join(self._base) if self._base else ""
        self._public_root = _public_root(public_url, self._base_path) if public_url is not None else None
        self._router: Router[Endpoint | Unserved] = Router(self._base_path)
        for op in operations.values():
            self._router.add(op.path, op.http_method, _bind(op, handlers))
        for left_out in (unserved or {}).values():  # no handler: answered 501, saying why
            self._router.add(left_out.path, left_out.http_method, left_out)
        self._authenticator = authenticator
        self._openapi_json = openapi_json
        self._max_body = max_body_bytes
        self._success_headers = tuple(
            (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (success_headers or {}).items()
        )
        self._validate_responses = validate_responses
        self._reject_unknown_query = reject_unknown_query
        self._log = logging.getLogger(logger_name)
        self._max_headers, self._max_header_bytes = max_headers, max_header_bytes
        self._max_json_depth = max_json_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})  # the API has no websocket endpoints
            return
        if scope["type"] != "http":
            raise RuntimeError(f"unsupported ASGI scope type {scope['type']!r}")
        request_id = client_request_id = new_request_id()
        try:
            headers = headers_of(scope, self._max_headers, self._max_header_bytes)
            sent_id = headers.get("client-request-id")
            if sent_id is not None and _SAFE_ID.match(sent_id):
                client_request_id = sent_id
            status, extra, content_type, payload = await self._handle(
                scope, receive, headers, request_id, client_request_id
            )
        except HttpError as error:
            status, extra, content_type, payload = error_reply(error, request_id, client_request_id)
        except Exception:
            self._log.exception("unhandled error; request-id %s", request_id)
            failure = InternalError(
                "The service could not complete the request. Quote the request-id when reporting it."
            )
            status, extra, content_type, payload = error_reply(failure, request_id, client_request_id)
        encoded_id = request_id.encode()
        out = [
            (b"request-id", encoded_id),
            (b"client-request-id", encoded_id if client_request_id is request_id else client_request_id.encode()),
            *extra,
        ]
        if content_type is not None:
            out.append((b"content-type", content_type))
        if payload or status not in (204, 304):
            out.append((b"content-length", b"%d" % len(payload)))
        await send({"type": "http.response.start", "status": status, "headers": out})
        await send({"type": "http.response.body", "body": payload})

    async def _handle(
        self, scope: Scope, receive: Receive, headers: dict[str, str], request_id: str, client_request_id: str
    ) -> Answer:
        path = segments(scope)
        method = scope["method"]
        matched = self._router.match(path)
        if matched is None:
            if path == [*self._base, "openapi.json"] and method == "GET":
                return 200, [], b"application/json", self._openapi_json
            raise self._not_found(path)
        endpoints, captured = matched
        endpoint = endpoints.get(method)
        if endpoint is None:
            allow = ", ".join(sorted({*endpoints, "OPTIONS"}))
            if method == "OPTIONS":
                return 204, [(b"allow", allow.encode())], None, b""
            raise MethodNotAllowed(f"The HTTP method '{method}' is not allowed here.", headers={"Allow": allow})
        if isinstance(endpoint, Unserved):
            raise Unimplemented(endpoint.message)  # before authentication: no handler runs, nothing to guard
        op, handler, path_names, needs_auth = endpoint
        ctx = RequestContext(
            scope, headers, request_id, client_request_id, op.operation_id, self._base_path, self._public_root
        )
        if needs_auth:
            ctx.principal = await self._authenticator(ctx, op.security)
        path_values = dict(zip(path_names, captured, strict=True))
        kwargs = read_parameters(op, scope.get("query_string", b""), headers, path_values, self._reject_unknown_query)
        if op.body is not None:
            kwargs["body"] = await read_request_body(op.body, headers, receive, self._max_body, self._max_json_depth)
            if kwargs["body"] is not None and "content-type" in headers:
                ctx.media_type = media_type(headers["content-type"])[0]
        return self._reply(op, await handler(ctx, **kwargs))

    def _not_found(self, path: list[str]) -> NotFound:
        """Graph's 404, naming the first segment that matches no route (not the last one), and the segment the
        API has there that it most resembles."""
        if not path:
            return NotFound("Resource not found for the segment ''.")
        index, close = self._router.stop(path)
        hint = f" Did you mean '{close}'?" if close is not None else ""
        return NotFound(f"Resource not found for the segment '{path[index]}'.{hint}", target=path[index])

    def _reply(self, op: Operation, result: Any) -> Answer:
        extra: Sequence[tuple[bytes, bytes]] = self._success_headers
        status = op.success_status
        if isinstance(result, Reply):
            status = result.status or status
            extra = [*extra, *((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in result.headers.items())]
            result = result.body
        documented = op.response(status)
        if documented is None:
            if self._validate_responses:
                raise InternalError(f"Operation '{op.operation_id}' does not document status {status}.")
            documented = _UNDOCUMENTED_JSON if result is not None else _UNDOCUMENTED_EMPTY
        media, kind, validator = documented.media_type, documented.kind, documented.validator
        if self._validate_responses and validator is not None and not validator.is_valid(result):
            problems = violations(validator, result)
            self._log.error("response of %s breaks the spec: %s", op.operation_id, printable(problems))
            raise InternalError(f"The service produced a response that breaks the API contract: {problems[0][1]}")
        if status == 204 or kind is None:
            return status, extra, None, b""
        if kind == "json":
            return status, extra, (media or "application/json").encode(), orjson.dumps(result)
        if kind == "text":
            return status, extra, (media or "text/plain").encode(), str(result).encode()
        return status, extra, (media or "application/octet-stream").encode(), bytes(result)


def _public_root(public_url: str, base_path: str) -> str:
    """The public URL links start with (``https://api.example.com`` + base path); ValueError if it is not one."""
    parts = urlsplit(public_url)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or parts.query
        or parts.fragment
        or "@" in parts.netloc
    ):
        raise ValueError(f"public_url must be an http(s) URL without user, query or fragment: {public_url!r}")
    return public_url.rstrip("/") + base_path


def _bind(op: Operation, handlers: object) -> Endpoint:
    """The operation with its handler method resolved once, and its path parameters' Python names in order."""
    by_wire_name = {p.wire_name: p.py_name for p in op.parameters if p.location == "path"}
    path_names = tuple(by_wire_name.get(name, name) for name in parameter_names(op.path))
    needs_auth = bool(op.security) and () not in op.security
    return Endpoint(op, getattr(handlers, op.method_name), path_names, needs_auth)
