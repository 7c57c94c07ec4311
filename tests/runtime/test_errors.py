"""codegen.runtime.errors: every error answers in Graph's OData shape."""

from __future__ import annotations

import json

from codegen.runtime.errors import MAX_DETAILS, BadRequest, NotFound, Unauthorized, bad_request, error_reply, printable


def test_the_odata_error_body() -> None:
    error = NotFound("No such status.", target="id", headers={"Retry-After": "1"})
    status, extra, content_type, payload = error_reply(error, "rid", "cid")
    assert (status, content_type, extra) == (404, b"application/json", [(b"retry-after", b"1")])
    body = json.loads(payload)["error"]
    assert (body["code"], body["message"], body["target"], body["details"]) == ("ResourceNotFound",
                                                                               "No such status.", "id", [])  # fmt: skip
    assert body["innerError"]["request-id"] == "rid"
    assert body["innerError"]["client-request-id"] == "cid"
    assert len(body["innerError"]["date"]) == len("2026-01-01T00:00:00")


def test_a_401_tells_the_client_to_use_a_bearer_token() -> None:
    _, extra, _, _ = error_reply(Unauthorized("no"), "r", "r")
    assert (b"www-authenticate", b"Bearer") in extra


def test_bad_request_names_the_first_problem_and_counts_the_rest() -> None:
    one = bad_request([("InvalidValue", "Bad a.", "a")])
    assert (one.message, one.target) == ("Bad a.", "a")
    three = bad_request([("X", "Bad a.", "a"), ("X", "Bad b.", "b"), ("X", "Bad c.", None)])
    assert three.message == "Bad a. (2 more problems in details.)"
    assert isinstance(three, BadRequest)
    assert len(three.details) == 3


def test_a_handler_may_choose_the_code() -> None:
    assert json.loads(error_reply(BadRequest("x", code="InvalidRange"), "r", "r")[3])["error"]["code"] == "InvalidRange"


def test_every_error_body_is_bounded_whatever_it_was_given() -> None:
    huge = "x" * 1_000_000
    error = BadRequest(huge, target=huge, details=[("X", huge, huge)] * 10_000)
    payload = error_reply(error, "r", "r")[3]
    assert len(payload) < 40_000
    body = json.loads(payload)["error"]
    assert len(body["details"]) == MAX_DETAILS
    assert body["message"].endswith("...")


def test_printable_escapes_what_could_forge_a_log_line() -> None:
    assert printable("a\nb\r\x1b[31mc\u2028") == "a\\nb\\r\\x1b[31mc\\u2028"
    assert printable('q" 200 x\\ \u202e\ud800') == 'q\\" 200 x\\\\ \\u202e\\ud800'  # quote, bidi, lone surrogate
    assert printable("café 日本") == "café 日本"
    assert len(printable("x" * 5000)) == 1000


def test_a_400_always_lists_its_problem_in_details() -> None:
    # A problem found outside schema validation ($top=abc) is one entry, like a schema violation ($top=-1).
    body = json.loads(error_reply(BadRequest("Invalid value 'abc' for '$top'.", target="$top"), "r", "r")[3])["error"]
    assert body["details"] == [{"code": "BadRequest", "message": "Invalid value 'abc' for '$top'.", "target": "$top"}]
    assert json.loads(error_reply(NotFound("No."), "r", "r")[3])["error"]["details"] == []  # only 400s list problems
