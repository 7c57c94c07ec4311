"""Hostile specs: names and texts built to break out of generated code, or out of the output folder.

Every spec value reaches generated code as a literal (repr/JSON) or as an identifier that passed the
allow-list. So each spec here either generates code that imports without side effects (the canary file
is never written) and keeps colliding names apart, or is refused with a clear message; and no file is
ever written outside --out.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def payloads(canary: Path) -> list[str]:
    code = f"__import__('pathlib').Path({str(canary)!r}).write_text('pwned')"
    return [
        f'"; {code} #', f"'; {code} #", f'"""\n{code}\n"""', f"'''\n{code}\n'''", "\\", "a\rb", "a\u2028b",
        "{x}", "${x}", "{{x}}", "{%x%}", f'\\"""{code}', f"\n{code}\n", "</script><script>alert(1)</script>",
    ]  # fmt: skip


NAMES = ["class", "None", "import", "id", "list", "type", "1abc", "fooBar", "foo_bar", "FooBar", "self", "ctx",
         "body", "__init__", "../x", "a/b"]  # fmt: skip


def names_spec(canary: Path) -> dict[str, Any]:
    """Hostile names everywhere a name can go: properties, parameters, operation ids, paths, tags."""
    texts = payloads(canary)
    properties: dict[str, Any] = {text: {"type": "string", "description": text} for text in texts}
    properties |= {name: {"type": "integer"} for name in NAMES}
    properties |= {"kind": {"type": "string", "enum": texts}, "klass": {"$ref": "#/components/schemas/class"}}
    query = [{"name": text, "in": "query", "description": text, "schema": {"type": "string", "default": text}}
             for text in texts[:6]]  # fmt: skip
    query += [{"name": n, "in": "query", "schema": {"type": "integer"}} for n in ("fooBar", "foo_bar", "FooBar")]
    return {
        "openapi": "3.1.0",
        "info": {"title": texts[0], "version": texts[2], "description": texts[3]},
        "servers": [{"url": "/v1/" + texts[1]}],
        "tags": [{"name": "../../etc", "description": texts[4]}],
        "paths": {
            "/things/{class}": {
                "parameters": [{"name": "class", "in": "path", "required": True, "schema": {"type": "string"}}],
                "post": {
                    "operationId": f"../{texts[0]}",
                    "tags": ["../../etc"],
                    "summary": texts[2],
                    "description": texts[3],
                    "parameters": [*query, {"name": "X-Evil", "in": "header", "schema": {"enum": texts[:4]}}],
                    "requestBody": {
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}
                    },
                    "responses": {"200": {"description": texts[5]}},
                },
            },
            "/dollar$x'\"%20/ok": {"get": {"operationId": "fooBar", "responses": {"204": {"description": "x"}}}},
            "/other": {"get": {"operationId": "foo_bar", "responses": {"204": {"description": "x"}}}},
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "description": texts[2],
                    "additionalProperties": False,
                    "properties": properties,
                },
                "class": {"type": "object", "properties": {"x": {"type": "string", "enum": ["None", texts[0]]}}},
            }
        },
    }


def texts_spec(canary: Path) -> dict[str, Any]:
    """Ordinary names, hostile texts: what openapi-python-client also accepts."""
    texts = payloads(canary)
    thing = {"$ref": "#/components/schemas/Thing"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Texts " + texts[2], "version": texts[0], "description": texts[3]},
        "paths": {
            "/things": {
                "post": {
                    "operationId": "makeThing",
                    "tags": ["../../../evil", "..\\x"],
                    "summary": texts[2],
                    "description": texts[11],
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "description": texts[2],
                            "schema": {"type": "string", "default": texts[3]},
                        }
                    ],
                    "requestBody": {"description": texts[3], "content": {"application/json": {"schema": thing}}},
                    "responses": {"200": {"description": texts[2], "content": {"application/json": {"schema": thing}}}},
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "title": texts[3],
                    "description": texts[2],
                    "properties": {
                        "name": {
                            "type": "string",
                            "description": texts[11],
                            "default": texts[0],
                            "examples": [texts[3]],
                        },
                        "kind": {"type": "string", "enum": texts[:4]},
                    },
                }
            }
        },
    }


def generate(tmp_path: Path, spec: dict[str, Any], target: str, *flags: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    command = [sys.executable, "-m", "codegen", "gen", "--spec", str(path), "--out", str(tmp_path / "out"),
               "--target", target, *flags]  # fmt: skip
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def import_everything(tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Import every generated module in a fresh interpreter, as a user's program would."""
    script = (
        "import importlib, pkgutil, out\n"
        "for module in pkgutil.walk_packages(out.__path__, 'out.'):\n"
        "    importlib.import_module(module.name)\n"
    )
    return subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False)


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if "__pycache__" not in p.parts}


