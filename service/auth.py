"""Bearer-token authentication for the service: static tokens from a file, or JWTs verified with a key.

Tokens are compared as SHA-256 digests (a dictionary lookup, so timing says nothing about the token) and
never logged. JWTs carry their scopes in ``scp`` (space-separated, delegated) or ``roles`` (application).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt

from generated.server import (
    BEARER_SCHEMES,
    BearerTokens,
    Forbidden,
    Principal,
    RequestContext,
    Security,
    Unauthorized,
    bearer_token,
    bearer_tokens,
    satisfies,
)

ALL_SCOPES = ("DeviceManagementApps.Read.All", "DeviceManagementApps.ReadWrite.All")


def load_tokens(path: Path) -> dict[str, list[str]]:
    """A JSON object mapping each token to its list of scopes; ValueError says what is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"cannot read tokens from {path}: {error}") from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and k and isinstance(v, list) and all(isinstance(s, str) for s in v) for k, v in data.items()
    ):
        raise ValueError(f"{path} must hold a JSON object mapping each token to a list of scopes")
    return data


def dev_tokens() -> dict[str, list[str]]:
    """One random token with every scope, for a sandbox started without a tokens file."""
    return {secrets.token_urlsafe(24): list(ALL_SCOPES)}


@dataclass(frozen=True)
class JwtSettings:
    key: str
    algorithm: str  # "HS256" (shared secret) or "RS256" (public key, PEM)
    audience: str | None = None
    issuer: str | None = None


class ServiceAuthenticator:
    """Static tokens first; tokens that look like JWTs are verified when JWT settings are given."""

    def __init__(self, tokens: Mapping[str, Iterable[str]], jwt_settings: JwtSettings | None = None) -> None:
        self._static: BearerTokens = bearer_tokens(tokens)
        self._jwt = jwt_settings

    async def __call__(self, ctx: RequestContext, security: Security) -> Principal:
        token = bearer_token(ctx.headers)
        if self._jwt is None or token.count(".") != 2:
            return await self._static(ctx, security)
        principal = _verify(token, self._jwt)
        if not satisfies(principal.scopes, security, BEARER_SCHEMES):
            raise Forbidden("Insufficient privileges to complete the operation.")
        return principal


def _verify(token: str, settings: JwtSettings) -> Principal:
    """Check signature, ``exp``/``nbf`` (and audience/issuer when configured); read the scopes."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            settings.key,
            algorithms=[settings.algorithm],
            audience=settings.audience,
            issuer=settings.issuer,
            options={"require": ["exp"], "verify_aud": settings.audience is not None},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthorized("Access token has expired.") from None
    except jwt.ImmatureSignatureError:
        raise Unauthorized("Access token is not valid yet.") from None
    except jwt.InvalidTokenError:
        raise Unauthorized("Access token validation failure.") from None
    scopes = set(str(claims.get("scp", "")).split())
    roles = claims.get("roles")
    if isinstance(roles, list):
        scopes.update(role for role in roles if isinstance(role, str))
    subject = str(claims.get("sub") or claims.get("oid") or "jwt")
    return Principal(subject=subject, scopes=frozenset(scopes))
