"""codegen.build.api: our contract's IR as a whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.build import build, default_base_path
from codegen.spec import load
from tests.codegen.build.specs import OK, spec_file
from tests.conftest import SPEC


def test_our_api_ir() -> None:
    api = build(load(SPEC))
    names = [op.method_name for op in api.operations]
    assert sorted(names) == ["create_user_statuses", "delete_user_statuses", "get_count", "get_user_statuses",
                             "list_user_statuses", "update_user_statuses"]  # fmt: skip
    create = next(op for op in api.operations if op.method_name == "create_user_statuses")
    assert (create.http_method, create.success_status) == ("POST", 201)
    assert create.security == ((("azureADv2", ("DeviceManagementApps.ReadWrite.All",)),),)
    assert create.body is not None
    assert create.body.annotation == "ManagedDeviceMobileAppConfigurationUserStatus"
    listing = next(op for op in api.operations if op.method_name == "list_user_statuses")
    top = next(p for p in listing.parameters if p.wire_name == "$top")
    assert (top.py_name, top.coercion, top.annotation, top.location) == ("top", "integer", "int | None", "query")
    assert api.base_path == "/v1.0"
    assert api.bearer_schemes == ("azureADv2",)
    assert api.package == "microsoft_graph_intune_user_statuses"


@pytest.mark.parametrize(
    ("servers", "base_path"),
    [([{"url": "https://graph.microsoft.com/v1.0/"}], "/v1.0"), ([{"url": "/api"}], "/api"), ([], ""),
     ([{"url": "https://{region}.example.com/{version}"}], ""), ([{"url": "https://x.test"}], "")],
)  # fmt: skip
def test_the_base_path_is_the_first_servers_path(tmp_path: Path, servers: list[object], base_path: str) -> None:
    spec = load(spec_file(tmp_path, {"/a": {"get": {"responses": OK}}}, servers=servers))
    assert default_base_path(spec) == base_path