def test_hostile_names_make_a_safe_server(tmp_path: Path) -> None:
    canary = tmp_path / "CANARY"
    done = generate(tmp_path, names_spec(canary), "server")
    assert done.returncode == 0, done.stderr
    assert {p.split("/")[0] for p in files_under(tmp_path)} == {"spec.json", "out"}
    imported = import_everything(tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert not canary.exists()
    mypy = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file", str(ROOT / "pyproject.toml"),
            "out/server"]  # fmt: skip
    checked = subprocess.run(mypy, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout
    handlers = (tmp_path / "out" / "server" / "handlers.py").read_text()
    assert "async def foo_bar(" in handlers
    assert "async def foo_bar_2(" in handlers
    assert not canary.exists()


def test_hostile_server_still_validates_exactly(tmp_path: Path) -> None:
    """Hostile keys and enum values are data: accepted when the spec allows them, rejected otherwise."""
    canary = tmp_path / "CANARY"
    texts = payloads(canary)
    assert generate(tmp_path, names_spec(canary), "server").returncode == 0
    script = f"""
import json, sys
sys.path.insert(0, {str(ROOT)!r})
from out.server import create_app, NoAuthentication, Reply
from tests.asgi import SyncASGITransport
import httpx

class Echo:
    def __getattr__(self, name):
        async def handler(ctx, **kwargs):
            return Reply(None, status=299)
        return handler

app = create_app(Echo(), authenticator=NoAuthentication())
client = httpx.Client(transport=SyncASGITransport(app), base_url="http://t")
base = {json.dumps("/v1/" + texts[1])!r}
from urllib.parse import quote
root = "/" + "/".join(quote(s, safe="") for s in json.loads(base).split("/") if s)
texts = json.loads({json.dumps(texts)!r})
results = [
    client.post(root + "/things/x", json={{texts[0]: "v", "kind": texts[2], "class": 1}}).status_code,
    client.post(root + "/things/x", json={{"kind": "other"}}).status_code,
    client.post(root + "/things/x", json={{"unknown": 1}}).status_code,
    client.get(root + "/dollar$x'%22%2520/ok").status_code,
    client.get(root + "/other").status_code,
]
print(json.dumps(results))
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [299, 400, 400, 299, 299]
    assert not canary.exists()


def test_hostile_names_make_a_safe_client_and_strict_refuses_without_partial_output(tmp_path: Path) -> None:
    canary = tmp_path / "CANARY"
    done = generate(tmp_path, names_spec(canary), "all")
    assert done.returncode == 0, done.stderr  # what the tool leaves out is reported as warnings
    assert "the client leaves this out" in done.stderr
    assert {p.split("/")[0] for p in files_under(tmp_path)} == {"spec.json", "out"}
    assert not any(".." in p for p in files_under(tmp_path / "out"))
    imported = import_everything(tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert not canary.exists()
    shutil.rmtree(tmp_path / "out")
    strict = generate(tmp_path, names_spec(canary), "all", "--strict")
    assert strict.returncode == 2
    assert "could not generate a client" in strict.stderr
    assert "Traceback (most recent call last)" not in strict.stderr
    assert not (tmp_path / "out").exists()  # not even the server, which alone would have worked


def test_hostile_texts_make_safe_client_and_server(tmp_path: Path) -> None:
    canary = tmp_path / "CANARY"
    done = generate(tmp_path, texts_spec(canary), "all")
    assert done.returncode == 0, done.stderr
    assert {p.split("/")[0] for p in files_under(tmp_path)} == {"spec.json", "out"}
    assert not any(".." in p or "evil" in p.split("/")[:2] for p in files_under(tmp_path / "out"))
    imported = import_everything(tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert not canary.exists()


@pytest.mark.parametrize(
    "ref", ["file:///etc/passwd", "/etc/passwd", "../../../../etc/passwd#/x", "http://127.0.0.1:1/s.json"]
)
def test_references_out_of_the_document_are_refused(tmp_path: Path, ref: str) -> None:
    spec = texts_spec(tmp_path / "CANARY")
    spec["components"]["schemas"]["Thing"]["properties"]["name"] = {"$ref": ref}
    done = generate(tmp_path, spec, "server")
    assert done.returncode == 2
    assert "/components/schemas/Thing/properties/name/$ref" in done.stderr
    assert "not supported" in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("make_spec", [names_spec, texts_spec])
def test_a_scaffold_of_a_hostile_spec_is_safe_code_that_type_checks(tmp_path: Path, make_spec: Any) -> None:
    canary = tmp_path / "CANARY"
    assert generate(tmp_path, make_spec(canary), "server").returncode == 0
    command = [sys.executable, "-m", "codegen", "scaffold", "--spec", str(tmp_path / "spec.json"), "--out",
               str(tmp_path / "starter.py"), "--server", "out.server"]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    imported = subprocess.run([sys.executable, "-c", "import starter"], cwd=tmp_path, capture_output=True, text=True,
                              check=False)  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    mypy = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file", str(ROOT / "pyproject.toml"),
            "starter.py"]  # fmt: skip
    checked = subprocess.run(mypy, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout
    assert not canary.exists()
