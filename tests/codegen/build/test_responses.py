"""codegen.build.responses: what a handler returns for each status, and the success response."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from codegen.build.responses import success
from codegen.ir import Response
from tests.codegen.build.specs import built, json_content


def test_responses_are_typed_and_named_after_their_operation_and_status(tmp_path: Path) -> None:
    responses = {
        "201": {"description": "made", **json_content({"type": "object", "properties": {"id": {"type": "string"}}})},
        "204": {"description": "nothing"},
        "4XX": {"description": "error", **json_content({"$ref": "#/components/schemas/Error"})},
        "default": {"description": "text", "content": {"text/plain": {"schema": {"type": "integer"}}}},
    }
    components = {"schemas": {"Error": {"type": "object", "properties": {"code": {"type": "string"}}}}}
    api = built(tmp_path, {"/a": {"post": {"operationId": "makeThing", "responses": responses}}}, components=components)
    op = api.operations[0]
    found = {r.status: (r.kind, r.annotation, r.validator) for r in op.responses}
    assert found == {
        "201": ("json", "MakeThingN201Result", "MAKE_THING_201_RESPONSE"),
        "204": (None, "None", None),
        "4XX": ("json", "Error", "ERROR"),
        "default": ("text", "int", "MAKE_THING_DEFAULT_RESPONSE"),
    }
    assert (op.success_status, op.returns) == (201, "MakeThingN201Result")


def response(status: str) -> Response:
    return Response(status, "", None, None, None, None, "None")


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [(["400", "202", "200"], "202"), (["2XX", "default"], "2XX"), (["default", "404"], "default"), (["404"], None)],
)
def test_the_success_response_is_the_first_2xx_then_2XX_then_default(statuses: list[str], expected: Any) -> None:
    found = success(tuple(response(s) for s in statuses))
    assert (found.status if found else None) == expected
