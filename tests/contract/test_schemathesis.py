"""Schemathesis 4 against the contract target: every check, positive and negative data, and the stateful
phase through the spec's links (create -> get/update/delete). Derandomised: the same cases every run."""

from __future__ import annotations

import itertools
import os
from typing import Any

import schemathesis
from hypothesis import settings

from codegen.spec import load
from tests.conftest import SPEC
from tests.contract.conftest import contract_target

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
    schema = schemathesis.openapi.from_dict(load(SPEC).raw, config=config)
    schema.app = TARGET.app  # None against a remote base URL: real HTTP then
    return schema


schema = _schema()


@schema.parametrize()  # type: ignore[untyped-decorator]
def test_operation(case: Any) -> None:
    """Examples, coverage and fuzzing phases for each operation, with every check."""
    case.call_and_validate()


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


def test_stateful_workflows() -> None:
    Workflow.run(settings=settings(Workflow.TestCase.settings, max_examples=100, derandomize=True, database=None))
