"""Service authentication: token files, JWTs (HS256/RS256, exp/nbf, aud/iss, scp/roles), and tokens never logged."""

from __future__ import annotations

import datetime
import json
import logging
import stat
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from service import auth
from service.app import ServiceApp
from service.auth import ALL_SCOPES, JwtSettings, ServiceAuthenticator, dev_tokens, load_tokens
from service.sqlite_store import SqliteStore
from tests.server.conftest import request
from tests.service.conftest import BASE, READ, TOKENS, WRITE

SECRET = "s" * 32
AUD, ISS = "api://userstatuses", "https://login.example/tenant/v2.0"


def hs256(**options: Any) -> JwtSettings:
    return JwtSettings(SECRET, "HS256", AUD, ISS, **options)


def app_with(tmp_path: Path, settings: JwtSettings | None, tokens: dict[str, list[str]] = TOKENS) -> ServiceApp:
    return ServiceApp(SqliteStore(tmp_path / "db.sqlite"), ServiceAuthenticator(tokens, settings))


def token(key: Any, algorithm: str = "HS256", **claims: Any) -> str:
    now = int(time.time())
    claims = {"sub": "user-1", "aud": AUD, "iss": ISS, "exp": now + 60, "nbf": now - 5, **claims}
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, key, algorithm=algorithm)


def status(app: ServiceApp, bearer: str, method: str = "POST") -> int:
    headers = {"Authorization": f"Bearer {bearer}"}
    return request(app, method, BASE, json={} if method == "POST" else None, headers=headers).status_code


def pem(key: rsa.RSAPublicKey | ec.EllipticCurvePublicKey) -> str:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def test_hs256_scopes_from_scp_and_roles(tmp_path: Path) -> None:
    app = app_with(tmp_path, hs256())
    assert status(app, token(SECRET, scp=f"openid {WRITE}")) == 201
    assert status(app, token(SECRET, roles=[WRITE])) == 201
    assert status(app, token(SECRET, scp=READ)) == 403
    assert status(app, token(SECRET, scp=READ), "GET") == 200
    assert status(app, "rw") == 201  # static tokens still work beside JWTs


@pytest.mark.parametrize(
    "claims",
    [
        {"scp": [f"openid {WRITE} profile"]},  # str() of this list used to contain the write scope
        {"scp": {"scope": WRITE}},
        {"scp": 1},
        {"scp": False},
        {"roles": WRITE},  # a string, not an array
        {"roles": [WRITE, 1]},
        {"roles": {"0": WRITE}},
    ],
    ids=["scp-array", "scp-object", "scp-number", "scp-false", "roles-string", "roles-mixed", "roles-object"],
)
def test_scp_must_be_a_string_and_roles_an_array_of_strings(tmp_path: Path, claims: dict[str, Any]) -> None:
    app = app_with(tmp_path, hs256())
    response = request(app, "POST", BASE, json={}, headers={"Authorization": f"Bearer {token(SECRET, **claims)}"})
    assert response.status_code == 401
    assert "scp must be a string" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "claims",
    [{"exp": int(time.time()) - 10}, {"nbf": int(time.time()) + 3600}, {"exp": None}],
    ids=["expired", "not-yet-valid", "no-exp"],
)
def test_time_claims_are_honoured(tmp_path: Path, claims: dict[str, Any]) -> None:
    app = app_with(tmp_path, hs256())
    assert status(app, token(SECRET, scp=WRITE)) == 201
    assert status(app, token(SECRET, scp=WRITE, **claims)) == 401


def test_wrong_signature_algorithm_audience_and_issuer_are_401(tmp_path: Path) -> None:
    app = app_with(tmp_path, hs256())
    assert status(app, token(SECRET, scp=WRITE)) == 201
    assert status(app, token("other-secret-other-secret-12345678", scp=WRITE)) == 401
    for claims in ({"aud": "api://other"}, {"aud": None}, {"iss": "https://evil.example"}, {"iss": None}):
        assert status(app, token(SECRET, scp=WRITE, **claims)) == 401, claims
    none_alg = jwt.encode({"scp": WRITE, "aud": AUD, "iss": ISS, "exp": int(time.time()) + 60}, "", algorithm="none")
    assert status(app, none_alg) == 401


