"""``python -m service``: serve the API from SQLite under /v1.0 with uvicorn (``make serve``)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import uvicorn

from service.app import ServiceApp
from service.auth import JwtSettings, ServiceAuthenticator, dev_tokens, load_tokens
from service.sqlite_store import SqliteStore


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m service", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--db", type=Path, default=Path("var/userstatuses.db"), help="SQLite file")
    parser.add_argument(
        "--sync",
        choices=("normal", "full"),
        default="normal",
        help="normal: survives a killed process; full: also power loss (an fsync per write)",
    )
    parser.add_argument("--tokens", type=Path, help="JSON file: {token: [scopes]}; default: one printed dev token")
    parser.add_argument("--jwt-secret", help="verify HS256 JWTs with this shared secret")
    parser.add_argument("--jwt-public-key", type=Path, help="verify RS256 JWTs with this PEM public key")
    parser.add_argument("--jwt-audience", help="required `aud` of JWTs")
    parser.add_argument("--jwt-issuer", help="required `iss` of JWTs")
    parser.add_argument("--base-path", default="/v1.0")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        tokens = load_tokens(args.tokens) if args.tokens else None
        jwt_settings = _jwt_settings(args)
    except ValueError as error:
        print(f"service: {error}", file=sys.stderr)
        return 2
    if tokens is None:
        tokens = dev_tokens()
        token = next(iter(tokens))
        print(f"dev token (both scopes): {token}\n  curl -H 'Authorization: Bearer {token}' "
              f"http://{args.host}:{args.port}{args.base_path}/openapi.json", flush=True)  # fmt: skip
    store = SqliteStore(args.db, sync=args.sync)
    app = ServiceApp(store, ServiceAuthenticator(tokens, jwt_settings), base_path=args.base_path)
    # uvicorn stops gracefully on SIGTERM/SIGINT: in-flight requests finish, then the store is closed.
    try:
        uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_level="info", lifespan="on")
    finally:
        store.close()
    return 0


def _jwt_settings(args: argparse.Namespace) -> JwtSettings | None:
    if args.jwt_secret and args.jwt_public_key:
        raise ValueError("give --jwt-secret or --jwt-public-key, not both")
    if args.jwt_secret:
        return JwtSettings(args.jwt_secret, "HS256", args.jwt_audience, args.jwt_issuer)
    if args.jwt_public_key:
        try:
            key = args.jwt_public_key.read_text(encoding="utf-8")
        except OSError as error:
            raise ValueError(f"cannot read {args.jwt_public_key}: {error.strerror}") from None
        return JwtSettings(key, "RS256", args.jwt_audience, args.jwt_issuer)
    return None


if __name__ == "__main__":
    sys.exit(main())
