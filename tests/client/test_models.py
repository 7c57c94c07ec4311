"""The generated client imports, and its models carry the documented example through from_dict/to_dict."""

from __future__ import annotations

import datetime
import importlib
import pkgutil

import pytest

import generated.client
from generated.client import rfc3339
from generated.client.models import ComplianceStatus, ManagedDeviceMobileAppConfigurationUserStatus, ODataError
from tests.spec.test_contract_document import DOCUMENTED_CREATE, STATUSES


def test_every_client_module_imports() -> None:
    names = [m.name for m in pkgutil.walk_packages(generated.client.__path__, "generated.client.")]
    assert len(names) > 10
    for name in names:
        importlib.import_module(name)


def test_enum_has_the_eight_values() -> None:
    assert sorted(s.value for s in ComplianceStatus) == sorted(STATUSES)  # the client sorts members


def test_documented_example_round_trips() -> None:
    body = {**DOCUMENTED_CREATE, "id": "44960944-0944-4496-4409-964444099644"}
    model = ManagedDeviceMobileAppConfigurationUserStatus.from_dict(body)
    assert model.status is ComplianceStatus.NOT_APPLICABLE
    assert model.devices_count == 12
    # The exact text: Graph's example has 7 fractional digits, which a datetime cannot hold.
    assert model.last_reported_date_time == "2017-01-01T00:00:17.7769392-08:00"
    assert rfc3339.to_datetime(model.last_reported_date_time) == datetime.datetime(
        2017, 1, 1, 0, 0, 17, 776939, tzinfo=datetime.timezone(datetime.timedelta(hours=-8))
    )
    assert model.to_dict() == body


def test_unknown_const_is_refused() -> None:
    with pytest.raises(ValueError, match=r"@odata\.type must match const"):
        ManagedDeviceMobileAppConfigurationUserStatus.from_dict({"@odata.type": "#microsoft.graph.user"})


def test_error_model_round_trips() -> None:
    error = {
        "error": {
            "code": "BadRequest",
            "message": "bad",
            "target": "status",
            "details": [{"code": "InvalidValue", "message": "bad", "target": "status"}],
            "innerError": {"date": "2026-11-27T10:00:00", "request-id": "r", "client-request-id": "c"},
        }
    }
    assert ODataError.from_dict(error).to_dict() == error
