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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.asgi import SyncASGITransport
from tests.codegen.test_corpus import REACHED, Recorder
from tests.codegen.test_definitions import annotation_problems, forward_refs
from tests.conftest import ROOT, importable

pytestmark = pytest.mark.slow
PUBLISHED = Path(__file__).parent / "corpus" / "published"
DOCUMENTS = {"stripe": "stripe.json", "twilio": "twilio_api_v2010.json", "box": "box.json", "discord": "discord.json"}


@dataclass(frozen=True)
class Probe:
    """One request and what the generated server must answer: REACHED (the handler ran, and got ``received``
    among its arguments) or a 4xx with a Graph-style error."""

    method: str
    path: str
    status: int
    send: dict[str, Any] = field(default_factory=dict)  # httpx request arguments: content, data, files...
    received: dict[str, Any] = field(default_factory=dict)


FORM = {"content-type": "application/x-www-form-urlencoded"}
TWILIO_ACCOUNT = "/2010-04-01/Accounts/AC" + "0" * 32
CALL = {"To": "+15551234567", "From": "+15557654321"}
CHANNEL = "/channels/81384788765712384/messages"
PNG = ("a.png", b"\x89PNG\r\n", "image/png")
ATTRIBUTES = '{"name": "a.txt", "parent": {"id": "0"}}'
PROBES: dict[str, list[Probe]] = {
    "stripe": [  # deepObject queries and deepObject form fields
        Probe(
            "GET",
            "/v1/customers?limit=3&created[gte]=1600000000&expand[]=data.default_source",
            REACHED,
            received={"limit": 3, "created": {"gte": 1600000000}, "expand": ["data.default_source"]},
        ),
        Probe("GET", "/v1/customers?created=1600000000", REACHED, received={"created": 1600000000}),
        Probe("GET", "/v1/customers?created[gte]=soon", 400),
        Probe(
            "POST",
            "/v1/customers",
            REACHED,
            {"content": b"email=a%40b.test&metadata[plan]=gold&preferred_locales[0]=en", "headers": FORM},
            {"body": {"email": "a@b.test", "metadata": {"plan": "gold"}, "preferred_locales": ["en"]}},
        ),
        Probe("POST", "/v1/customers", 400, {"content": b"balance=lots", "headers": FORM}),
        Probe("POST", "/v1/customers", 400, {"content": b"metadata[a][b]=c", "headers": FORM}),
    ],
    "twilio": [  # segments mixing parameters and text, form bodies
        Probe(
            "GET",
            f"{TWILIO_ACCOUNT}/Calls.json?PageSize=20&Status=queued",
            REACHED,
            received={"page_size": 20, "status": "queued"},
        ),
        Probe("GET", f"{TWILIO_ACCOUNT}/Calls.json?PageSize=0", 400),
        Probe("GET", f"{TWILIO_ACCOUNT}/Calls/CA{'a' * 32}.json", REACHED, received={"sid": f"CA{'a' * 32}"}),
        Probe("GET", "/2010-04-01/Accounts/AC123/Calls.json", 400),  # the AccountSid pattern
        Probe(
            "POST",
            f"{TWILIO_ACCOUNT}/Calls.json",
            REACHED,
            {"data": {**CALL, "Url": "https://x.test"}},
            {"body": {**CALL, "Url": "https://x.test"}},
        ),
        Probe("POST", f"{TWILIO_ACCOUNT}/Calls.json", 400, {"data": {**CALL, "Timeout": "soon"}}),
    ],
    "box": [  # thumbnail.{extension}, multipart uploads with a JSON part, an operation left out (501)
        Probe(
            "GET",
            "/files/123/thumbnail.png?min_height=32",
            REACHED,
            received={"file_id": "123", "extension": "png", "min_height": 32},
        ),
        Probe("GET", "/files/123/thumbnail.gif", 400),
        Probe("GET", "/files/123/thumbnail.png?min_height=8", 400),
        Probe(
            "POST",
            "/files/content",
            REACHED,
            {"data": {"attributes": ATTRIBUTES}, "files": {"file": ("a.txt", b"hello", "text/plain")}},
            {
                "body": {
                    "attributes": {"name": "a.txt", "parent": {"id": "0"}},
                    "file": ("a.txt", "text/plain", b"hello"),
                }
            },
        ),
        Probe(
            "POST",
            "/files/content",
            400,
            {"data": {"attributes": '{"name": "a.txt"}'}, "files": {"file": ("a.txt", b"hello", "text/plain")}},
        ),
        Probe("GET", "/search?query=contract", 501),  # mdfilters: an array of objects in a query, undefined
    ],
    "discord": [  # OpenAPI 3.1; one body as JSON, form or multipart with files
        Probe("GET", f"{CHANNEL}?limit=50", REACHED, received={"limit": 50}),
        Probe("GET", f"{CHANNEL}?limit=101", 400),
        Probe("GET", "/channels/not-a-snowflake/messages", 400),
        Probe(
            "POST", CHANNEL, REACHED, {"json": {"content": "hi", "tts": True}}, {"body": {"content": "hi", "tts": True}}
        ),
        Probe("POST", CHANNEL, 400, {"json": {"content": 5}}),
        Probe(
            "POST",
            CHANNEL,
            REACHED,
            {"data": {"content": "hi", "tts": "true"}, "files": {"files[0]": PNG}},
            {"body": {"content": "hi", "tts": True, "files[0]": ("a.png", "image/png", PNG[1])}},
        ),
        Probe("POST", CHANNEL, 400, {"data": {"content": "hi", "tts": "maybe"}, "files": {"files[0]": PNG}}),
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
    with importable(root, "published_pkgs"):
        yield Generated(root, runs)


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


class Arguments(Recorder):
    """Records each handler's arguments too, files as (filename, content type, bytes)."""

    def __init__(self, reply: Any) -> None:
        super().__init__(reply)
        self.arguments: list[dict[str, Any]] = []

    def __getattr__(self, name: str) -> Any:
        record = super().__getattr__(name)

        async def handler(ctx: Any, **kwargs: Any) -> Any:
            self.arguments.append({key: _plain(value) for key, value in kwargs.items()})
            return await record(ctx, **kwargs)

        return handler


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if hasattr(value, "filename") and hasattr(value, "data"):
        return (value.filename, value.content_type, value.data)
    return value


@pytest.mark.parametrize("name", sorted(PROBES))
def test_the_server_answers_valid_and_invalid_requests(generated: Generated, name: str) -> None:
    assert generated.runs[name].returncode == 0
    server = importlib.import_module(f"published_pkgs.{name}.server")
    handlers = Arguments(server.Reply)
    app = server.create_app(handlers, authenticator=server.NoAuthentication())
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://published.test") as client:
        for probe in PROBES[name]:
            before = len(handlers.arguments)
            response = client.request(probe.method, server.DEFAULT_BASE_PATH + probe.path, **probe.send)
            assert response.status_code == probe.status, (probe, response.text[:500])
            if probe.status == REACHED:
                got = handlers.arguments[-1]
                assert {key: got.get(key) for key in probe.received} == probe.received, probe
            else:
                assert len(handlers.arguments) == before
                assert response.json()["error"]["message"], probe  # a Graph-style error that says what is wrong


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_the_server_models_are_real_types_with_quotes_only_for_cycles(generated: Generated, name: str) -> None:
    """Stripe's ~1,600 TypedDicts once cost ~8,000 ``compile()`` calls at import, one per string annotation."""
    assert generated.runs[name].returncode == 0
    source = (generated.root / "published_pkgs" / name / "server" / "models.py").read_text(encoding="utf-8")
    assert annotation_problems(source) == []
    models = importlib.import_module(f"published_pkgs.{name}.server.models")
    fields = sum(len(v.__annotations__) for v in vars(models).values() if typing.is_typeddict(v))
    assert forward_refs(models) <= fields // 20, (forward_refs(models), fields)


def test_the_stripe_client_and_server_agree(generated: Generated) -> None:
    """Both halves of a real document, against each other: the generated client's deepObject query values
    and form fields (as its own ``_get_kwargs`` writes the request) reach the server's handler as given."""
    assert generated.runs["stripe"].returncode == 0
    package = "published_pkgs.stripe"
    server = importlib.import_module(f"{package}.server")
    client_package = importlib.import_module(f"{package}.client")
    get_customers = importlib.import_module(f"{package}.client.api.default.get_customers")
    post_customers = importlib.import_module(f"{package}.client.api.default.post_customers")
    ranges = importlib.import_module(f"{package}.client.models.get_customers_range_query_specs")
    body = importlib.import_module(f"{package}.client.models.post_customers_body")
    handlers = Arguments(server.Reply)
    app = server.create_app(handlers, authenticator=server.NoAuthentication())
    client = client_package.Client(base_url="http://published.test", httpx_args={"transport": SyncASGITransport(app)})
    http = client.get_httpx_client()  # the request as the client writes it; Stripe's answers are not under test
    created = ranges.GetCustomersRangeQuerySpecs.from_dict({"gte": 1600000000, "lt": 1700000000})
    listed = http.request(**get_customers._get_kwargs(created=created, expand=["data.default_source"], limit=3))
    assert listed.status_code == REACHED, listed.text
    assert handlers.arguments[-1]["created"] == {"gte": 1600000000, "lt": 1700000000}
    assert handlers.arguments[-1]["expand"] == ["data.default_source"]
    sent = {"email": "a@b.test", "metadata": {"plan": "gold", "seats": "3"}, "preferred_locales": ["en", "fr"]}
    made = http.request(**post_customers._get_kwargs(body=body.PostCustomersBody.from_dict(sent)))
    assert made.status_code == REACHED, made.text
    assert handlers.arguments[-1]["body"] == sent
