"""Proof that the contract suite bites: the same suite, run against servers with one defect each, fails.

Each mutant runs the whole contract suite (minus this file) in a subprocess, stopping at the first failure.
A surviving mutant is a hole in the suite. Schemathesis on its own must also catch the mutants its checks
are about, so that its part of the suite is shown to work, not only the hand-written tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from tests.conftest import ROOT
from tests.contract.mutants import MUTANTS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        bool(os.environ.get("CONTRACT_MUTANT") or os.environ.get("CONTRACT_BASE_URL")),
        reason="mutants are run from an unmutated, in-process suite",
    ),
]
CONTRACT = "tests/contract"
#: Mutants whose defect lies in what schemathesis checks by itself (the rest need the hand-written tests:
#: it does not vary Content-Type, cannot see a dropped optional property, and skips oauth2 for ignored_auth).
SCHEMATHESIS_CATCHES = ["enum_off", "int32_off", "date_time_unchecked", "unknown_properties_accepted",
                        "malformed_json_500", "create_200", "delete_keeps"]  # fmt: skip
#: Mutants that only one test file is there to catch: it must be what fails first.
CAUGHT_BY = {"unkept_property": "test_round_trip.py"}


def run_suite(mutant: str, *paths: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *paths]
    if not paths:
        command += [CONTRACT, "--deselect", f"{CONTRACT}/test_mutants.py"]
    env = {**os.environ, "CONTRACT_MUTANT": mutant}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=600)


Runs = dict[tuple[str, str], "Future[subprocess.CompletedProcess[str]]"]


@pytest.fixture(scope="module")
def runs() -> Iterator[Runs]:
    """Every mutant run, two at a time (one per core), started once for the whole module."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        started: Runs = {("suite", m): pool.submit(run_suite, m) for m in sorted(MUTANTS)}
        started |= {("schemathesis", m): pool.submit(run_suite, m, f"{CONTRACT}/test_schemathesis.py")
                    for m in SCHEMATHESIS_CATCHES}  # fmt: skip
        yield started


@pytest.mark.parametrize("mutant", sorted(MUTANTS))
def test_the_suite_catches(runs: Runs, mutant: str) -> None:
    done = runs[("suite", mutant)].result()
    assert done.returncode == 1, f"mutant {mutant!r} ({MUTANTS[mutant]}) survived:\n{done.stdout[-2000:]}"
    assert " failed" in done.stdout
    assert CAUGHT_BY.get(mutant, "") in done.stdout, done.stdout[-2000:]


@pytest.mark.parametrize("mutant", SCHEMATHESIS_CATCHES)
def test_schemathesis_alone_catches(runs: Runs, mutant: str) -> None:
    done = runs[("schemathesis", mutant)].result()
    assert done.returncode == 1, f"schemathesis missed mutant {mutant!r} ({MUTANTS[mutant]}):\n{done.stdout[-2000:]}"


def test_an_unknown_mutant_is_an_error() -> None:
    done = run_suite("no_such_mutant", f"{CONTRACT}/test_headline.py")
    assert done.returncode != 0
    assert "unknown mutant" in done.stdout + done.stderr


def test_the_agreement_tests_catch_a_client_that_explodes_select() -> None:
    """The old client bug, ``$select`` sent as repeated keys, must fail the client <-> server agreement tests."""
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "tests/client/test_agreement.py"]
    env = {**os.environ, "CLIENT_MUTANT": "explode_select"}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 1, f"the exploding client survived:\n{done.stdout[-2000:]}"
    assert " failed" in done.stdout
