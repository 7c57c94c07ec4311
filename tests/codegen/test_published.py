"""The generator on real, large API descriptions, as published (tests/codegen/corpus/published/SOURCES.md).

Each document is generated with the CLI exactly as a user would (both targets, not strict: published
documents carry mismatched examples and constructs openapi-python-client skips, reported as warnings). The
server must import and, on a few operations chosen for the constructs they use, let a valid request reach
its handler and turn an invalid one away with a 400; the client must import.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.asgi import SyncASGITransport
from tests.codegen.test_corpus import REACHED, Recorder
from tests.codegen.test_definitions import annotation_problems, forward_refs
from tests.conftest import ROOT

pytestmark = pytest.mark.slow
PUBLISHED = Path(__file__).parent / "corpus" / "published"
DOCUMENTS = {"stripe": "stripe.json", "twilio": "twilio_api_v2010.json", "box": "box.json", "discord": "discord.json"}


@dataclass(frozen=True)
class Probe:
    """One request and what the generated server must answer: REACHED (the handler ran) or a 4xx."""

    method: str
    path: str
    status: int
    body: bytes = b""
    content_type: str = ""


TWILIO_ACCOUNT = "/2010-04-01/Accounts/AC" + "0" * 32
PROBES: dict[str, list[Probe]] = {
    "twilio": [
        Probe("GET", f"{TWILIO_ACCOUNT}/Calls.json?PageSize=20&Status=queued", REACHED),
        Probe("GET", f"{TWILIO_ACCOUNT}/Calls.json?PageSize=0", 400),
        Probe("GET", f"{TWILIO_ACCOUNT}/Calls/CA{'a' * 32}.json", REACHED),  # a segment mixing a parameter and text
        Probe("GET", "/2010-04-01/Accounts/AC123/Calls.json", 400),  # the AccountSid pattern
        Probe(
            "POST",
            f"{TWILIO_ACCOUNT}/Calls.json",
            REACHED,
            b"To=%2B15551234567&From=%2B15557654321&Url=https%3A%2F%2Fx.test",
            "application/x-www-form-urlencoded",
        ),
        Probe(
            "POST",
            f"{TWILIO_ACCOUNT}/Calls.json",
            400,
            b"To=%2B15551234567&From=%2B15557654321&Timeout=soon",
            "application/x-www-form-urlencoded",
        ),
    ],
    "discord": [
        Probe("GET", "/channels/81384788765712384/messages?limit=50", REACHED),
        Probe("GET", "/channels/81384788765712384/messages?limit=101", 400),
        Probe("GET", "/channels/not-a-snowflake/messages", 400),
    ],
}


@dataclass
class Generated:
    root: Path
    runs: dict[str, subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    """Every document generated once, both targets, the four runs side by side (they take a minute each)."""
    root = tmp_path_factory.mktemp("published")
    package = root / "published_pkgs"
    package.mkdir()
    (package / "__init__.py").write_text("")
    started = {
        name: subprocess.Popen(
            [sys.executable, "-m", "codegen", "gen", "--spec", str(PUBLISHED / file), "--out", str(package / name)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, file in DOCUMENTS.items()
    }
    runs = {}
    for name, process in started.items():
        out, err = process.communicate()
        runs[name] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    sys.path.insert(0, str(root))
    yield Generated(root, runs)
    sys.path.remove(str(root))
    for module in [m for m in sys.modules if m.startswith("published_pkgs")]:
        del sys.modules[module]


def test_the_corpus_is_large_real_and_recorded() -> None:
    sources = (PUBLISHED / "SOURCES.md").read_text(encoding="utf-8")
    for file in DOCUMENTS.values():
        assert (PUBLISHED / file).stat().st_size > 1_000_000
        assert f"`{file}`" in sources
    assert len(list((PUBLISHED / "licences").glob("*.txt"))) == len(DOCUMENTS)


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_both_targets_generate(generated: Generated, name: str) -> None:
    run = generated.runs[name]
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_the_client_imports(generated: Generated, name: str) -> None:
    code = f"import published_pkgs.{name}.client as c, published_pkgs.{name}.client.models as m; print(len(dir(m)))"
    run = subprocess.run([sys.executable, "-c", code], cwd=generated.root, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    assert int(run.stdout) > 50  # the models really are there


def _app(name: str) -> tuple[Any, Recorder]:
    server = importlib.import_module(f"published_pkgs.{name}.server")
    recorder = Recorder(server.Reply)
    return server.create_app(recorder, authenticator=server.NoAuthentication()), recorder


@pytest.mark.parametrize("name", sorted(PROBES))
def test_the_server_answers_valid_and_invalid_requests(generated: Generated, name: str) -> None:
    assert generated.runs[name].returncode == 0
    app, recorder = _app(name)
    base = importlib.import_module(f"published_pkgs.{name}.server").DEFAULT_BASE_PATH
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://published.test") as client:
        for probe in PROBES[name]:
            headers = {"content-type": probe.content_type} if probe.content_type else {}
            response = client.request(probe.method, base + probe.path, content=probe.body or None, headers=headers)
            assert response.status_code == probe.status, (probe, response.text[:500])
            if probe.status != REACHED:
                assert response.json()["error"]["message"], probe  # a Graph-style error that says what is wrong
    assert len(recorder.calls) == sum(1 for probe in PROBES[name] if probe.status == REACHED)


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_the_server_models_are_real_types_with_quotes_only_for_cycles(generated: Generated, name: str) -> None:
    """Stripe's ~1,600 TypedDicts once cost ~8,000 ``compile()`` calls at import, one per string annotation."""
    assert generated.runs[name].returncode == 0
    source = (generated.root / "published_pkgs" / name / "server" / "models.py").read_text(encoding="utf-8")
    assert annotation_problems(source) == []
    models = importlib.import_module(f"published_pkgs.{name}.server.models")
    fields = sum(len(v.__annotations__) for v in vars(models).values() if typing.is_typeddict(v))
    assert forward_refs(models) <= fields // 20, (forward_refs(models), fields)
