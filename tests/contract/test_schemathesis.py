"""Schemathesis 4 against the contract target: every check, positive and negative data, and the stateful
phase through the spec's links (create -> get/update/delete). Derandomised: the same cases every run.

A failure carries our own curl line as a note (schemathesis' shows ``Authorization: [Filtered]`` and puts the
URL last), so that the contract report can print one that runs as printed."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import schemathesis
from hypothesis import settings

from tests.contract import document, report
from tests.contract.target import contract_target

TARGET = contract_target()
#: Statuses that count as rejecting invalid data: any other answer to a negative case is a failure.
REJECTIONS = [400, 401, 403, 404, 405, 409, 413, 415]


def _schema() -> Any:
    config = schemathesis.Config.from_dict(
        {
            "base-url": TARGET.base_url,
            "headers": {"Authorization": f"Bearer {TARGET.write_token}"},
            "request-timeout": 30,
            "generation": {"mode": "all", "max-examples": 100, "deterministic": True},
            "checks": {"enabled": True, "negative_data_rejection": {"expected-statuses": REJECTIONS}},
            "phases": {"enabled": True},
        }
    )
    schema = schemathesis.openapi.from_dict(document.contract(), config=config)
    schema.app = TARGET.app  # None against a remote base URL: real HTTP then
    return schema


@contextmanager
def reproducible(response: Any) -> Iterator[None]:
    """A failure raised inside gets a note: the curl line that sends ``response``'s request again."""
    try:
        yield
    except BaseExceptionGroup as failures:
        request = response.request
        url = str(request.url)
        if url.startswith(TARGET.base_url):
            url = TARGET.shown_url + url[len(TARGET.base_url) :]
        line = report.curl(request.method, url, request.headers.items(), request.body, TARGET.token_names)
        failures.add_note(report.REPRODUCE + line)
        raise


schema = _schema()


@schema.parametrize()  # type: ignore[untyped-decorator]
def test_operation(case: Any) -> None:
    """Examples, coverage and fuzzing phases for each operation, with every check."""
    response = case.call()
    with reproducible(response):
        case.validate_response(response)


_runs = itertools.count()
_session = os.urandom(4).hex()


class Workflow(_schema().as_state_machine()):  # type: ignore[misc]
    """Stateful phase: sequences of calls chained by the spec's links, checked after every step.

    Each sequence works in a configuration of its own, so what one sequence stored cannot change what
    the next one sees: Hypothesis requires the same choices to lead to the same steps.
    """

    def setup(self) -> None:
        self.configuration = f"stateful-{_session}-{next(_runs)}"

    def before_call(self, case: Any) -> None:
        case.path_parameters["managedDeviceMobileAppConfigurationId"] = self.configuration

    def validate_response(self, response: Any, case: Any, *args: Any, **kwargs: Any) -> None:
        with reproducible(response):
            super().validate_response(response, case, *args, **kwargs)


def test_stateful_workflows() -> None:
    Workflow.run(settings=settings(Workflow.TestCase.settings, max_examples=100, derandomize=True, database=None))
