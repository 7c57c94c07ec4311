"""Every parameter shape both targets support, generated from tests/client/shapes.yaml: what the generated
client is given, the generated server hands its handler unchanged (path, query, header and cookie values;
strings, integers, numbers, booleans; arrays exploded or comma-separated)."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.asgi import SyncASGITransport
from tests.conftest import ROOT

pytestmark = pytest.mark.slow
SHAPES = Path(__file__).with_name("shapes.yaml")
HEADER_TEXT = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=20)


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, ModuleType, Any]]:
    root = tmp_path_factory.mktemp("shapes")
    command = [sys.executable, "-m", "codegen", "gen", "--spec", str(SHAPES), "--out", str(root / "shapes_pkg")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    sys.path.insert(0, str(root))
    try:
        client = importlib.import_module("shapes_pkg.client")
        server = importlib.import_module("shapes_pkg.server")
        yield client, server, importlib.import_module("shapes_pkg.client.api.default.get_items")
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n.startswith("shapes_pkg")]:
            del sys.modules[name]


class Recorder:
    def __init__(self) -> None:
        self.received: dict[str, Any] = {}

    async def get_items(self, ctx: Any, **kwargs: Any) -> Any:
        self.received = kwargs
        return {}


@settings(max_examples=60, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    name=st.text(min_size=1),
    ids=st.lists(st.integers(-(2**40), 2**40), min_size=1),
    flag=st.booleans(),
    tags=st.none() | st.lists(st.text(), min_size=1),  # an empty exploded array cannot be written
    fields=st.none() | st.lists(st.sampled_from(["a", "b", "c"])),
    limit=st.none() | st.integers(0, 2**53),
    ratio=st.none() | st.floats(allow_nan=False, allow_infinity=False),
    on=st.none() | st.booleans(),
    x_flag=st.none() | st.booleans(),
    x_count=st.integers(-(2**31), 2**31),
    x_note=st.none() | HEADER_TEXT,
    session=st.none() | st.text(),
    depth=st.none() | st.integers(0, 10**9),
)
def test_every_shape_arrives_as_given(shapes: tuple[ModuleType, ModuleType, Any], **values: Any) -> None:
    client_package, server_package, get_items = shapes
    recorder = Recorder()
    app = server_package.create_app(recorder, authenticator=server_package.NoAuthentication())
    client = client_package.Client(base_url="http://shapes.test/api", httpx_args={"transport": SyncASGITransport(app)})
    fields_item = importlib.import_module("shapes_pkg.client.models.get_items_fields_item").GetItemsFieldsItem
    options = {k: v for k, v in values.items() if v is not None and k not in ("name", "ids", "flag")}
    if "fields" in options:
        options["fields"] = [fields_item(v) for v in options["fields"]]
    response = get_items.sync_detailed(values["name"], values["ids"], values["flag"], client=client, **options)
    assert response.status_code == 200, response.content
    assert recorder.received == values
