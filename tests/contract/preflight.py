"""Before testing a running server: is it there, does it take TOKEN for writing, is READ_TOKEN read-only?

Each of these wrong fails every test at once (an unreachable server gave 112 failures and 6,300 lines, a
wrong token 98 "got 401"), so the run stops on it with one line instead. Anything else the server answers
is for the tests to judge."""

from __future__ import annotations

import os
from urllib.parse import quote

import httpx

from tests.contract.target import COLLECTION, READ, WRITE, Target


def preflight(target: Target) -> str | None:
    """Why the suite cannot test ``target``, in one line; None when it can."""
    url = target.base_url + COLLECTION.format(f"contract-preflight-{os.urandom(4).hex()}")
    with target.client(target.write_token) as client:
        try:
            listed = client.get(url, timeout=10)
        except httpx.HTTPError as error:
            return f"cannot reach {target.base_url}: {_reason(error)}"
        if listed.status_code == 404:
            return f"is {target.base_url} the API's root (for this API it ends with /v1.0)? GET {url} answered 404"
        if listed.status_code == 401:
            return f"the server refuses TOKEN: GET {url} answered {_status(listed)}"
        created = client.post(url, json={})
        if created.status_code in (401, 403):
            return f"TOKEN cannot write, it needs {WRITE}: POST {url} answered {_status(created)}"
        _delete(client, url, created)
        if target.read_token is None:
            return None
        with target.client(target.read_token) as reader:
            listed = reader.get(url)
            if listed.status_code == 401:
                return f"the server refuses READ_TOKEN: GET {url} answered {_status(listed)}"
            written = reader.post(url, json={})
        if written.is_success:
            _delete(client, url, written)
            return (
                f"READ_TOKEN can write, it must have {READ} only (if it has, the server does not check scopes): "
                f"POST {url} answered {written.status_code}"
            )
    return None


def _reason(error: httpx.HTTPError) -> str:
    if isinstance(error, httpx.TimeoutException):
        return "no answer within 10 seconds"
    text = str(error) or type(error).__name__
    return text.split("] ", 1)[-1] if text.startswith("[Errno") else text


def _status(response: httpx.Response) -> str:
    """``401 InvalidAuthenticationToken: the message``, as far as the body says."""
    try:
        error = response.json()["error"]
        return f"{response.status_code} {error['code']}: {str(error['message'])[:200]}"
    except (ValueError, LookupError, TypeError):
        return str(response.status_code)


def _delete(client: httpx.Client, url: str, created: httpx.Response) -> None:
    """Leave nothing behind: the preflight's own status, when one was created."""
    try:
        status_id = created.json()["id"] if created.is_success else None
    except (ValueError, LookupError, TypeError):
        status_id = None
    if isinstance(status_id, str):
        client.delete(f"{url}/{quote(status_id, safe='')}")
