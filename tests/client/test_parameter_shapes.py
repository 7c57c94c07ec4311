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
from tests.conftest import ROOT, importable

pytestmark = pytest.mark.slow
SHAPES = Path(__file__).with_name("shapes.yaml")
HEADER_TEXT = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=20)


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, ModuleType, Any]]:
    root = tmp_path_factory.mktemp("shapes")
    command = [sys.executable, "-m", "codegen", "gen", "--spec", str(SHAPES), "--out", str(root / "shapes_pkg")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    with importable(root, "shapes_pkg"):
        client = importlib.import_module("shapes_pkg.client")
        server = importlib.import_module("shapes_pkg.server")
        yield client, server, importlib.import_module("shapes_pkg.client.api.default.get_items")


class Recorder:
    """Both operations' handlers: each keeps the arguments it was called with."""

    def __init__(self) -> None:
        self.received: dict[str, Any] = {}

    async def get_items(self, ctx: Any, **kwargs: Any) -> Any:
        self.received = kwargs
        return {}

    async def create_order(self, ctx: Any, **kwargs: Any) -> Any:
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


KEY = st.text(st.characters(codec="utf-8", exclude_characters="[]"), min_size=1, max_size=8)


@settings(max_examples=60, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    # An empty object where an integer also fits has no deepObject spelling (``created=`` is read as text).
    created=st.none()
    | st.integers(0, 2**40)
    | st.fixed_dictionaries({}, optional={"gte": st.integers(0, 2**40), "lt": st.integers(0, 2**40)}).filter(bool),
    expand=st.none() | st.lists(st.text(min_size=1), min_size=1, max_size=3),
    body=st.fixed_dictionaries(
        {"amount": st.integers(-(2**40), 2**40)},
        optional={
            "note": st.text(),
            "paid": st.booleans(),
            "tags": st.lists(st.text(), min_size=1, max_size=3),
            "metadata": st.dictionaries(KEY, st.text(), min_size=1, max_size=3),
            "shipping": st.fixed_dictionaries(
                {},
                optional={
                    "name": st.text(),
                    "lines": st.lists(
                        st.fixed_dictionaries({"sku": st.text(), "qty": st.integers(0, 99)}), min_size=1, max_size=2
                    ),
                },
            ),
        },
    ),
)
def test_deep_objects_and_form_bodies_arrive_as_given(
    shapes: tuple[ModuleType, ModuleType, Any], created: Any, expand: Any, body: dict[str, Any]
) -> None:
    """deepObject query parameters and form fields: the client writes brackets, the server reads them back."""
    client_package, server_package, _ = shapes
    create_order = importlib.import_module("shapes_pkg.client.api.default.create_order")
    body_class = importlib.import_module("shapes_pkg.client.models.create_order_body").CreateOrderBody
    range_class = importlib.import_module(
        "shapes_pkg.client.models.create_order_created_type_1"
    ).CreateOrderCreatedType1
    recorder = Recorder()
    app = server_package.create_app(recorder, authenticator=server_package.NoAuthentication())
    client = client_package.Client(base_url="http://shapes.test/api", httpx_args={"transport": SyncASGITransport(app)})
    options: dict[str, Any] = {}
    if created is not None:
        options["created"] = range_class.from_dict(created) if isinstance(created, dict) else created
    if expand is not None:
        options["expand"] = expand
    response = create_order.sync_detailed(client=client, body=body_class.from_dict(body), **options)
    assert response.status_code == 200, response.content
    assert recorder.received == {"created": created, "expand": expand, "body": body}
