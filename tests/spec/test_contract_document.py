"""openapi.yaml says what the reference says Graph does (../shared/reference/graph-userstatuses.md)."""

from __future__ import annotations

from typing import Any

import pytest

from codegen.spec import refs
from codegen.spec.checks import check_samples
from codegen.spec.walk import HTTP_METHODS, walk

BASE = "/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/userStatuses"
ITEM = BASE + "/{managedDeviceMobileAppConfigurationUserStatusId}"
READ = [{"azureADv2": ["DeviceManagementApps.Read.All"]}, {"azureADv2": ["DeviceManagementApps.ReadWrite.All"]}]
WRITE = [{"azureADv2": ["DeviceManagementApps.ReadWrite.All"]}]
PREFIX = "deviceAppManagement.mobileAppConfigurations."
#: (path, method) -> (operationId, success status, security)
OPERATIONS = {
    (BASE, "get"): (PREFIX + "ListUserStatuses", "200", READ),
    (BASE, "post"): (PREFIX + "CreateUserStatuses", "201", WRITE),
    (ITEM, "get"): (PREFIX + "GetUserStatuses", "200", READ),
    (ITEM, "patch"): (PREFIX + "UpdateUserStatuses", "200", WRITE),
    (ITEM, "delete"): (PREFIX + "DeleteUserStatuses", "204", WRITE),
    (BASE + "/$count", "get"): (PREFIX + "userStatuses.GetCount", "200", READ),
}
STATUSES = ["unknown", "notApplicable", "compliant", "remediated", "nonCompliant", "error", "conflict", "notAssigned"]
DOCUMENTED_CREATE = {
    "@odata.type": "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus",
    "userDisplayName": "User Display Name value",
    "devicesCount": 12,
    "status": "notApplicable",
    "lastReportedDateTime": "2017-01-01T00:00:17.7769392-08:00",
    "userPrincipalName": "User Principal Name value",
}


def operations(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (path, method): op
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method in HTTP_METHODS
    }


def deref(doc: dict[str, Any], node: Any) -> Any:
    return refs.deref(doc, node)


