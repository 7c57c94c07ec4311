"""``python -m service``: serve the API from SQLite under /v1.0 with uvicorn (``make serve``)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Literal

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from service.app import ServiceApp
from service.auth import JwtSettings, ServiceAuthenticator, dev_tokens, load_public_key, load_tokens
from service.server import ServerOptions, serve, uvicorn_config
from service.sqlite_store import SqliteStore
from service.store import CannotOpen

LOG = logging.getLogger("service")
_WILDCARDS = ("", "0.0.0.0", "::")  # noqa: S104 - recognised, not bound


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m service", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--db", type=Path, default=Path("var/userstatuses.db"), help="SQLite file")
    parser.add_argument(
        "--sync",
        choices=("normal", "full"),
        default="normal",
        help="normal: survives a killed process; full: also power loss (an fsync per transaction of writes)",
    )
    parser.add_argument(
        "--write-timeout", type=_seconds, default=2.0, metavar="SECONDS",
        help="a write that cannot start within this time (another process holds the database's write lock, or "
        "writes queue up) answers 503 with Retry-After; reads never wait for writes (default: 2)",
    )  # fmt: skip
    parser.add_argument(
        "--tokens", type=Path, help="JSON file: {token: [scopes]}; default: one printed dev token, unless JWTs"
    )
    parser.add_argument("--jwt-secret", help="verify HS256 JWTs with this shared secret (at least 32 bytes)")
    parser.add_argument("--jwt-public-key", type=Path, help="verify RS256 JWTs with this PEM public key or certificate")
    parser.add_argument("--jwt-audience", help="required `aud` of JWTs")
    parser.add_argument("--jwt-issuer", help="required `iss` of JWTs")
    parser.add_argument(
        "--insecure-any-audience",
        action="store_true",
        help="accept JWTs without checking `aud` and `iss` when those are not given (tokens for other APIs pass)",
    )
    parser.add_argument("--base-path", default="/v1.0")
    parser.add_argument(
        "--public-url", help="where links such as @odata.nextLink point (default: http://HOST:PORT), then base path"
    )
    parser.add_argument(
        "--forwarded-allow-ips",
        help="proxies whose X-Forwarded-For/-Proto are trusted (comma-separated, or *); default: none",
    )
    timeouts = parser.add_argument_group("slow clients: past these the connection is closed (408 when useful)")
    timeouts.add_argument(
        "--timeout-headers", type=_seconds, default=10.0, metavar="SECONDS",
        help="for a request's head, from the connection or the request's first byte (default: 10)",
    )  # fmt: skip
    timeouts.add_argument(
        "--timeout-body", type=_seconds, default=30.0, metavar="SECONDS",
        help="for a request's body, from its head (default: 30)",
    )  # fmt: skip
    timeouts.add_argument(
        "--timeout-keep-alive", type=_whole_seconds, default=5, metavar="SECONDS",
        help="for an idle connection between requests, whole seconds (default: 5)",
    )  # fmt: skip
    return parser


def _seconds(text: str) -> float:
    value = float(text)
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"{text}: must be more than 0 and at most 3600 seconds")
    return value


def _whole_seconds(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 3600:
        raise argparse.ArgumentTypeError(f"{text}: must be a whole number of seconds from 1 to 3600")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        jwt_settings = _jwt_settings(args)
        tokens = load_tokens(args.tokens) if args.tokens else None
    except ValueError as error:
        print(f"service: {error}", file=sys.stderr)
        return 2
    public_url = args.public_url or _bound_url(args.host, args.port)
    if args.public_url is None and args.host in _WILDCARDS:
        LOG.warning("links point at %s: give --public-url, the address clients use", public_url)
    if tokens is None and jwt_settings is None:
        tokens, where = dev_tokens(args.db.parent / "dev-token")
        _print_dev_token(next(iter(tokens)), where, f"{public_url.rstrip('/')}{args.base_path}")
    try:
        store = SqliteStore(args.db, sync=args.sync, write_timeout=args.write_timeout)
    except CannotOpen as error:
        print(f"service: {error}", file=sys.stderr)
        return 2
    try:
        try:
            authenticator = ServiceAuthenticator(tokens or {}, jwt_settings)
            app = ServiceApp(store, authenticator, base_path=args.base_path, public_url=public_url)
        except ValueError as error:
            print(f"service: {error}", file=sys.stderr)
            return 2
        if store.read_only:
            LOG.warning("%s cannot be written: serving reads; writes answer 503", args.db)
        options = ServerOptions(
            host=args.host,
            port=args.port,
            headers_timeout=args.timeout_headers,
            body_timeout=args.timeout_body,
            keep_alive_timeout=args.timeout_keep_alive,
            forwarded_allow_ips=args.forwarded_allow_ips,
        )
        serve(uvicorn_config(app, options))  # returns after a graceful stop (SIGTERM, SIGINT)
    finally:
        store.close()
    LOG.info("database closed; group commit: %s", json.dumps(store.stats.as_dict()))
    return 0


def _jwt_settings(args: argparse.Namespace) -> JwtSettings | None:
    """ValueError (exit status 2) for a bad key, a short secret, or no audience and issuer without the flag."""
    if args.jwt_secret is not None and args.jwt_public_key:
        raise ValueError("give --jwt-secret or --jwt-public-key, not both")

    def settings(key: str | RSAPublicKey, algorithm: Literal["HS256", "RS256"]) -> JwtSettings:
        return JwtSettings(key, algorithm, args.jwt_audience, args.jwt_issuer, any_audience=args.insecure_any_audience)

    if args.jwt_secret is not None:
        return settings(args.jwt_secret, "HS256")
    if args.jwt_public_key:
        return settings(load_public_key(args.jwt_public_key), "RS256")
    if args.jwt_audience or args.jwt_issuer or args.insecure_any_audience:
        raise ValueError("--jwt-audience, --jwt-issuer and --insecure-any-audience need a JWT secret or key")
    return None


def _bound_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _print_dev_token(token: str, where: str, api_root: str) -> None:
    """Printed, never logged: log lines are shipped and kept where a credential must not be."""
    print(
        f"DEVELOPMENT CREDENTIAL, not for production: this random token has every scope. Give --tokens FILE or\n"
        f"--jwt-secret/--jwt-public-key to run without it.\n"
        f"  dev token: {token} ({where})\n"
        f"  curl -H 'Authorization: Bearer {token}' {api_root}/openapi.json",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
