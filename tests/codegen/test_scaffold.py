"""``python -m codegen scaffold``: a starter Handlers implementation that type-checks, answers, and is written once."""

from __future__ import annotations

import importlib
import json
import os
import shlex
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from codegen.build import build
from codegen.scaffold import plan
from codegen.spec import load
from tests.asgi import SyncASGITransport
from tests.conftest import ROOT, SPEC, importable
from tests.service.conftest import free_port, wait_listening

COLLECTION = "/v1.0/deviceAppManagement/mobileAppConfigurations/{}/userStatuses"


def codegen(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "codegen", *args], cwd=cwd, capture_output=True, text=True,
                          check=False, env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip


def mypy_strict(path: Path, *search: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MYPYPATH": os.pathsep.join(str(p) for p in (ROOT, *search))}
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(path)], cwd=path.parent,
                          capture_output=True, text=True, check=False, env=env)  # fmt: skip


@pytest.fixture
def starter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """The scaffold of our spec, imported with STARTER_TOKEN=dev."""
    done = codegen("scaffold", "--out", str(tmp_path / "starter_app.py"))
    assert done.returncode == 0, done.stderr
    monkeypatch.setenv("STARTER_TOKEN", "dev")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module("starter_app")
    sys.modules.pop("starter_app", None)


def test_the_scaffold_answers_every_operation_of_the_spec_in_memory(starter: ModuleType) -> None:
    auth = {"Authorization": "Bearer dev"}
    with httpx.Client(transport=SyncASGITransport(starter.app), base_url="http://starter.test", headers=auth) as http:
        items = COLLECTION.format("c1")
        created = http.post(items, json={"status": "compliant", "devicesCount": 2})
        assert created.status_code == 201, created.text
        item_id = created.json()["id"]
        assert http.get(f"{items}/{item_id}").json()["status"] == "compliant"
        updated = http.patch(f"{items}/{item_id}", json={"status": "error"})
        assert updated.json() == {"id": item_id, "status": "error", "devicesCount": 2}  # merged, not replaced
        assert [s["id"] for s in http.get(items).json()["value"]] == [item_id]
        assert http.get(COLLECTION.format("c2")).json()["value"] == []  # keyed by the configuration too
        assert http.get(f"{items}/$count").text == "1"
        assert http.post(items, json={"id": item_id}).status_code == 409
        assert http.delete(f"{items}/{item_id}").status_code == 204
        assert http.get(f"{items}/{item_id}").status_code == 404
        assert http.delete(f"{items}/{item_id}").status_code == 404
        # The generated server still validates in front of it; and without the token nothing gets in.
        assert http.post(items, json={"status": "Compliant"}).status_code == 400
        assert http.get(items, headers={"Authorization": "Bearer other"}).status_code == 401


def test_the_generated_client_drives_the_scaffold(starter: ModuleType) -> None:
    """The other half against it: create, read, update, list every page and delete through the client."""
    from generated.client import AuthenticatedClient
    from generated.client.api.user_statuses import (
        create_user_statuses,
        delete_user_statuses,
        get_user_statuses,
        list_user_statuses,
        update_user_statuses,
    )
    from generated.client.models import ComplianceStatus
    from generated.client.models import ManagedDeviceMobileAppConfigurationUserStatus as Status
    from generated.client.models import ManagedDeviceMobileAppConfigurationUserStatusUpdate as Update

    transport = SyncASGITransport(starter.app)
    client = AuthenticatedClient(base_url="http://starter.test/v1.0", token="dev", httpx_args={"transport": transport})
    sent = Status(user_display_name="Ada", devices_count=2, status=ComplianceStatus.NOT_APPLICABLE,
                  last_reported_date_time="2017-01-01T00:00:17.7769392-08:00")  # fmt: skip
    created = create_user_statuses.sync("cfg-1", client=client, body=sent)
    assert isinstance(created, Status)
    assert isinstance(created.id, str)
    assert created.last_reported_date_time == "2017-01-01T00:00:17.7769392-08:00"  # the exact text, kept
    update_user_statuses.sync("cfg-1", created.id, client=client, body=Update(status=ComplianceStatus.COMPLIANT))
    got = get_user_statuses.sync("cfg-1", created.id, client=client)
    assert isinstance(got, Status)
    assert (got.status, got.user_display_name, got.devices_count) == (ComplianceStatus.COMPLIANT, "Ada", 2)
    assert [s.id for s in list_user_statuses.sync_all("cfg-1", client=client)] == [created.id]
    assert delete_user_statuses.sync_detailed("cfg-1", created.id, client=client).status_code == 204
    assert list(list_user_statuses.sync_all("cfg-1", client=client)) == []


