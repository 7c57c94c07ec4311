"""The version policy: which ``info.version`` may follow the published ones, given the changes between them.

A version is published once, with one content; versions only grow; a breaking change needs a major bump.
Every published version is kept as ``published/openapi-<version>.json``, the baseline for the next one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from codegen.contract.changes import Report
from codegen.contract.diff import compare
from codegen.errors import CodegenError
from codegen.spec import Spec, load

_PUBLISHED = re.compile(r"^openapi-(.+)\.json$")
_SAFE_VERSION = re.compile(r"^v?[0-9][0-9A-Za-z.+-]{0,63}$")


class BreakingChange(CodegenError):
    """Breaking changes without a major version bump."""


@dataclass(frozen=True)
class Published:
    version: str
    path: Path


def published_versions(folder: Path) -> list[Published]:
    """Every recorded version, oldest first."""
    found = [Published(m.group(1), p) for p in folder.glob("openapi-*.json") if (m := _PUBLISHED.match(p.name))]
    return sorted(found, key=lambda p: version_key(p.version))


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"[.+-]", version))


def plan(spec: Spec, published: Path) -> tuple[Published | None, Report, bool]:
    """(the version compared with, the differences, whether this version still needs recording)."""
    version = str(spec.raw["info"]["version"])
    if not _SAFE_VERSION.match(version):
        raise CodegenError(f"info.version {version!r} cannot name a published file: use a version such as 1.2.0")
    history = published_versions(published) if published.is_dir() else []
    same = next((p for p in history if p.version == version), None)
    if same is not None and json.loads(same.path.read_text(encoding="utf-8")) != spec.raw:
        raise CodegenError(
            f"version {version} is already published ({same.path}) with different content: bump info.version"
        )
    earlier = [p for p in history if version_key(p.version) < version_key(version)]
    later = [p for p in history if version_key(p.version) > version_key(version)]
    if later and same is None:
        raise CodegenError(f"info.version {version} is older than the published {later[-1].version}")
    previous = earlier[-1] if earlier else None
    report = compare(load(previous.path).document, spec.document) if previous else Report()
    return previous, report, same is None


def gate(version: str, previous: Published | None, report: Report) -> None:
    """BreakingChange when ``report`` breaks clients of ``previous`` and ``version`` keeps its major number."""
    if previous and report.breaking and not is_major_bump(previous.version, version):
        lines = "\n".join(f"  - {change}" for change in report.breaking)
        raise BreakingChange(
            f"{len(report.breaking)} breaking change(s) since {previous.version}, but info.version {version} "
            f"keeps major version {previous.version.split('.')[0]}:\n{lines}\n"
            "Bump the major version of info.version, or make the change compatible."
        )


def is_major_bump(old_version: str, new_version: str) -> bool:
    return _major(new_version) > _major(old_version)


def _major(version: str) -> int:
    match = re.match(r"^v?(\d+)", version.strip())
    if match is None:
        raise ValueError(f"info.version {version!r} does not start with a major version number")
    return int(match.group(1))
