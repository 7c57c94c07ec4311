"""The generator on documents it was not written for: a corpus of public-style specs (tests/codegen/corpus).

Each is generated with the CLI, exactly as a user would. Accepted documents give a server that imports,
passes mypy --strict, lets through requests built from valid data (schemathesis, positive mode), turns
away requests that break a constraint (negative mode), and whose body validator agrees with Python's
jsonschema (Draft 2020-12) on the same bodies. An operation the server target cannot read is left out with a
warning and answered 501 (refused with --strict). Refused documents fail with exit 2 and a JSON pointer,
and leave nothing behind.
"""

from __future__ import annotations

import functools
import importlib
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from codegen.build import build
from codegen.spec import load
from codegen.spec.embed import standalone
from tests.asgi import SyncASGITransport
from tests.conftest import ROOT, importable

pytestmark = pytest.mark.slow
CORPUS = Path(__file__).parent / "corpus"
SPECS = sorted(p.stem for p in CORPUS.glob("*.yaml"))
#: Refused documents, with the JSON pointer their error must name.
REFUSED = {
    "refused_mutual_tls_31": "/components/securitySchemes/mtls",
}
#: Documents with an operation the server target leaves out: (its route, the pointer its warning names).
UNSERVED = {
    "unserved_pipe_delimited_30": ("GET /search", "/paths/~1search/get/parameters/0/style"),
}
ACCEPTED = [name for name in SPECS if name not in REFUSED]
#: Documents openapi-python-client 0.29 turns into a whole client (of others it leaves parts out, with warnings).
CLIENT_SUPPORTED = [
    "deep_object_30",
    "issues_31",
    "library_30_oauth",
    "multipart_31",
    "payments_form_30",
    "petstore_30",
    "unserved_pipe_delimited_30",
    "weather_31",
]
REJECTED = {400, 404, 405, 413, 415}
REACHED = 299  # what the recording handlers answer: the request got through validation


def codegen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codegen", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


