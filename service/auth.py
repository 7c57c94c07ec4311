"""Bearer-token authentication for the service: static tokens from a file, or JWTs verified with a key.

Tokens are compared as SHA-256 digests (a dictionary lookup, so timing says nothing about the token) and
never logged. A known static token is always a static token, whatever it looks like; any other token is
verified as a JWT only when JWT validation is configured and it parses as one. JWTs carry their scopes in
``scp`` (a space-separated string, delegated) or ``roles`` (an array of strings, application); any other
shape is refused, never converted.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import jwt
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

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
#: HS256's own key size: a shorter secret can be guessed offline from any one token signed with it.
MIN_SECRET_BYTES: Final = 32
MIN_RSA_BITS: Final = 2048


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


#: A kept dev token: what ``secrets.token_urlsafe(24)`` writes (a longer one is accepted, nothing else).
_DEV_TOKEN: Final = re.compile(r"[A-Za-z0-9_-]{32,128}")


def dev_tokens(keep: Path | None = None) -> tuple[dict[str, list[str]], str]:
    """One random token with every scope, for a sandbox started without a tokens file; kept in the file ``keep``
    (owner-only, 0600) and reused by the next start, so that clients and scripts survive a restart. Returns the
    tokens and where the token lives (or why it is not kept)."""
    if keep is None:
        return {secrets.token_urlsafe(24): list(ALL_SCOPES)}, "not kept: lasts until the service stops"
    try:
        kept = keep.read_text(encoding="ascii").strip() if keep.is_file() else ""
    except (OSError, UnicodeDecodeError):
        kept = ""
    if _DEV_TOKEN.fullmatch(kept):
        return {kept: list(ALL_SCOPES)}, f"kept in {keep}: delete it for a new one"
    token = secrets.token_urlsafe(24)
    try:
        keep.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(keep, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(token + "\n")
    except OSError as error:
        return {token: list(ALL_SCOPES)}, f"not kept ({keep}: {error.strerror}): lasts until the service stops"
    return {token: list(ALL_SCOPES)}, f"kept in {keep}: delete it for a new one"


def load_public_key(path: Path) -> rsa.RSAPublicKey:
    """The RSA public key in a PEM file (a public key or an X.509 certificate); ValueError says what is wrong."""
    try:
        pem = path.read_bytes()
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror}") from None
    return rsa_public_key(pem, str(path))


def rsa_public_key(pem: bytes, source: str = "the JWT public key") -> rsa.RSAPublicKey:
    """Parse at start what every RS256 check needs, so that a bad key stops the service instead of
    turning every request into a 500."""
    try:
        if b"-----BEGIN CERTIFICATE-----" in pem:
            key: object = x509.load_pem_x509_certificate(pem).public_key()
        else:
            key = serialization.load_pem_public_key(pem)
    except (ValueError, UnsupportedAlgorithm):
        if b"PRIVATE KEY-----" in pem:
            raise ValueError(f"{source} holds a private key: give the public key (PEM)") from None
        raise ValueError(f"{source} is not a PEM public key or certificate") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError(f"{source} is not an RSA key, which RS256 needs")
    if key.key_size < MIN_RSA_BITS:
        raise ValueError(f"{source} has {key.key_size} bits; RS256 needs at least {MIN_RSA_BITS}")
    return key


@dataclass(frozen=True)
class JwtSettings:
    """How JWTs are verified. Only a usable configuration can be built (ValueError otherwise): without an
    audience and an issuer a token minted for any other API by the same issuer, or by any issuer sharing the
    key, would be accepted, so leaving them out takes ``any_audience=True``."""

    key: str | rsa.RSAPublicKey  # HS256: the shared secret; RS256: the public key (a PEM string is parsed)
    algorithm: Literal["HS256", "RS256"]
    audience: str | None = None
    issuer: str | None = None
    any_audience: bool = False

    def __post_init__(self) -> None:
        if self.algorithm == "HS256":
            if not isinstance(self.key, str) or len(self.key.encode("utf-8")) < MIN_SECRET_BYTES:
                raise ValueError(f"the JWT secret must be at least {MIN_SECRET_BYTES} bytes long")
        elif self.algorithm == "RS256":
            if isinstance(self.key, str):
                object.__setattr__(self, "key", rsa_public_key(self.key.encode("utf-8")))
            elif not isinstance(self.key, rsa.RSAPublicKey):
                raise ValueError("RS256 needs an RSA public key")
        else:
            raise ValueError(f"unsupported JWT algorithm {self.algorithm!r}")
        if not self.any_audience and not (self.audience and self.issuer):
            raise ValueError(
                "JWT validation needs --jwt-audience and --jwt-issuer (else tokens issued for any other API "
                "are accepted); --insecure-any-audience accepts that risk"
            )


class ServiceAuthenticator:
    """Static tokens first; any other token is verified as a JWT when JWT settings are given."""

    def __init__(self, tokens: Mapping[str, Iterable[str]], jwt_settings: JwtSettings | None = None) -> None:
        self._static: BearerTokens = bearer_tokens(tokens)
        self._known = frozenset(_digest(token) for token in tokens)
        self._jwt = jwt_settings

    async def __call__(self, ctx: RequestContext, security: Security) -> Principal:
        if self._jwt is None:
            return await self._static(ctx, security)
        token = bearer_token(ctx.headers)
        if _digest(token) in self._known or not _parses_as_jwt(token):
            return await self._static(ctx, security)  # a known token, or a 401 for an unknown one
        principal = _verify(token, self._jwt)
        if not satisfies(principal.scopes, security, BEARER_SCHEMES):
            raise Forbidden("Insufficient privileges to complete the operation.")
        return principal


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).digest()


def _parses_as_jwt(token: str) -> bool:
    """Three base64url segments with a JSON header: the shape of a JWS compact token (not its validity)."""
    try:
        jwt.get_unverified_header(token)
    except jwt.InvalidTokenError:
        return False
    return True


def _verify(token: str, settings: JwtSettings) -> Principal:
    """Check signature, ``exp``/``nbf``, audience and issuer (when configured); read the scopes."""
    required = ["exp"]
    if settings.audience is not None:
        required.append("aud")
    if settings.issuer is not None:
        required.append("iss")
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            settings.key,
            algorithms=[settings.algorithm],
            audience=settings.audience,
            issuer=settings.issuer,
            options={"require": required, "verify_aud": settings.audience is not None},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthorized("Access token has expired.") from None
    except jwt.ImmatureSignatureError:
        raise Unauthorized("Access token is not valid yet.") from None
    except jwt.InvalidTokenError:
        raise Unauthorized("Access token validation failure.") from None
    scp, roles = claims.get("scp", ""), claims.get("roles", [])
    if not isinstance(scp, str) or not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise Unauthorized("Access token validation failure: scp must be a string and roles an array of strings.")
    subject = next((claims[k] for k in ("sub", "oid") if isinstance(claims.get(k), str) and claims[k]), "jwt")
    return Principal(subject=subject, scopes=frozenset(scp.split()) | frozenset(roles))
