"""codegen.contract.policy: which version may follow the published ones, decided without building docs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codegen.contract.changes import BREAKING, CLOSED_ENUMS, COMPATIBLE, Report
from codegen.contract.policy import (
    BreakingChange,
    Bump,
    Published,
    VersionBumpNeeded,
    bump_of,
    gate,
    is_major_bump,
    needed_bump,
    next_version,
    plan,
    published_versions,
    unpublished_bump,
)
from codegen.errors import CodegenError
from codegen.spec import Spec, load
from tests.conftest import ROOT, SPEC


def test_the_repository_contract_passes_the_gate() -> None:
    """CI's guard: openapi.yaml may not break the last published contract without a major version bump,
    nor differ from what was published under its own version."""
    spec = load(SPEC)
    previous, report, _ = plan(spec, ROOT / "published")
    gate(str(spec.raw["info"]["version"]), previous, report)


@pytest.mark.parametrize(
    ("old", "new", "major"),
    [("1.0.0", "2.0.0", True), ("1.4.2", "1.5.0", False), ("v1", "v2", True), ("2.0.0", "1.9.0", False)],
)
def test_major_bump(old: str, new: str, major: bool) -> None:
    assert is_major_bump(old, new) is major


def test_published_versions_sort_by_number_not_text(tmp_path: Path) -> None:
    for version in ("1.10.0", "1.9.0", "2.0.0-beta", "1.2.0"):
        (tmp_path / f"openapi-{version}.json").write_text("{}")
    (tmp_path / "notes.json").write_text("{}")
    assert [p.version for p in published_versions(tmp_path)] == ["1.2.0", "1.9.0", "1.10.0", "2.0.0-beta"]


def _spec(version: str) -> Spec:
    spec = load(SPEC)
    raw = {**spec.raw, "info": {**spec.raw["info"], "version": version}}
    return Spec(spec.path, spec.version, raw, spec.document, spec.source)


def _publish(folder: Path, spec: Spec) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"openapi-{spec.raw['info']['version']}.json").write_text(json.dumps(spec.raw))


def test_a_new_version_is_compared_with_the_latest_earlier_one(tmp_path: Path) -> None:
    _publish(tmp_path, _spec("1.0.0"))
    _publish(tmp_path, _spec("1.1.0"))
    previous, report, record = plan(_spec("1.2.0"), tmp_path)
    assert previous is not None
    assert previous.version == "1.1.0"
    assert (report.changes, record) == ([], True)


def test_the_published_version_itself_needs_no_record(tmp_path: Path) -> None:
    _publish(tmp_path, _spec("1.0.0"))
    assert plan(_spec("1.0.0"), tmp_path)[2] is False


@pytest.mark.parametrize(
    ("published", "version", "message"),
    [
        ("1.0.0", "0.9.0", "older than the published 1.0.0"),
        (None, "1.0/../../x", "cannot name a published file"),
    ],
)
def test_versions_that_cannot_follow_are_refused(
    tmp_path: Path, published: str | None, version: str, message: str
) -> None:
    if published:
        _publish(tmp_path, _spec(published))
    with pytest.raises(CodegenError, match=message):
        plan(_spec(version), tmp_path)


def test_same_version_with_other_content_is_refused(tmp_path: Path) -> None:
    spec = _spec("1.0.0")
    _publish(tmp_path, spec)
    changed = Spec(spec.path, spec.version, {**spec.raw, "x-note": "changed"}, spec.document, spec.source)
    with pytest.raises(CodegenError, match="already published"):
        plan(changed, tmp_path)


def test_gate_needs_a_major_bump_for_breaking_changes_only() -> None:
    previous = Published("1.0.0", Path("openapi-1.0.0.json"))
    breaking, compatible = Report(), Report()
    breaking.add(BREAKING, "GET /x", "operation removed")
    compatible.add(COMPATIBLE, "GET /y", "operation added")
    with pytest.raises(BreakingChange, match="GET /x: operation removed"):
        gate("1.1.0", previous, breaking)
    gate("2.0.0", previous, breaking)
    gate("1.1.0", previous, compatible)
    gate("1.0.0", None, breaking)  # nothing published yet: nothing to break


@pytest.mark.parametrize(
    ("old", "new", "bump"),
    [
        ("2.1.0", "3.0.0", Bump.MAJOR),
        ("2.1.0", "2.2.0", Bump.MINOR),
        ("2.1.0", "2.1.1", Bump.PATCH),
        ("2.1.0", "2.1.0", Bump.NONE),
        ("2.1.0", "2.0.9", Bump.NONE),
        ("v1", "v2", Bump.MAJOR),
        ("1.9.0", "1.10.0", Bump.MINOR),
        ("2.0.0-beta", "2.0.0-rc", Bump.PATCH),
    ],
)
def test_bump_of(old: str, new: str, bump: Bump) -> None:
    assert bump_of(old, new) is bump


@pytest.mark.parametrize(
    ("version", "bump", "expected"),
    [
        ("2.1.0", Bump.MAJOR, "3.0.0"),
        ("2.1.3", Bump.MINOR, "2.2.0"),
        ("2.1.3", Bump.PATCH, "2.1.4"),
        ("v2", Bump.MAJOR, "v3"),
        ("v2", Bump.MINOR, "v2.1"),
        ("2.0.0-beta", Bump.PATCH, "2.0.1"),
    ],
)
def test_next_version(version: str, bump: Bump, expected: str) -> None:
    assert next_version(version, bump) == expected


def test_the_bump_needed_follows_semantic_versioning() -> None:
    breaking, compatible, closed_enums = Report(), Report(), Report()
    breaking.add(BREAKING, "GET /x", "operation removed")
    compatible.add(COMPATIBLE, "GET /y", "operation added")
    closed_enums.add(CLOSED_ENUMS, "GET /y", "response 200.kind: enum value(s) added: 'z'")
    assert [needed_bump(r) for r in (breaking, compatible, closed_enums, Report())] == [
        Bump.MAJOR,
        Bump.MINOR,
        Bump.MINOR,
        Bump.NONE,
    ]


def test_the_gate_names_the_bump_and_the_version_it_makes() -> None:
    previous = Published("2.0.0", Path("openapi-2.0.0.json"))
    breaking, compatible = Report(), Report()
    breaking.add(BREAKING, "GET /x", "operation removed")
    compatible.add(COMPATIBLE, "GET /y", "operation added")
    with pytest.raises(BreakingChange, match=r"need a major bump: info.version 2.1.0 -> 3.0.0:\n  - GET /x: operation"):
        gate("2.1.0", previous, breaking)
    # A compatible addition under a patch bump: partners would not know the contract grew.
    with pytest.raises(
        VersionBumpNeeded, match=r"1 compatible change\(s\) since 2.0.0 need a minor bump: info.version 2.0.1 -> 2.1.0"
    ):
        gate("2.0.1", previous, compatible)
    gate("2.1.0", previous, compatible)
    gate("2.0.1", previous, Report())


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "List userStatuses",
            "List the userStatuses",
            "that no client sees (descriptions, examples) need a patch bump: info.version 1.0.0 -> 1.0.1",
        ),
        (
            "        - notAssigned\n",
            "        - notAssigned\n        - later\n",
            "need a minor bump: info.version 1.0.0 -> 1.1.0",
        ),
        ("        - notAssigned\n", "", "need a major bump: info.version 1.0.0 -> 2.0.0"),
    ],
    ids=["description", "enum value added", "enum value removed"],
)
def test_a_changed_contract_under_its_published_version_is_told_which_bump(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    _publish(tmp_path / "published", _spec("1.0.0"))
    raw = SPEC.read_text().replace(f"  version: {load(SPEC).raw['info']['version']}\n", "  version: 1.0.0\n", 1)
    assert old in raw
    (tmp_path / "openapi.yaml").write_text(raw.replace(old, new, 1))
    with pytest.raises(VersionBumpNeeded, match="already published") as refused:
        plan(load(tmp_path / "openapi.yaml"), tmp_path / "published")
    assert message in str(refused.value)


def test_what_make_gen_says_about_the_version(tmp_path: Path) -> None:
    """Nothing when the spec can be published as it is; otherwise the bump it needs, as `make publish` would."""
    assert unpublished_bump(SPEC, ROOT / "published") is None  # 2.1.0: a new optional parameter, a minor bump
    assert unpublished_bump(SPEC, tmp_path / "nothing-published") is None
    published = tmp_path / "published"
    _publish(published, _spec("1.0.0"))
    _publish(published, _spec("1.1.0"))
    spec = tmp_path / "openapi.yaml"

    def advice(version: str, old: str = "", new: str = "") -> str | None:
        text = SPEC.read_text().replace(f"  version: {load(SPEC).raw['info']['version']}\n", f"  version: {version}\n")
        spec.write_text(text.replace(old, new, 1))
        return unpublished_bump(spec, published)

    assert advice("1.1.0") is None  # as published
    assert advice("1.0.0") is None  # an older version, republished as it was
    assert advice("1.1.0", "List userStatuses", "List the userStatuses") == (
        "changes since 1.1.0 that no client sees (descriptions, examples) need a patch bump: "
        "info.version 1.1.0 -> 1.1.1"
    )
    assert advice("1.1.1", "List userStatuses", "List the userStatuses") is None
    added = ("        - notAssigned\n", "        - notAssigned\n        - later\n")
    assert advice("1.1.1", *added) == (
        "1 compatible change(s) since 1.1.0 need a minor bump: info.version 1.1.1 -> 1.2.0:\n"
        "  - complianceStatus: enum value(s) added: 'later' (in ListUserStatuses, GetUserStatuses, "
        "UpdateUserStatuses, CreateUserStatuses)"
    )
    assert advice("0.9.0") == "info.version 0.9.0 is older than the published 1.1.0: the next version is 1.1.1 or later"
    assert str(advice("0.9.0", *added)).startswith(
        "1 compatible change(s) since 1.1.0 need a minor bump: info.version 0.9.0 -> 1.2.0:"
    )
    assert advice("2.0.0", "        - notAssigned\n", "") is None