@dataclass
class Generated:
    root: Path
    results: dict[str, subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    root = tmp_path_factory.mktemp("corpus")
    (root / "corpus_pkgs").mkdir()
    (root / "corpus_pkgs" / "__init__.py").write_text("")
    results = {}
    for name in SPECS:
        out = root / "corpus_pkgs" / name
        results[name] = codegen("gen", "--spec", str(CORPUS / f"{name}.yaml"), "--out", str(out), "--target", "server")
    with importable(root, "corpus_pkgs"):
        yield Generated(root, results)


def test_corpus_covers_the_required_shapes() -> None:
    assert len(ACCEPTED) >= 7
    assert len(SPECS) >= 8
    versions = {load(CORPUS / f"{name}.yaml").version[:3] for name in SPECS}
    assert versions == {"3.0", "3.1"}


@pytest.mark.parametrize("name", ACCEPTED)
def test_accepted_documents_generate(generated: Generated, name: str) -> None:
    done = generated.results[name]
    assert done.returncode == 0, done.stderr
    assert (generated.root / "corpus_pkgs" / name / "server" / "operations.py").is_file()


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_documents_name_the_place_and_leave_nothing(generated: Generated, name: str) -> None:
    done = generated.results[name]
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "does not support" in done.stderr
    assert REFUSED[name] in done.stderr
    assert not (generated.root / "corpus_pkgs" / name).exists()


@pytest.mark.parametrize("name", sorted(UNSERVED))
def test_unserved_operations_are_warnings_answered_501_and_strict_refuses(
    generated: Generated, name: str, tmp_path: Path
) -> None:
    route, pointer = UNSERVED[name]
    done = generated.results[name]
    assert done.returncode == 0, done.stderr
    assert f"{pointer}: {route} is answered 501 Not Implemented: " in done.stderr
    assert "1 warning(s): operations the server target leaves out (answered 501)" in done.stderr
    server = _server(name)
    unserved = importlib.import_module(f"corpus_pkgs.{name}.server.operations").UNSERVED
    assert [f"{u.http_method} {u.path}" for u in unserved.values()] == [route]
    recorder = Recorder(server.Reply)
    app = server.create_app(recorder, authenticator=server.NoAuthentication())
    method, path = route.split(" ", 1)
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://corpus.test") as client:
        answered = client.request(method, server.DEFAULT_BASE_PATH + path + "?ids=a|b")
        served = [client.get(server.DEFAULT_BASE_PATH + p).status_code for p in ("/items/abc", "/items/ABC")]
    assert answered.status_code == 501, answered.text
    assert answered.json()["error"]["code"] == "NotImplemented"
    assert answered.json()["error"]["message"].startswith(f"This server does not implement {route}: parameter 'ids'")
    assert answered.headers["request-id"]
    assert served == [REACHED, 400]  # the other operation is served, validated as usual
    assert recorder.calls == ["get_item"]
    strict = codegen("gen", "--spec", str(CORPUS / f"{name}.yaml"), "--out", str(tmp_path / "out"), "--target",
                     "server", "--strict")  # fmt: skip
    assert strict.returncode == 2
    assert f"{pointer}: parameter style" in strict.stderr
    assert not (tmp_path / "out").exists()


def test_generated_servers_pass_mypy_strict(generated: Generated) -> None:
    for name in ACCEPTED:
        (generated.root / "corpus_pkgs" / name / "__init__.py").write_text("")
    mypy = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file", str(ROOT / "pyproject.toml"),
            *[f"corpus_pkgs/{name}" for name in ACCEPTED]]  # fmt: skip
    done = subprocess.run(mypy, cwd=generated.root, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("name", ACCEPTED)
def test_client_target(name: str, tmp_path: Path) -> None:
    """Every document gets a client; what openapi-python-client leaves out is a warning, fatal with --strict."""
    spec, out = str(CORPUS / f"{name}.yaml"), str(tmp_path / "out")
    done = codegen("gen", "--spec", spec, "--out", out, "--target", "client")
    assert done.returncode == 0, done.stderr
    assert "Traceback (most recent call last)" not in done.stderr
    importable = subprocess.run([sys.executable, "-c", "import out.client"], cwd=tmp_path, capture_output=True,
                                text=True, check=False)  # fmt: skip
    assert importable.returncode == 0, importable.stderr
    left_out = "the client leaves this out" in done.stderr
    assert left_out == (name not in CLIENT_SUPPORTED), done.stderr
    if left_out:
        strict = codegen("gen", "--spec", spec, "--out", str(tmp_path / "strict"), "--target", "client", "--strict")
        assert strict.returncode == 2
        assert "could not generate a client" in strict.stderr


class Recorder:
    """Handlers for any spec: every operation records its call and answers a recognisable status."""

    def __init__(self, reply: Any) -> None:
        self.calls: list[str] = []
        self.reply = reply  # the generated server's own Reply class

    def __getattr__(self, name: str) -> Any:
        async def handler(ctx: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            return self.reply(None, status=REACHED)

        return handler


def _server(name: str) -> Any:
    return importlib.import_module(f"corpus_pkgs.{name}.server")


def _operations(name: str) -> list[tuple[str, Any]]:
    """(method name in the generated server, schemathesis operation) for every operation of a spec."""
    spec = load(CORPUS / f"{name}.yaml")
    api = build(spec, strict=False)
    by_route = {(op.http_method, op.path): op.method_name for op in api.operations}
    unserved = {(op.http_method, op.path) for op in api.unserved}  # answered 501: tested on their own
    server = _server(name)
    config = schemathesis.Config.from_dict(
        {"base-url": f"http://corpus.test{server.DEFAULT_BASE_PATH}",
         "generation": {"with-security-parameters": False, "deterministic": True}}
    )  # fmt: skip
    schema = schemathesis.openapi.from_dict(spec.raw, config=config)
    schema.app = server.create_app(Recorder(server.Reply), authenticator=server.NoAuthentication())
    found = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()
        if (operation.method.upper(), operation.path) not in unserved:
            found.append((by_route[(operation.method.upper(), operation.path)], operation))
    return found


SETTINGS = settings(max_examples=25, derandomize=True, database=None, deadline=None,
                    suppress_health_check=list(HealthCheck))  # fmt: skip


def for_cases(operation: Any, mode: GenerationMode, check: Callable[[Any], None]) -> None:
    """Run ``check`` on generated cases of one operation (derandomised)."""

    @SETTINGS
    @given(case=operation.as_strategy(mode))
    def run(case: Any) -> None:
        check(case)

    run()


def reaches_handler(method_name: str, case: Any) -> None:
    response = case.call()
    assert response.status_code == REACHED, f"{method_name}: valid {case.as_curl_command()} got {response.text}"


def is_rejected(method_name: str, case: Any) -> None:
    # schemathesis decides what counts as negative (values that serialise back to valid are exempt).
    case.call_and_validate(checks=[not_a_server_error, negative_data_rejection, positive_data_acceptance])
    response = case.call()
    assert response.status_code in REJECTED | {REACHED}, f"{method_name}: {response.status_code}"


def same_verdict(method_name: str, ours: Any, reference: Any, verdicts: set[tuple[bool, bool]], case: Any) -> None:
    if not isinstance(case.body, dict | list | str | int | float | bool | type(None)):
        return  # no body, or raw bytes that are not JSON (negative mode): nothing to compare
    mine, theirs = ours.is_valid(case.body), reference.is_valid(case.body)
    assert mine == theirs, f"{method_name}: jsonschema-rs says {mine}, jsonschema {theirs}: {case.body!r}"
    verdicts.add((mine, theirs))


@pytest.mark.parametrize("name", ACCEPTED)
def test_valid_requests_reach_the_handler(generated: Generated, name: str) -> None:
    for method_name, operation in _operations(name):
        for_cases(operation, GenerationMode.POSITIVE, functools.partial(reaches_handler, method_name))


@pytest.mark.parametrize("name", ACCEPTED)
def test_invalid_requests_are_rejected(generated: Generated, name: str) -> None:
    api = build(load(CORPUS / f"{name}.yaml"), strict=False)
    for method_name, operation in _operations(name):
        ir_op = next(op for op in api.operations if op.method_name == method_name)
        if ir_op.body is not None and ir_op.body.kind == "binary":
            continue  # schemathesis cannot mutate binary bodies ("Unsupported type: 'bytes'")
        if not _has_constraints(ir_op):
            continue  # nothing to break: no negative case exists
        for_cases(operation, GenerationMode.NEGATIVE, functools.partial(is_rejected, method_name))


def _has_constraints(op: Any) -> bool:
    """Whether a request to this operation can be invalid at all (a body, or a constrained parameter)."""
    unconstrained = {"$schema", "type"}
    return op.body is not None or any(
        not (p.coercion == "string" and not p.is_array and set(p.schema) <= unconstrained) for p in op.parameters
    )


@pytest.mark.parametrize("name", ACCEPTED)
def test_body_validators_agree_with_jsonschema(generated: Generated, name: str) -> None:
    """The embedded jsonschema-rs validator and Python's jsonschema judge the same bodies alike."""
    operations = importlib.import_module(f"corpus_pkgs.{name}.server.operations").OPERATIONS
    api = build(load(CORPUS / f"{name}.yaml"), strict=False)
    checked = 0
    for method_name, operation in _operations(name):
        body_spec = operations[method_name].body
        ir_op = next(op for op in api.operations if op.method_name == method_name)
        if body_spec is None or body_spec.kind != "json" or ir_op.body is None:
            continue
        assert ir_op.body.validator is not None
        schema = standalone({schema.name: schema.value for schema in api.schemas}, ir_op.body.validator)
        reference = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        verdicts: set[tuple[bool, bool]] = set()
        compare = functools.partial(same_verdict, method_name, body_spec.validator, reference, verdicts)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for_cases(operation, mode, compare)
        assert verdicts == {(True, True), (False, False)}, f"{method_name}: saw only {verdicts}"
        checked += 1
    has_json_body = any(op.body is not None and op.body.kind == "json" for op in api.operations)
    assert checked > 0 or not has_json_body
