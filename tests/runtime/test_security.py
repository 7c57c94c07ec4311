"""codegen.runtime.security: bearer tokens, scopes and the alternatives of a security requirement."""

from __future__ import annotations

import asyncio

import pytest

from codegen.runtime.context import RequestContext
from codegen.runtime.errors import Forbidden, Unauthorized
from codegen.runtime.security import BearerTokens, NoAuthentication, Security, bearer_token, satisfies

READ, WRITE = "Read.All", "ReadWrite.All"
READ_OR_WRITE: Security = ((("oauth", (READ,)),), (("oauth", (WRITE,)),))
WRITE_ONLY: Security = ((("oauth", (WRITE,)),),)


def context(authorization: str | None) -> RequestContext:
    headers = {} if authorization is None else {"authorization": authorization}
    return RequestContext({"type": "http", "method": "GET"}, headers, "rid", "rid", "op")


def test_one_alternative_met_is_enough() -> None:
    bearer = frozenset({"oauth"})
    assert satisfies(frozenset({READ}), READ_OR_WRITE, bearer)
    assert not satisfies(frozenset({READ}), WRITE_ONLY, bearer)
    assert not satisfies(frozenset({WRITE}), ((("apiKey", ()),),), bearer)  # not a bearer scheme


def test_bearer_tokens_answer_401_403_or_the_principal() -> None:
    tokens = BearerTokens({"r": [READ], "w": [WRITE]}, ["oauth"])
    with pytest.raises(Unauthorized, match="not recognised"):
        asyncio.run(tokens(context("Bearer nope"), WRITE_ONLY))
    with pytest.raises(Forbidden):
        asyncio.run(tokens(context("Bearer r"), WRITE_ONLY))
    principal = asyncio.run(tokens(context("Bearer w"), READ_OR_WRITE))
    assert principal.scopes == {WRITE}
    assert "w" not in principal.subject


def test_tokens_are_kept_only_as_digests() -> None:
    tokens = BearerTokens({"s3cret-token": [READ]}, ["oauth"])
    assert all(isinstance(key, bytes) and len(key) == 32 for key in tokens._principals)
    assert "s3cret-token" not in repr(vars(tokens))


@pytest.mark.parametrize(
    ("header", "message"),
    [(None, "Access token is empty."), ("Basic dXNlcg==", "not a bearer token"), ("Bearer   ", "not a bearer token")],
)
def test_a_missing_or_foreign_credential_is_a_401(header: str | None, message: str) -> None:
    with pytest.raises(Unauthorized, match=message):
        bearer_token({} if header is None else {"authorization": header})


def test_the_scheme_name_is_case_blind_and_the_token_trimmed() -> None:
    assert bearer_token({"authorization": "bearer  abc "}) == "abc"


def test_no_authentication_grants_what_is_asked() -> None:
    principal = asyncio.run(NoAuthentication()(context(None), READ_OR_WRITE))
    assert principal.scopes == {READ, WRITE}
