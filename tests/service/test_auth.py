"""Service authentication: token files, JWTs (HS256/RS256, exp/nbf, scp/roles), and tokens never logged."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from service.app import ServiceApp
from service.auth import ALL_SCOPES, JwtSettings, ServiceAuthenticator, dev_tokens, load_tokens
from service.sqlite_store import SqliteStore
from tests.server.conftest import request
from tests.service.conftest import BASE, READ, TOKENS, WRITE

SECRET = "s" * 32


def app_with(tmp_path: Path, settings: JwtSettings | None) -> ServiceApp:
    return ServiceApp(SqliteStore(tmp_path / "db.sqlite"), ServiceAuthenticator(TOKENS, settings))


def token(key: Any, algorithm: str = "HS256", **claims: Any) -> str:
    now = int(time.time())
    return jwt.encode({"sub": "user-1", "exp": now + 60, "nbf": now - 5, **claims}, key, algorithm=algorithm)


def status(app: ServiceApp, bearer: str, method: str = "POST") -> int:
    headers = {"Authorization": f"Bearer {bearer}"}
    return request(app, method, BASE, json={} if method == "POST" else None, headers=headers).status_code


def test_hs256_scopes_from_scp_and_roles(tmp_path: Path) -> None:
    app = app_with(tmp_path, JwtSettings(SECRET, "HS256"))
    assert status(app, token(SECRET, scp=f"openid {WRITE}")) == 201
    assert status(app, token(SECRET, roles=[WRITE])) == 201
    assert status(app, token(SECRET, scp=READ)) == 403
    assert status(app, token(SECRET, scp=READ), "GET") == 200
    assert status(app, "rw") == 201  # static tokens still work beside JWTs


@pytest.mark.parametrize(
    "claims",
    [{"exp": int(time.time()) - 10}, {"nbf": int(time.time()) + 3600}, {"exp": None}],
    ids=["expired", "not-yet-valid", "no-exp"],
)
def test_time_claims_are_honoured(tmp_path: Path, claims: dict[str, Any]) -> None:
    app = app_with(tmp_path, JwtSettings(SECRET, "HS256"))
    raw = {k: v for k, v in claims.items() if v is not None}
    bearer = jwt.encode({"scp": WRITE, "nbf": int(time.time()) - 5, **raw}, SECRET, algorithm="HS256")
    if "exp" not in claims:
        bearer = token(SECRET, scp=WRITE, **raw)
    assert status(app, bearer) == 401


def test_wrong_signature_algorithm_and_audience_are_401(tmp_path: Path) -> None:
    app = app_with(tmp_path, JwtSettings(SECRET, "HS256", audience="api://x"))
    assert status(app, token("other-secret-other-secret-12345678", scp=WRITE, aud="api://x")) == 401
    assert status(app, token(SECRET, scp=WRITE, aud="api://other")) == 401
    assert status(app, token(SECRET, scp=WRITE, aud="api://x")) == 201
    none_alg = jwt.encode({"scp": WRITE, "exp": int(time.time()) + 60}, "", algorithm="none")
    assert status(app, none_alg) == 401


def test_rs256_with_a_public_key(tmp_path: Path) -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    app = app_with(tmp_path, JwtSettings(public, "RS256"))
    assert status(app, token(private, "RS256", scp=WRITE)) == 201
    assert status(app, token(SECRET, "HS256", scp=WRITE)) == 401  # algorithm confusion refused


def test_token_files(tmp_path: Path) -> None:
    good = tmp_path / "tokens.json"
    good.write_text(json.dumps({"abc": [READ]}))
    assert load_tokens(good) == {"abc": [READ]}
    for content in ("[]", '{"abc": "not-a-list"}', '{"": []}', "{not json"):
        bad = tmp_path / "bad.json"
        bad.write_text(content)
        with pytest.raises(ValueError, match=r"bad\.json"):
            load_tokens(bad)
    generated = dev_tokens()
    assert len(generated) == 1
    assert list(generated.values()) == [list(ALL_SCOPES)]
    assert len(next(iter(generated))) >= 32


def test_tokens_are_never_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    app = app_with(tmp_path, JwtSettings(SECRET, "HS256"))
    bearer = token(SECRET, scp=WRITE)
    with caplog.at_level(logging.DEBUG):
        for value in ("rw", bearer, "wrong-token-value"):
            request(app, "GET", BASE, headers={"Authorization": f"Bearer {value}"})
    assert "request-id=" in caplog.text
    for secret in ("wrong-token-value", bearer, "Bearer"):
        assert secret not in caplog.text
