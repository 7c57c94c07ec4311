"""Shared paths and helpers for the whole suite."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
GENERATED = ROOT / "generated"


@contextmanager
def importable(root: Path, package: str) -> Iterator[None]:
    """Packages generated under ``root`` importable in this process; afterwards ``package`` and its modules
    are forgotten, so that a later test generating another package of that name imports its own."""
    sys.path.insert(0, str(root))
    try:
        yield
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]


@pytest.fixture(scope="session")
def spec_document() -> dict[str, object]:
    """Our contract, parsed and validated by codegen exactly as ``make gen`` does."""
    from codegen.spec import load

    return load(SPEC).document