def entity(doc: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = doc["components"]["schemas"]["managedDeviceMobileAppConfigurationUserStatus"]
    return schema


def test_exactly_the_six_operations(spec_document: dict[str, Any]) -> None:
    found = operations(spec_document)
    assert set(found) == set(OPERATIONS)
    for key, (operation_id, success, security) in OPERATIONS.items():
        op = found[key]
        assert op["operationId"] == operation_id
        assert op["security"] == security, key
        codes = set(op["responses"])
        assert success in codes, key
        assert not {c for c in codes if c.startswith("2")} - {success}, key


def test_servers(spec_document: dict[str, Any]) -> None:
    assert [s["url"] for s in spec_document["servers"]] == [
        "https://graph.microsoft.com/v1.0",
        "http://127.0.0.1:8000/v1.0",
    ]
    for server in spec_document["servers"]:  # the docs show a server's description verbatim, to partners
        assert not set(server["description"]) & set("`*_[]<>"), server


@pytest.mark.parametrize("key", sorted(OPERATIONS))
def test_every_operation_is_documented_and_has_error_responses(spec_document: dict[str, Any], key: Any) -> None:
    op = operations(spec_document)[key]
    assert op["summary"].strip()
    assert op["description"].strip()
    assert op["tags"]
    expected = {"400", "401", "403", "404", "default"}
    if "requestBody" in op:
        expected |= {"413", "415"}
    if key == (BASE, "post"):
        expected |= {"409"}
    assert expected <= set(op["responses"]), expected - set(op["responses"])
    for code, response in op["responses"].items():
        response = deref(spec_document, response)
        assert {"request-id", "client-request-id"} <= set(response["headers"]), code
        if code[0] in "45" or code == "default":
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ODataError"}, code
    if key == (BASE, "post"):
        assert "WWW-Authenticate" in deref(spec_document, op["responses"]["401"])["headers"]


def test_every_parameter_and_property_has_a_description(spec_document: dict[str, Any]) -> None:
    for param in spec_document["components"]["parameters"].values():
        assert param["description"].strip(), param["name"]
    for name, schema in spec_document["components"]["schemas"].items():
        assert schema["description"].strip(), name
        for prop, sub in schema.get("properties", {}).items():
            described = deref(spec_document, sub).get("description") or sub.get("description")
            assert described, f"{name}.{prop}"


def test_resource_schema_matches_graph(spec_document: dict[str, Any]) -> None:
    schema = entity(spec_document)
    assert schema["additionalProperties"] is False
    props = schema["properties"]
    assert set(props) == {"@odata.type", "id", "userDisplayName", "devicesCount", "status",
                          "lastReportedDateTime", "userPrincipalName"}  # fmt: skip
    assert props["@odata.type"]["const"] == "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus"
    assert props["devicesCount"] | {"description": ""} == {
        "type": "integer", "format": "int32", "minimum": -(2**31), "maximum": 2**31 - 1, "description": "",
    }  # fmt: skip
    assert props["lastReportedDateTime"]["format"] == "date-time"
    assert props["userDisplayName"]["type"] == ["string", "null"]
    assert props["userPrincipalName"]["type"] == ["string", "null"]
    assert "required" not in schema  # nothing is required on create
    assert spec_document["components"]["schemas"]["complianceStatus"]["enum"] == STATUSES
    assert props["status"] == {"$ref": "#/components/schemas/complianceStatus"}


def test_error_schema_matches_odata(spec_document: dict[str, Any]) -> None:
    schemas = spec_document["components"]["schemas"]
    assert schemas["ODataError"]["required"] == ["error"]
    assert schemas["MainError"]["required"] == ["code", "message"]
    assert set(schemas["MainError"]["properties"]) == {"code", "message", "target", "details", "innerError"}
    assert set(schemas["InnerError"]["properties"]) == {"date", "request-id", "client-request-id"}


def test_query_options(spec_document: dict[str, Any]) -> None:
    ops = operations(spec_document)

    def names(op: dict[str, Any]) -> list[str]:
        return [deref(spec_document, p)["name"] for p in op.get("parameters", [])]

    assert names(ops[(BASE, "get")]) == ["$top", "$skip", "$skiptoken", "$count", "$select"]
    assert names(ops[(ITEM, "get")]) == ["$select"]
    for param in spec_document["components"]["parameters"].values():
        if param["schema"].get("type") == "integer":
            assert {"minimum", "maximum"} <= set(param["schema"]), param["name"]


def test_create_links_drive_get_update_delete(spec_document: dict[str, Any]) -> None:
    ops = operations(spec_document)
    ids = {op["operationId"]: key for key, op in ops.items()}
    links = ops[(BASE, "post")]["responses"]["201"]["links"]
    assert {ids[link["operationId"]] for link in links.values()} == {(ITEM, "get"), (ITEM, "patch"), (ITEM, "delete")}
    for link in links.values():
        assert link["parameters"]["managedDeviceMobileAppConfigurationUserStatusId"] == "$response.body#/id"


def test_documented_create_example_is_verbatim(spec_document: dict[str, Any]) -> None:
    body = operations(spec_document)[(BASE, "post")]["requestBody"]["content"]["application/json"]
    assert body["examples"]["documented"]["value"] == DOCUMENTED_CREATE


def test_every_body_and_success_response_has_examples_and_all_examples_validate(spec_document: dict[str, Any]) -> None:
    for key, op in operations(spec_document).items():
        media = [*op.get("requestBody", {}).get("content", {}).values()]
        media += [
            m for code, r in op["responses"].items() if code.startswith("2") for m in r.get("content", {}).values()
        ]
        for m in media:
            assert m.get("examples"), key
    samples = [s for s in walk(spec_document).samples if s.kind == "example"]
    assert len(samples) >= 8
    assert check_samples(spec_document, samples) == []


def test_the_update_schema_is_the_resource_without_id(spec_document: dict[str, Any]) -> None:
    """Every property but id can change, typed exactly as the resource types it (codegen's drift check covers
    the types; this covers a property added to one of the two schemas only)."""
    update = spec_document["components"]["schemas"]["managedDeviceMobileAppConfigurationUserStatusUpdate"]
    resource = entity(spec_document)
    assert update["additionalProperties"] is False
    assert update["properties"] == {k: v for k, v in resource["properties"].items() if k != "id"}
