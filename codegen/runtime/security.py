# Runtime of every generated server: copied verbatim by codegen.server (line 1 becomes the @generated header).
"""Who may call an operation: the ``Authenticator`` interface and the authenticators the runtime ships."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Protocol

from .context import Principal, RequestContext
from .errors import Forbidden, Unauthorized

#: Security alternatives: any one must be met; each maps security scheme names to the scopes it needs.
Security = tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]


class Authenticator(Protocol):
    """Decides who is calling and whether they may; raise Unauthorized (401) or Forbidden (403)."""

    async def __call__(self, ctx: RequestContext, security: Security) -> Principal: ...


def satisfies(granted: frozenset[str], security: Security, bearer_schemes: frozenset[str]) -> bool:
    """True when one alternative only names bearer-token schemes and all its scopes are granted."""
    return any(
        all(name in bearer_schemes and set(scopes) <= granted for name, scopes in alternative)
        for alternative in security
    )


class BearerTokens:
    """Static bearer tokens, each with its scopes. Tokens are kept and compared only as BLAKE2s digests (hashlib's
    own BLAKE2s costs half of what OpenSSL's SHA-256 does for a short token, and it runs on every request)."""

    def __init__(self, tokens: Mapping[str, Iterable[str]], bearer_schemes: Iterable[str]) -> None:
        self._principals = {
            key: Principal(subject="token:" + key.hex()[:12], scopes=frozenset(scopes))
            for key, scopes in ((_digest(token), scopes) for token, scopes in tokens.items())
        }
        self._schemes = frozenset(bearer_schemes)
        self._decisions: dict[tuple[frozenset[str], Security], bool] = {}

    async def __call__(self, ctx: RequestContext, security: Security) -> Principal:
        principal = self._principals.get(_digest(bearer_token(ctx.headers)))
        if principal is None:
            raise Unauthorized("Access token validation failure: the token is not recognised.")
        decision = self._decisions.get((principal.scopes, security))
        if decision is None:
            decision = self._decisions[(principal.scopes, security)] = satisfies(
                principal.scopes, security, self._schemes
            )
        if not decision:
            raise Forbidden("Insufficient privileges to complete the operation.")
        return principal


class NoAuthentication:
    """Lets every request through with every scope: for local experiments only, never for a deployment."""

    async def __call__(self, ctx: RequestContext, security: Security) -> Principal:
        return Principal(subject="anonymous", scopes=frozenset(s for alt in security for _, ss in alt for s in ss))


def bearer_token(headers: Mapping[str, str]) -> str:
    """The token of an ``Authorization: Bearer ...`` header; Unauthorized when there is none."""
    value = headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Access token is empty." if not value else "Authorization header is not a bearer token.")
    return token.strip()


def _digest(token: str) -> bytes:
    return hashlib.blake2s(token.encode("utf-8", "surrogateescape")).digest()
