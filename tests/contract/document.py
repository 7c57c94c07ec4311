"""The contract the suite holds servers to: openapi.yaml as written (YAML 1.2, nothing resolved), and what the
tests read from it. Reading it needs PyYAML only, so that the suite runs from its slim install."""

from __future__ import annotations

import functools
import os
from typing import Any

from codegen.pointer import Pointer
from codegen.spec import refs
from codegen.spec.yamlsource import parse
from tests.conftest import SPEC

COLLECTION_PATH = "/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/userStatuses"
ITEM_PATH = COLLECTION_PATH + "/{managedDeviceMobileAppConfigurationUserStatusId}"


@functools.cache
def contract() -> dict[str, Any]:
    """The spec; a mutant may change it as a spec change would (``mutants.spec_for``)."""
    document: dict[str, Any] = parse(SPEC.read_text(encoding="utf-8"), SPEC.name).data
    mutant = os.environ.get("CONTRACT_MUTANT")
    if mutant:
        from tests.contract import mutants

        document = mutants.spec_for(mutant, document)
    return document


def deref(node: Any) -> Any:
    """``node`` with its local ``$ref`` followed (repeatedly)."""
    return refs.deref(contract(), node)


def create_schema_location() -> Pointer:
    """Where the JSON schema of the create request's body is."""
    where = ("paths", COLLECTION_PATH, "post", "requestBody", "content", "application/json", "schema")
    return refs.landing(contract(), where)


def create_schema() -> dict[str, Any]:
    """The JSON schema of the create request's body."""
    body = deref(contract()["paths"][COLLECTION_PATH]["post"]["requestBody"])
    schema: dict[str, Any] = deref(body["content"]["application/json"]["schema"])
    return schema


def documented_create() -> dict[str, Any]:
    """The create request's first example: Microsoft's documented body."""
    media = deref(contract()["paths"][COLLECTION_PATH]["post"]["requestBody"])["content"]["application/json"]
    example: dict[str, Any] = deref(next(iter(media["examples"].values())))["value"]
    return example


def statuses() -> list[str]:
    """Every value of ``complianceStatus``."""
    values: list[str] = deref(create_schema()["properties"]["status"])["enum"]
    return values


def routes() -> list[str]:
    """The spec's path templates."""
    return list(contract()["paths"])


def standalone(where: Pointer) -> Any:
    """The schema at ``where`` as one self-contained JSON schema."""
    return refs.bundle(contract(), where)


def odata_error_schema() -> Any:
    """Graph's error envelope as one self-contained JSON schema."""
    return standalone(("components", "schemas", "ODataError"))
