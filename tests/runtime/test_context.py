"""codegen.runtime.context: request ids and what a handler learns about its request."""

from __future__ import annotations

import re
import uuid

from codegen.runtime.context import RequestContext, new_request_id


def test_request_ids_are_distinct_version_4_uuids_across_batches() -> None:
    ids = [new_request_id() for _ in range(1000)]
    assert len(set(ids)) == len(ids)
    for rid in ids:
        parsed = uuid.UUID(rid)
        assert (parsed.version, parsed.variant) == (4, uuid.RFC_4122)
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", rid)


def test_the_context_knows_method_path_and_base_url() -> None:
    scope = {"method": "POST", "path": "/v1.0/items", "scheme": "http", "root_path": ""}
    ctx = RequestContext(scope, {"host": "h:8000"}, "rid", "cid", "createItem", "/v1.0")
    assert (ctx.method, ctx.path, ctx.base_url) == ("POST", "/v1.0/items", "http://h:8000/v1.0")
    assert ctx.principal is None
