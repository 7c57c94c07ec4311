"""The version policy: which ``info.version`` may follow the published ones, given the changes between them.

A version is published once, with one content; versions only grow, by as much as semantic versioning says:
a breaking change needs a major bump, any other change clients can see a minor one, any other a patch.
Every published version is kept as ``published/openapi-<version>.json``, the baseline for the next one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

from codegen.contract.changes import Change, Report, summary
from codegen.contract.diff import compare
from codegen.errors import MAX_SHOWN, CodegenError
from codegen.spec import Spec, load, read
from codegen.spec.normalise import to_31

_PUBLISHED = re.compile(r"^openapi-(.+)\.json$")
_SAFE_VERSION = re.compile(r"^v?[0-9][0-9A-Za-z.+-]{0,63}$")
_NUMBERS = re.compile(r"^(v?)(\d+)(?:\.(\d+))?(?:\.(\d+))?")


class VersionBumpNeeded(CodegenError):
    """``info.version`` does not move as much as the changes since the published version need."""


class BreakingChange(VersionBumpNeeded):
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
        report = compare(load(same.path).document, spec.document)
        need = max(needed_bump(report), Bump.PATCH)
        raise VersionBumpNeeded(
            f"version {version} is already published ({same.path}) with different content: "
            + _refusal(version, same, report, need)
        )
    earlier = [p for p in history if version_key(p.version) < version_key(version)]
    later = [p for p in history if version_key(p.version) > version_key(version)]
    if later and same is None:
        latest = later[-1]
        need = max(needed_bump(compare(load(latest.path).document, spec.document)), Bump.PATCH)
        raise VersionBumpNeeded(
            f"info.version {version} is older than the published {latest.version}: the next version is "
            f"{next_version(latest.version, need)} or later"
        )
    previous = earlier[-1] if earlier else None
    report = compare(load(previous.path).document, spec.document) if previous else Report()
    return previous, report, same is None


def unpublished_bump(spec_path: Path, published: Path) -> str | None:
    """What ``make gen`` warns about: the bump ``info.version`` still needs before ``make publish`` accepts the
    spec, compared with the latest version recorded in ``published``. None when it would be accepted as it is
    (the same as a published version, or bumped enough) or when nothing is published there.

    The spec has just been validated (by ``gen``) and the published versions were when published, so both are
    only parsed here: the check costs a fraction of what generation does."""
    history = published_versions(published) if published.is_dir() else []
    if not history:
        return None
    raw, document = _parsed(spec_path)
    version = str(raw["info"]["version"])
    same = next((p for p in history if p.version == version), None)
    if same is not None and json.loads(same.path.read_text(encoding="utf-8")) == raw:
        return None  # published as it is
    latest = history[-1]
    latest_raw, latest_document = _parsed(latest.path)
    report = compare(latest_document, document)
    have, need = bump_of(latest.version, version), needed_bump(report)
    if have is Bump.NONE:
        need = max(need, Bump.PATCH)  # not a later version, yet not the published content either
    if have >= need:
        return None
    if need is Bump.PATCH and _unversioned(raw) == _unversioned(latest_raw):  # only the version went back
        return (
            f"info.version {version} is older than the published {latest.version}: "
            f"the next version is {next_version(latest.version, Bump.PATCH)} or later"
        )
    text = advice(version, latest, report, need)
    changes = report.breaking if need is Bump.MAJOR else report.changes
    return f"{text}" + (f":\n{listing(changes, most=10)}" if changes else "")


def _unversioned(raw: dict[str, Any]) -> dict[str, Any]:
    info = raw.get("info")
    return {**raw, "info": {**info, "version": None}} if isinstance(info, dict) else raw


def _parsed(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the document as written, its 3.1 reading), without validating it."""
    raw = read(path)[1].data
    if not isinstance(raw, dict):
        raise CodegenError(f"{path} is not an OpenAPI document")
    return raw, to_31(raw) if str(raw.get("openapi", "")).startswith("3.0") else raw


