"""The CHANGELOG partners read: each change once, by schema then by operation, breaking first, short lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from codegen.contract.diff import compare
from codegen.contract.policy import Published
from codegen.contract.publish import changelog
from codegen.spec import load
from tests.conftest import ROOT

BASELINE = Published("2.0.0", ROOT / "published" / "openapi-2.0.0.json")
OPERATIONS = "ListUserStatuses, GetUserStatuses, UpdateUserStatuses, CreateUserStatuses"


def changed(tmp_path: Path, version: str, breaking: bool = False) -> str:
    """The published 2.0.0 with one more complianceStatus value, one more property and one more query
    parameter on the list; with ``breaking``, a complianceStatus value removed too."""
    doc: dict[str, Any] = json.loads(BASELINE.path.read_text())
    doc["info"]["version"] = version
    schemas = doc["components"]["schemas"]
    schemas["complianceStatus"]["enum"].append("unknownFutureValue")
    if breaking:
        schemas["complianceStatus"]["enum"].remove("notAssigned")
    schemas["managedDeviceMobileAppConfigurationUserStatus"]["properties"]["lastSyncDateTime"] = {
        "description": "When the device last synced.",
        "type": "string",
        "format": "date-time",
    }
    listing = doc["paths"][
        "/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/userStatuses"
    ]
    listing["get"]["parameters"].append({"name": "$search", "in": "query", "schema": {"type": "string"}})
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(doc))
    spec = load(path)
    return changelog(spec, BASELINE, compare(load(BASELINE.path).document, spec.document))


def section(text: str, title: str) -> str:
    return text.split(f"## {title}")[1].split("\n## ")[0]


def test_a_schema_change_is_listed_once_under_the_schema_with_the_operations_it_reaches(tmp_path: Path) -> None:
    text = changed(tmp_path, "2.1.0")
    # Once as a new value clients read (closed enums), once as one they may send; never once per operation.
    assert text.count("'unknownFutureValue'") == 2
    assert text.count("property 'lastSyncDateTime' added") == 1
    closed = section(text, "Changes that break clients with closed enums")
    assert "### Schema `complianceStatus`\n\n" in closed
    assert f"Affects {OPERATIONS}." in closed
    assert "- enum value(s) added: 'unknownFutureValue'\n" in closed
    other = section(text, "Other changes")
    assert "### Schema `complianceStatus`\n\nAffects UpdateUserStatuses, CreateUserStatuses.\n" in other
    assert "### Schema `managedDeviceMobileAppConfigurationUserStatus`\n" in other
    # Schemas first, then what belongs to one operation only, under that operation.
    assert other.index("### Schema") < other.index("### Operation `ListUserStatuses`")
    assert "- optional query parameter '$search' added\n" in other.split("### Operation `ListUserStatuses`")[1]
    assert section(text, "Breaking changes").strip() == "- none"


def test_breaking_changes_come_first_and_lines_stay_short(tmp_path: Path) -> None:
    text = changed(tmp_path, "3.0.0", breaking=True)
    assert text.index("## Breaking changes") < text.index("## Changes that break") < text.index("## Other changes")
    breaking = section(text, "Breaking changes")
    assert "### Schema `complianceStatus`\n\nAffects UpdateUserStatuses, CreateUserStatuses.\n" in breaking
    assert "- enum value(s) removed: 'notAssigned'\n" in breaking
    # Requests no longer send the value (breaking); responses no longer carry it (compatible). In the other
    # changes, the new value reaches fewer operations than the schema's other change: it says which.
    assert "- enum value(s) added: 'unknownFutureValue' (only in UpdateUserStatuses, CreateUserStatuses)" in text
    # Only an endpoint (one word that cannot be broken) may be longer than the width.
    assert [line for line in text.splitlines() if len(line) > 100 and not line.startswith("`")] == []