def test_scaffold_never_overwrites_a_file(tmp_path: Path) -> None:
    mine = tmp_path / "mine.py"
    mine.write_text("# my handlers\n")
    done = codegen("scaffold", "--out", str(mine))
    assert done.returncode == 2
    assert "mine.py exists: scaffold never overwrites" in done.stderr
    assert mine.read_text() == "# my handlers\n"


def test_scaffold_refuses_an_import_path_that_is_not_one(tmp_path: Path) -> None:
    done = codegen("scaffold", "--out", str(tmp_path / "x.py"), "--server", "os; import sys")
    assert done.returncode == 2
    assert "is not a Python import path" in done.stderr
    assert not (tmp_path / "x.py").exists()


def test_operations_it_cannot_read_as_a_resource_answer_501_and_the_rest_is_typed(tmp_path: Path) -> None:
    """On another spec (the petstore: /pet has no collection GET, /pet/findByStatus is a search), the
    resource operations are planned and the others raise Unimplemented; the whole file passes mypy --strict."""
    spec = ROOT / "tests/codegen/corpus/petstore_30.yaml"
    plans = plan(build(load(spec), strict=False))
    kinds = {name: p.kind for name, p in plans.items()}
    assert kinds == {"add_pet": "create", "get_pet_by_id": "get", "delete_pet": "delete", "find_pets_by_status": "todo"}
    assert codegen("gen", "--spec", str(spec), "--out", str(tmp_path / "pets"), "--target", "server").returncode == 0
    (tmp_path / "pets" / "__init__.py").write_text("")
    out = tmp_path / "pet_starter.py"
    done = codegen("scaffold", "--spec", str(spec), "--out", str(out), "--server", "pets.server")
    assert done.returncode == 0, done.stderr
    assert "raise Unimplemented(" in out.read_text()
    checked = mypy_strict(out, tmp_path)
    assert checked.returncode == 0, checked.stdout
    with importable(tmp_path, "pets"):
        module = importlib.import_module("pet_starter")
        sys.modules.pop("pet_starter")
        with httpx.Client(transport=SyncASGITransport(module.app), base_url="http://pets.test/api/v3") as http:
            created = http.post("/pet", json={"name": "doggie", "photoUrls": []}, headers={"api_key": "k"})
            assert created.status_code == 200, created.text  # NoAuthentication: the TODO says so
            assert http.get(f"/pet/{created.json()['id']}").json()["name"] == "doggie"
            assert http.get("/pet/findByStatus", params={"status": "sold"}).status_code == 501


@pytest.mark.slow
def test_the_readme_scaffold_example_runs_as_written_and_passes_mypy_strict(tmp_path: Path) -> None:
    """The README's lines, run in a folder holding what the checkout has: the spec, the venv, codegen, generated."""
    section = (ROOT / "README.md").read_text().split("## The generated server", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0].replace("\\\n", " ")
    scaffold, serve, curl = [line for line in block.splitlines() if line and not line.startswith("#")]
    for name in (SPEC.name, ".venv", "generated", "codegen"):
        (tmp_path / name).symlink_to(ROOT / name)
    port = str(free_port())
    assert subprocess.run(scaffold, shell=True, cwd=tmp_path, check=False).returncode == 0  # noqa: S602
    checked = mypy_strict(tmp_path / "starter.py")
    assert checked.returncode == 0, checked.stdout
    log = tmp_path / "uvicorn.log"
    with log.open("w") as output:  # the child keeps its own copy of the descriptor
        server = subprocess.Popen(serve.replace("8001", port), shell=True, cwd=tmp_path, start_new_session=True,  # noqa: S602
                                  stdout=output, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        wait_listening(int(port), server)
        command = [*shlex.split(curl.replace("8001", port)), "--silent", "--show-error"]
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=30)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    assert done.returncode == 0, f"{done.stderr}\n{log.read_text()}"
    created = json.loads(done.stdout)
    assert created["status"] == "compliant"
    assert created["id"]
