"""Small specs written to disk and built, for the build tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.build import build
from codegen.errors import SpecError
from codegen.ir import Api
from codegen.spec import load

OK = {"200": {"description": "ok"}}


def spec_file(tmp_path: Path, paths: dict[str, Any], **extra: Any) -> Path:
    doc = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": paths, **extra}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def built(tmp_path: Path, paths: dict[str, Any], **extra: Any) -> Api:
    return build(load(spec_file(tmp_path, paths, **extra)))


def refusal(tmp_path: Path, paths: dict[str, Any], **extra: Any) -> str:
    """The one problem the build reports, as printed."""
    with pytest.raises(SpecError) as caught:
        built(tmp_path, paths, **extra)
    assert len(caught.value.problems) == 1, [str(p) for p in caught.value.problems]
    return str(caught.value.problems[0])


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}
