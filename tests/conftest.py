"""Shared paths and helpers for the whole suite."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
GENERATED = ROOT / "generated"


@pytest.fixture(scope="session")
def spec_document() -> dict[str, object]:
    """Our contract, parsed and validated by codegen exactly as ``make gen`` does."""
    from codegen.spec import load

    return load(SPEC).document
