"""Graph semantics of the service over SQLite: ids, merge, paging, $count, $select, errors, persistence."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.service.conftest import BASE, COLLECTION, InProcess
from tests.spec.test_contract_document import DOCUMENTED_CREATE

ODATA_TYPE = "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus"


def create(service: InProcess, body: dict[str, Any], base: str = BASE) -> dict[str, Any]:
    response = service.call("POST", base, json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_create_assigns_a_uuid_and_returns_every_property(service: InProcess) -> None:
    response = service.call("POST", BASE, json=DOCUMENTED_CREATE)
    assert response.status_code == 201
    assert response.headers["odata-version"] == "4.0"
    body = response.json()
    assert uuid.UUID(body.pop("id"))
    assert body == DOCUMENTED_CREATE  # every value as sent, the 7-digit fraction included


def test_defaults_for_properties_never_set(service: InProcess) -> None:
    body = create(service, {})
    assert {k: v for k, v in body.items() if k != "id"} == {
        "@odata.type": ODATA_TYPE, "userDisplayName": None, "devicesCount": 0, "status": "unknown",
        "lastReportedDateTime": "0001-01-01T00:00:00Z", "userPrincipalName": None,
    }  # fmt: skip


def test_client_id_is_kept_and_a_duplicate_is_409(service: InProcess) -> None:
    assert create(service, {"id": "mine"})["id"] == "mine"
    response = service.call("POST", BASE, json={"id": "mine", "status": "error"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "Conflict"
    assert service.call("GET", BASE + "/mine").json()["status"] == "unknown"  # the first one is untouched
    assert create(service, {"id": "mine"}, COLLECTION.format("cfg-2"))["id"] == "mine"  # other configuration


def test_get_update_delete(service: InProcess) -> None:
    sid = create(service, {"status": "compliant", "devicesCount": 3, "userDisplayName": "Ada"})["id"]
    got = service.call("GET", f"{BASE}/{sid}")
    assert (got.status_code, got.json()["status"]) == (200, "compliant")
    updated = service.call("PATCH", f"{BASE}/{sid}", json={"status": "error", "userDisplayName": None})
    assert updated.status_code == 200
    assert {k: updated.json()[k] for k in ("status", "devicesCount", "userDisplayName")} == {
        "status": "error", "devicesCount": 3, "userDisplayName": None,
    }  # fmt: skip
    assert service.call("GET", f"{BASE}/{sid}").json() == updated.json()
    assert service.call("DELETE", f"{BASE}/{sid}").status_code == 204
    for method in ("GET", "PATCH", "DELETE"):
        response = service.call(method, f"{BASE}/{sid}", json={} if method == "PATCH" else None)
        assert response.status_code == 404, method
        assert response.json()["error"]["code"] == "ResourceNotFound"


def test_changing_the_id_is_400(service: InProcess) -> None:
    sid = create(service, {})["id"]
    for sent in ("other", sid):
        response = service.call("PATCH", f"{BASE}/{sid}", json={"id": sent})
        assert response.status_code == 400
        error = response.json()["error"]
        assert (error["target"], error["message"]) == (
            "id",
            "The property 'id' cannot be changed: it is read-only here.",
        )
    assert service.call("GET", f"{BASE}/{sid}").json()["id"] == sid


def test_list_pages_in_creation_order_with_absolute_next_links(service: InProcess) -> None:
    ids = [create(service, {"id": f"s{i:03}"})["id"] for i in range(25)]
    seen: list[str] = []
    url: str | None = BASE + "?$top=10&$count=true&$select=status"
    pages = 0
    while url:
        response = service.call("GET", url)
        assert response.status_code == 200
        page = response.json()
        assert page["@odata.count"] == 25
        assert all(set(item) == {"@odata.type", "id", "status"} for item in page["value"])
        seen += [item["id"] for item in page["value"]]
        url = page.get("@odata.nextLink")
        if url:
            assert url.startswith("http://testserver/v1.0/")
            url = urlsplit(url).path + "?" + urlsplit(url).query
        pages += 1
    assert seen == ids
    assert pages == 3


def test_default_and_maximum_page_size(service: InProcess) -> None:
    for i in range(120):
        create(service, {"id": str(i)})
    assert len(service.call("GET", BASE).json()["value"]) == 100
    page = service.call("GET", BASE + "?$top=5000").json()
    assert len(page["value"]) == 120
    assert "@odata.nextLink" not in page
    assert service.call("GET", BASE + "?$skip=118").json()["value"] == [
        service.call("GET", f"{BASE}/118").json(), service.call("GET", f"{BASE}/119").json(),
    ]  # fmt: skip


def test_count_is_plain_text(service: InProcess) -> None:
    for _ in range(3):
        create(service, {})
    response = service.call("GET", BASE + "/$count")
    assert (response.status_code, response.headers["content-type"], response.text) == (200, "text/plain", "3")
    assert service.call("GET", COLLECTION.format("empty") + "/%24count").text == "0"


def test_get_with_select(service: InProcess) -> None:
    sid = create(service, DOCUMENTED_CREATE)["id"]
    body = service.call("GET", f"{BASE}/{sid}?$select=devicesCount,userPrincipalName").json()
    assert body == {"@odata.type": ODATA_TYPE, "id": sid, "devicesCount": 12,
                    "userPrincipalName": "User Principal Name value"}  # fmt: skip


@pytest.mark.parametrize(
    "text",
    ["'; DROP TABLE user_status; --", "<script>alert(1)</script>", "Robert'); --", "\u2028\x00ünï\U0001f600", "%s %d"],
)
def test_sql_and_markup_are_stored_verbatim(service: InProcess, text: str) -> None:
    created = create(service, {"id": text, "userDisplayName": text, "userPrincipalName": text})
    assert created["userDisplayName"] == text
    fetched = service.call("GET", f"{BASE}/{_quote(text)}").json()
    assert (fetched["id"], fetched["userDisplayName"], fetched["userPrincipalName"]) == (text, text, text)
    assert service.call("GET", BASE + "/$count").text == "1"


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def test_restart_keeps_data(service: InProcess) -> None:
    created = create(service, DOCUMENTED_CREATE)
    again = service.reopen()
    try:
        assert again.call("GET", f"{BASE}/{created['id']}").json() == created
    finally:
        again.store.close()


def test_schema_version_and_wal(service: InProcess) -> None:
    db = service.store.connection
    assert db.execute("SELECT version FROM schema_version").fetchall() == [(1,), (2,)]
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_full_database_is_503_corrupts_nothing_and_reads_go_on(service: InProcess) -> None:
    kept = create(service, {"userDisplayName": "kept"})
    db = service.store.connection
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")
    big = {"userDisplayName": "x" * 256, "userPrincipalName": "y" * 256}  # the longest the spec allows
    responses = [service.call("POST", BASE, json=big) for _ in range(60)]
    codes = [r.status_code for r in responses]
    first_failure = codes.index(503)  # free space in the last pages may take a few rows first
    assert codes[first_failure:] == [503] * (len(codes) - first_failure)
    assert set(codes[:first_failure]) <= {201}
    error = responses[first_failure].json()["error"]
    assert error["code"] == "ServiceUnavailable"
    assert "full" in error["message"]
    assert responses[first_failure].headers["retry-after"] == "5"
    assert service.call("GET", f"{BASE}/{kept['id']}").json() == kept
    assert service.call("GET", BASE + "/$count").text == str(1 + first_failure)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_read_only_database_is_503_for_writes_and_serves_reads(service: InProcess) -> None:
    from tests.service.conftest import make_service

    kept = create(service, {"userDisplayName": "kept"})
    service.store.close()
    read_only = make_service(service.db, read_only=True)
    try:
        response = read_only.call("POST", BASE, json={})
        assert response.status_code == 503
        assert "read-only" in response.json()["error"]["message"]
        assert read_only.call("PATCH", f"{BASE}/{kept['id']}", json={"status": "error"}).status_code == 503
        assert read_only.call("DELETE", f"{BASE}/{kept['id']}").status_code == 503
        assert read_only.call("GET", f"{BASE}/{kept['id']}").json() == kept
        assert read_only.call("GET", BASE).json()["value"] == [kept]
    finally:
        read_only.store.close()
    service.store = make_service(service.db).store  # the fixture closes it