class Bump(IntEnum):
    """How much of ``info.version`` a change moves (semantic versioning), least first."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3


def needed_bump(report: Report) -> Bump:
    """The least bump the classified differences need: major for a breaking change; minor for any other (a new
    operation, parameter, property or enum value, a wider request, a narrower response). Differences the
    classification does not see (descriptions, examples) need a patch bump: the caller knows whether there are."""
    if report.breaking:
        return Bump.MAJOR
    return Bump.MINOR if report.changes else Bump.NONE


def bump_of(old_version: str, new_version: str) -> Bump:
    """What going from ``old_version`` to ``new_version`` amounts to; NONE when it is not a later version."""
    if version_key(new_version) <= version_key(old_version):
        return Bump.NONE
    old, new = _numbers(old_version), _numbers(new_version)
    if new[0] > old[0]:
        return Bump.MAJOR
    if new[0] == old[0] and new[1] > old[1]:
        return Bump.MINOR
    return Bump.PATCH


def next_version(version: str, bump: Bump) -> str:
    """The version ``bump`` makes of ``version``: 2.1.0 -> 3.0.0, 2.2.0 or 2.1.1 (v2 -> v3, v2.1, v2.0.1)."""
    match = _NUMBERS.match(version.strip())
    if match is None:
        raise ValueError(f"info.version {version!r} does not start with a major version number")
    written = [int(part) for part in match.groups()[1:] if part is not None]
    major, minor, patch = (*written, 0, 0)[:3]
    bumped = {
        Bump.MAJOR: (major + 1, 0, 0),
        Bump.MINOR: (major, minor + 1, 0),
        Bump.PATCH: (major, minor, patch + 1),
        Bump.NONE: (major, minor, patch),
    }[bump]
    parts = max(len(written), 1 if bump is Bump.MAJOR else 2 if bump is Bump.MINOR else 3)
    return match.group(1) + ".".join(str(n) for n in bumped[:parts])


def advice(version: str, baseline: Published, report: Report, need: Bump) -> str:
    """Why ``need`` is needed, and the version it makes: ``2 breaking change(s) need a major bump: info.version
    2.1.0 -> 3.0.0`` (counting each change once, however many operations it reaches)."""
    if need is Bump.MAJOR:
        why = f"{len(summary(report.breaking))} breaking change(s) since {baseline.version} need a major bump"
    elif need is Bump.MINOR:
        why = f"{len(summary(report.changes))} compatible change(s) since {baseline.version} need a minor bump"
    else:
        why = f"changes since {baseline.version} that no client sees (descriptions, examples) need a patch bump"
    return f"{why}: info.version {version} -> {next_version(baseline.version, need)}"


def listing(changes: list[Change], most: int = MAX_SHOWN) -> str:
    """The changes as indented lines, each once (``schema: change (in operations)``), at most ``most`` of them."""
    lines = summary(changes)
    shown = [f"  - {line}" for line in lines[:most]]
    if len(lines) > most:
        shown.append(f"  ... and {len(lines) - most} more")
    return "\n".join(shown)


def _refusal(version: str, baseline: Published, report: Report, need: Bump) -> str:
    text = advice(version, baseline, report, need)
    if need is Bump.MAJOR:
        fix = "Bump the major version of info.version, or make the change compatible."
        return f"{text}:\n{listing(report.breaking)}\n{fix}"
    if need is Bump.MINOR:
        fix = "A patch bump is for changes no client sees (descriptions, examples)."
        return f"{text}:\n{listing(report.changes)}\n{fix}"
    return text


def gate(version: str, previous: Published | None, report: Report) -> None:
    """VersionBumpNeeded when ``version`` does not bump ``previous`` enough for ``report``: BreakingChange when
    it breaks clients and keeps the major number; otherwise when it has changes and keeps the minor number."""
    if previous is None:
        return
    need = needed_bump(report)
    if bump_of(previous.version, version) < need:
        error = BreakingChange if need is Bump.MAJOR else VersionBumpNeeded
        raise error(_refusal(version, previous, report, need))


def is_major_bump(old_version: str, new_version: str) -> bool:
    return _numbers(new_version)[0] > _numbers(old_version)[0]


def _numbers(version: str) -> tuple[int, int, int]:
    match = _NUMBERS.match(version.strip())
    if match is None:
        raise ValueError(f"info.version {version!r} does not start with a major version number")
    major, minor, patch = match.groups()[1:]
    return int(major), int(minor or 0), int(patch or 0)