def test_known_static_tokens_come_first_and_only_jwts_are_verified(tmp_path: Path) -> None:
    looks_like_a_jwt = token("some-other-issuers-secret-0123456789", scp=READ)
    tokens = {**TOKENS, "ab.cd.ef": [READ, WRITE], looks_like_a_jwt: [READ, WRITE]}
    app = app_with(tmp_path, hs256(), tokens)
    assert status(app, "ab.cd.ef") == 201  # two dots, but a known static token
    assert status(app, looks_like_a_jwt) == 201  # listed as a static token: its signature is not the question
    for unknown in ("ab.cd.eg", "not-a-jwt", token("some-other-issuers-secret-0123456789", scp=WRITE)):
        assert status(app, unknown) == 401, unknown
    assert status(app, token(SECRET, scp=WRITE)) == 201


def test_rs256_with_a_public_key_or_certificate(tmp_path: Path) -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    app = app_with(tmp_path, JwtSettings(pem(private.public_key()), "RS256", AUD, ISS))
    assert status(app, token(private, "RS256", scp=WRITE)) == 201
    assert status(app, token(SECRET, "HS256", scp=WRITE)) == 401  # algorithm confusion refused
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "issuer")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(private.public_key())
        .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
        .sign(private, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)
    )  # fmt: skip
    assert auth.rsa_public_key(certificate).public_numbers() == private.public_key().public_numbers()


def test_only_usable_jwt_settings_can_be_built() -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    good = pem(private.public_key())
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - too small on purpose
    refused = {
        "a": ("HS256", "at least 32 bytes"),
        "s" * 31: ("HS256", "at least 32 bytes"),
        "garbage": ("RS256", "not a PEM public key"),
        good.replace("A", "B"): ("RS256", "not a PEM public key"),
        pem(ec.generate_private_key(ec.SECP256R1()).public_key()): ("RS256", "not an RSA key"),
        pem(small.public_key()): ("RS256", "1024 bits"),
        private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode(): ("RS256", "private key"),
    }
    for key, (algorithm, message) in refused.items():
        with pytest.raises(ValueError, match=message):
            JwtSettings(key, algorithm, AUD, ISS)  # type: ignore[arg-type]
    for audience, issuer in ((None, None), (AUD, None), (None, ISS)):
        with pytest.raises(ValueError, match="--jwt-audience and --jwt-issuer"):
            JwtSettings(good, "RS256", audience, issuer)
        JwtSettings(good, "RS256", audience, issuer, any_audience=True)


def test_any_audience_is_explicit(tmp_path: Path) -> None:
    app = app_with(tmp_path, JwtSettings(SECRET, "HS256", any_audience=True))
    assert status(app, token(SECRET, scp=WRITE, aud="api://some-other-api", iss="https://anyone.example")) == 201


def test_token_files(tmp_path: Path) -> None:
    good = tmp_path / "tokens.json"
    good.write_text(json.dumps({"abc": [READ]}))
    assert load_tokens(good) == {"abc": [READ]}
    for content in ("[]", '{"abc": "not-a-list"}', '{"": []}', "{not json"):
        bad = tmp_path / "bad.json"
        bad.write_text(content)
        with pytest.raises(ValueError, match=r"bad\.json"):
            load_tokens(bad)
    generated, where = dev_tokens()
    assert len(generated) == 1
    assert list(generated.values()) == [list(ALL_SCOPES)]
    assert len(next(iter(generated))) >= 32
    assert where.startswith("not kept")


def test_the_dev_token_is_kept_next_to_the_database_and_reused(tmp_path: Path) -> None:
    keep = tmp_path / "var" / "dev-token"
    first, where = dev_tokens(keep)
    assert where == f"kept in {keep}: delete it for a new one"
    assert stat.S_IMODE(keep.stat().st_mode) == 0o600  # a credential: the owner's only
    again, _ = dev_tokens(keep)
    assert again == first
    keep.write_text("not a token\n")  # garbled (or hand-edited): replaced by a new one, never trusted
    replaced, _ = dev_tokens(keep)
    assert next(iter(replaced)) not in ("not a token", next(iter(first)))
    assert keep.read_text().strip() == next(iter(replaced))


def test_a_dev_token_that_cannot_be_kept_still_works(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    tokens, where = dev_tokens(tmp_path / "file" / "dev-token")  # its folder is a file: cannot be written
    assert len(next(iter(tokens))) >= 32
    assert where.startswith(f"not kept ({tmp_path / 'file' / 'dev-token'}:")


def test_tokens_are_never_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    app = app_with(tmp_path, hs256())
    bearer = token(SECRET, scp=WRITE)
    with caplog.at_level(logging.DEBUG):
        for value in ("rw", bearer, "wrong-token-value", token(SECRET, scp=[WRITE])):
            request(app, "GET", BASE, headers={"Authorization": f"Bearer {value}"})
    assert "request-id=" in caplog.text
    for secret in ("wrong-token-value", bearer, "Bearer", SECRET):
        assert secret not in caplog.text
