"""codegen.build.security: schemes the server can enforce and each operation's alternatives."""

from __future__ import annotations

from pathlib import Path

from tests.codegen.build.specs import OK, built, refusal

SCHEMES = {
    "oauth": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://x.test/t", "scopes": {"r": "r"}}}},
    "key": {"type": "apiKey", "in": "query", "name": "api_key"},
    "bearer": {"type": "http", "scheme": "Bearer"},
}


def test_alternatives_and_scopes_per_operation_with_the_documents_default(tmp_path: Path) -> None:
    paths = {"/a": {"get": {"responses": OK}, "post": {"security": [{"key": []}, {}], "responses": OK}}}
    api = built(tmp_path, paths, components={"securitySchemes": SCHEMES}, security=[{"oauth": ["r"]}])
    by_method = {op.http_method: op for op in api.operations}
    assert by_method["GET"].security == ((("oauth", ("r",)),),)
    assert by_method["POST"].security == ((("key", ()),), ())
    assert by_method["POST"].credential_query_names == ("api_key",)
    assert by_method["POST"].query_names == frozenset({"api_key"})
    assert api.bearer_schemes == ("bearer", "oauth")


def test_an_unknown_scheme_is_refused_where_it_is_named(tmp_path: Path) -> None:
    paths = {"/a": {"get": {"security": [{"nope": []}], "responses": OK}}}
    assert "/paths/~1a/get/security/0/nope: unknown security scheme 'nope'" in refusal(tmp_path, paths)


def test_the_corpus_payments_api_keeps_query_keys_apart_from_options() -> None:
    from codegen.build import build
    from codegen.spec import load

    api = build(load(Path(__file__).parent.parent / "corpus" / "payments_form_30.yaml"))
    customer = next(op for op in api.operations if op.method_name == "get_customers_customer")
    assert customer.credential_query_names == ("key",)
    assert [p.wire_name for p in customer.parameters if p.location == "query"] == ["expand"]
