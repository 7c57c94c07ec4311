"""``python -m service`` options, run in-process with uvicorn's serving replaced: refusals to start (exit 2),
the dev token only without JWTs and labelled as such, and links from the configured public URL."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jwt
import pytest
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from service.__main__ import main
from tests.server.conftest import request
from tests.service.conftest import BASE, READ, WRITE

SECRET = "s" * 32
AUD, ISS = "api://userstatuses", "https://login.example/tenant/v2.0"
JWT_ARGS = ["--jwt-secret", SECRET, "--jwt-audience", AUD, "--jwt-issuer", ISS]


def run_main(monkeypatch: pytest.MonkeyPatch, argv: list[str], during: Callable[[Any], None] = lambda app: None) -> int:
    """``main(argv)``; instead of serving, ``during(app)`` runs while the store is open."""

    def fake_serve(server: uvicorn.Server, sockets: Any = None) -> None:
        during(server.config.app)

    def fake_run(app: Any, **options: Any) -> None:  # uvicorn's other entry point, should main call it
        during(app)

    monkeypatch.setattr(uvicorn.Server, "run", fake_serve)
    monkeypatch.setattr(uvicorn, "run", fake_run)
    return main(argv)


def jwt_for(**claims: Any) -> str:
    now = int(time.time())
    return jwt.encode({"aud": AUD, "iss": ISS, "exp": now + 60, **claims}, SECRET, algorithm="HS256")


def key_files(folder: Path, rsa_key: rsa.RSAPrivateKey) -> dict[str, str]:
    """PEM files, each unusable for RS256 in its own way except "good"."""
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - too small on purpose
    private = rsa_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    contents = {"garbage": b"garbage", "ec": public_pem(ec.generate_private_key(ec.SECP256R1())),
                "private": private, "small": public_pem(small), "good": public_pem(rsa_key)}  # fmt: skip
    for name, data in contents.items():
        (folder / f"{name}.pem").write_bytes(data)
    return {name: str(folder / f"{name}.pem") for name in contents}


def public_pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("short-secret", "at least 32 bytes"),
        ("garbage-key", "not a PEM public key"),
        ("ec-key", "not an RSA key"),
        ("private-key", "private key"),
        ("small-rsa-key", "1024 bits"),
        ("missing-key-file", "cannot read"),
        ("key-without-audience", "--jwt-audience and --jwt-issuer"),
        ("secret-without-issuer", "--jwt-audience and --jwt-issuer"),
        ("bad-public-url", "public_url"),
        ("not-a-database", "cannot open"),
    ],
)
def test_bad_settings_refuse_to_start_with_status_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], rsa_key: rsa.RSAPrivateKey,
    case: str, message: str,
) -> None:  # fmt: skip
    checks = ["--jwt-audience", AUD, "--jwt-issuer", ISS]
    keys = key_files(tmp_path, rsa_key)
    argv = {
        "short-secret": ["--jwt-secret", "a", *checks],
        "garbage-key": ["--jwt-public-key", keys["garbage"], *checks],
        "ec-key": ["--jwt-public-key", keys["ec"], *checks],
        "private-key": ["--jwt-public-key", keys["private"], *checks],
        "small-rsa-key": ["--jwt-public-key", keys["small"], *checks],
        "missing-key-file": ["--jwt-public-key", str(tmp_path / "absent.pem"), *checks],
        "key-without-audience": ["--jwt-public-key", keys["good"]],
        "secret-without-issuer": ["--jwt-secret", SECRET, "--jwt-audience", AUD],
        "bad-public-url": ["--public-url", "javascript:alert(1)//"],
        "not-a-database": ["--db", keys["garbage"]],  # the last --db wins
    }[case]
    assert run_main(monkeypatch, ["--db", str(tmp_path / "db.sqlite"), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("service: ")
    assert message in err
    assert "Traceback" not in err
    assert SECRET not in err


def test_any_audience_needs_the_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rsa_key: rsa.RSAPrivateKey
) -> None:
    key = key_files(tmp_path, rsa_key)["good"]
    statuses: list[int] = []

    def during(app: Any) -> None:
        bearer = jwt.encode({"scp": WRITE, "aud": "api://another", "exp": int(time.time()) + 60}, rsa_key, "RS256")
        statuses.append(request(app, "POST", BASE, json={}, headers={"Authorization": f"Bearer {bearer}"}).status_code)

    argv = ["--db", str(tmp_path / "db.sqlite"), "--jwt-public-key", key, "--insecure-any-audience"]
    assert run_main(monkeypatch, argv, during) == 0
    assert statuses == [201]


def test_no_dev_token_when_jwts_are_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    statuses: list[int] = []

    def during(app: Any) -> None:
        for bearer in (jwt_for(scp=WRITE), jwt_for(scp=READ), "any-static-token", "a.b.c"):
            response = request(app, "POST", BASE, json={}, headers={"Authorization": f"Bearer {bearer}"})
            statuses.append(response.status_code)

    assert run_main(monkeypatch, ["--db", str(tmp_path / "db.sqlite"), *JWT_ARGS], during) == 0
    assert statuses == [201, 403, 401, 401]
    out = capsys.readouterr().out
    assert "token" not in out.lower()


def test_the_dev_token_is_labelled_a_development_credential(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    statuses: list[int] = []

    def during(app: Any) -> None:
        out = capsys.readouterr().out
        assert "DEVELOPMENT CREDENTIAL, not for production" in out
        found = re.search(r"dev token: (\S+)", out)
        assert found is not None
        response = request(app, "POST", BASE, json={}, headers={"Authorization": f"Bearer {found[1]}"})
        statuses.append(response.status_code)

    assert run_main(monkeypatch, ["--db", str(tmp_path / "db.sqlite")], during) == 0
    assert statuses == [201]


def test_the_dev_token_survives_a_restart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    printed: list[str] = []

    def during(app: Any) -> None:
        out = capsys.readouterr().out
        found = re.search(r"dev token: (\S+) \(kept in (\S+): delete it for a new one\)", out)
        assert found is not None, out
        assert found[2] == str(tmp_path / "dev-token")
        printed.append(found[1])

    for _ in range(2):
        assert run_main(monkeypatch, ["--db", str(tmp_path / "db.sqlite")], during) == 0
    assert len(printed) == 2
    assert printed[0] == printed[1]


@pytest.mark.parametrize(
    ("argv", "root"),
    [
        (["--host", "127.0.0.2", "--port", "9000"], "http://127.0.0.2:9000/v1.0/"),
        (["--host", "::1", "--port", "9000"], "http://[::1]:9000/v1.0/"),
        (["--public-url", "https://api.example.com/graph/"], "https://api.example.com/graph/v1.0/"),
    ],
    ids=["bound-address", "ipv6", "public-url"],
)
def test_links_come_from_the_public_url_not_the_host_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], root: str
) -> None:
    links: list[str] = []

    def during(app: Any) -> None:
        for _ in range(2):
            request(app, "POST", BASE, json={}, headers={"Authorization": f"Bearer {jwt_for(scp=WRITE)}"})
        for host in ("evil.example", "evil.example/phish?x="):
            headers = {"Authorization": f"Bearer {jwt_for(scp=READ)}", "Host": host}
            links.append(request(app, "GET", BASE + "?$top=1", headers=headers).json()["@odata.nextLink"])

    assert run_main(monkeypatch, ["--db", str(tmp_path / "db.sqlite"), *JWT_ARGS, *argv], during) == 0
    path = "deviceAppManagement/mobileAppConfigurations/cfg-1/userStatuses"
    assert links == [f"{root}{path}?$skiptoken=0000000000000001&$top=1"] * 2


@pytest.mark.parametrize("value", ["0", "-1", "3601", "nan", "soon"])
def test_a_write_timeout_out_of_bounds_refuses_to_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    with pytest.raises(SystemExit) as stopped:
        run_main(monkeypatch, ["--db", str(tmp_path / "db.sqlite"), "--write-timeout", value])
    assert stopped.value.code == 2
    assert "--write-timeout" in capsys.readouterr().err


def test_the_write_timeout_reaches_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    timeouts: list[float] = []
    argv = ["--db", str(tmp_path / "db.sqlite"), "--write-timeout", "0.25"]
    assert run_main(monkeypatch, argv, lambda app: timeouts.append(app.store.write_timeout)) == 0
    assert timeouts == [0.25]
