"""The tests' client: it sends with the write token and turns any surprise into a ``Mismatch`` that says what
was expected, what came back, and how to send the request again."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx
import jsonschema

from tests.contract import document
from tests.contract.report import Mismatch, curl, route
from tests.contract.target import Target


class Api:
    def __init__(self, target: Target) -> None:
        self.target = target
        self.http = target.client(target.write_token)

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.request(method, path, **kwargs)

    def curl(self, response: httpx.Response) -> str:
        request = response.request
        return curl(request.method, self.shown(str(request.url)), request.headers.multi_items(), request.content,
                    self.target.token_names)  # fmt: skip

    def shown(self, url: str) -> str:
        """``url`` as the report shows it: against the real base URL (in-process: `make serve`'s)."""
        base = self.target.base_url
        return self.target.shown_url + url[len(base) :] if url.startswith(base) else url

    def operation(self, response: httpx.Response) -> str:
        """``POST /deviceAppManagement/.../{managedDeviceMobileAppConfigurationId}/userStatuses``."""
        request = response.request
        root = httpx.URL(self.target.base_url).raw_path.decode().rstrip("/")
        path = request.url.raw_path.decode().split("?")[0].removeprefix(root)
        query = "?" + request.url.query.decode() if request.url.query else ""
        return f"{request.method} {route(path, document.routes())}{query}"

    def mismatch(self, response: httpx.Response, expected: str, got: str, *, step: str = "", key: str = "") -> Mismatch:
        body = response.text.replace("\n", " ")
        shown = f"{response.status_code} {body[:300]}{'...' if len(body) > 300 else ''}"
        return Mismatch(self.operation(response), expected, got, response=shown, curl=self.curl(response),
                        step=step, key=key)  # fmt: skip

    def expect(self, response: httpx.Response, *statuses: int, step: str = "") -> httpx.Response:
        """``response`` when its status is one of ``statuses``; else a Mismatch (``step``: the setup step it was)."""
        if response.status_code not in statuses:
            raise self.mismatch(response, " or ".join(map(str, statuses)), str(response.status_code), step=step)
        return response

    def body(self, response: httpx.Response, *, step: str = "") -> dict[str, Any]:
        """The response's JSON object, or a Mismatch saying what came instead."""
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            got = response.headers.get("content-type") or "no content type"
            raise self.mismatch(response, "a JSON object", got, step=step)
        return body

    def expect_kept(self, response: httpx.Response, sent: Mapping[str, Any], *, step: str = "") -> dict[str, Any]:
        """The body, when it holds every property of ``sent`` with the value sent."""
        body = self.body(response, step=step)
        for name, value in sent.items():
            got = f"{name} = {_json(body[name])}" if name in body else f"no {name}"
            if name not in body or body[name] != value:
                key = f"{self.operation(response)}: {name} not kept"
                raise self.mismatch(response, f"{name} = {_json(value)} back", got, step=step, key=key)
        return body

    def expect_error(self, response: httpx.Response, statuses: int | tuple[int, ...],
                     validator: jsonschema.Draft202012Validator) -> dict[str, Any]:  # fmt: skip
        """The ``error`` of an OData error response with one of ``statuses``."""
        wanted = (statuses,) if isinstance(statuses, int) else statuses
        expected = f"{' or '.join(map(str, wanted))} with an OData error"
        if response.status_code not in wanted:
            raise self.mismatch(response, expected, str(response.status_code))
        content_type = response.headers.get("content-type", "")
        if not content_type.startswith("application/json"):
            raise self.mismatch(response, expected, f"{response.status_code} as {content_type or 'no content type'}")
        body = self.body(response)
        problems = [e.message for e in validator.iter_errors(body)]
        if problems:
            raise self.mismatch(
                response, expected, f"{response.status_code} with a body that is not one: {problems[0]}"
            )
        if not response.headers.get("request-id"):
            raise self.mismatch(response, "a request-id header", "none")
        error: dict[str, Any] = body["error"]
        return error

    def expect_equal(self, response: httpx.Response, what: str, expected: Any, got: Any) -> None:
        """A Mismatch when ``got`` (``what`` of the response, e.g. ``error.target``) is not ``expected``."""
        if got != expected:
            raise self.mismatch(response, f"{what} = {_json(expected)}", f"{what} = {_json(got)}")


def _json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."
