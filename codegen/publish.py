"""``make publish``: what partners receive, gated on breaking changes.

``dist/`` gets the contract as one self-contained JSON and one YAML document, its API reference
(Redocly CLI's build-docs, scripts inlined so it works offline), and a CHANGELOG for ``info.version``.
Every published version is kept in ``published/openapi-<version>.json``; the new contract is compared
with the latest of them, and a breaking change without a major bump of ``info.version`` stops here.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from codegen.diff import Report, compare, is_major_bump
from codegen.errors import CodegenError
from codegen.files import write_atomic
from codegen.spec import Spec, load

_PUBLISHED = re.compile(r"^openapi-(.+)\.json$")
_SAFE_VERSION = re.compile(r"^v?[0-9][0-9A-Za-z.+-]{0,63}$")


class BreakingChange(CodegenError):
    """Breaking changes without a major version bump."""


@dataclass(frozen=True)
class Published:
    version: str
    path: Path


@dataclass(frozen=True)
class Outcome:
    version: str
    previous: Published | None
    report: Report
    recorded: Path | None  # the published/ file written by this run, if any


def published_versions(folder: Path) -> list[Published]:
    """Every recorded version, oldest first."""
    found = [Published(m.group(1), p) for p in folder.glob("openapi-*.json") if (m := _PUBLISHED.match(p.name))]
    return sorted(found, key=lambda p: _version_key(p.version))


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
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
    earlier = [p for p in history if _version_key(p.version) < _version_key(version)]
    later = [p for p in history if _version_key(p.version) > _version_key(version)]
    if later and same is None:
        raise CodegenError(f"info.version {version} is older than the published {later[-1].version}")
    previous = earlier[-1] if earlier else None
    report = compare(load(previous.path).document, spec.document) if previous else Report()
    return previous, report, same is None


def gate(version: str, previous: Published | None, report: Report) -> None:
    if previous and report.breaking and not is_major_bump(previous.version, version):
        lines = "\n".join(f"  - {change}" for change in report.breaking)
        raise BreakingChange(
            f"{len(report.breaking)} breaking change(s) since {previous.version}, but info.version {version} "
            f"keeps major version {previous.version.split('.')[0]}:\n{lines}\n"
            "Bump the major version of info.version, or make the change compatible."
        )


def changelog(spec: Spec, previous: Published | None, report: Report) -> str:
    info = spec.raw["info"]
    lines = [f"# {info['title']} {info['version']}", ""]
    if previous is None:
        lines += ["The first published version of this contract.", "", "## Operations", ""]
        lines += [f"- {op}" for op in _operation_lines(spec.raw)]
    else:
        lines += [f"Changes since {previous.version}.", ""]
        for title, changes in (("Breaking changes", report.breaking), ("Other changes", report.compatible)):
            lines += [f"## {title}", ""]
            lines += [f"- {change}" for change in changes] or ["- none"]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _operation_lines(doc: dict[str, Any]) -> list[str]:
    found = []
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            if isinstance(op, dict) and method in ("get", "put", "post", "delete", "options", "head", "patch", "trace"):
                found.append(f"`{method.upper()} {path}`: {op.get('summary') or op.get('operationId', '')}")
    return found


#: The one thing build-docs' page still fetches from the network, even with its scripts inlined: the
#: attribution logo. Partners open the page offline too, so it becomes an inline (blank) image.
_REMOTE_LOGOS = ("https://cdn.redoc.ly/redoc/logo-mini-full.svg", "https://cdn.redoc.ly/redoc/logo-mini.svg")
_BLANK_SVG = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"


def build_docs(redocly: Path, yaml_path: Path, output: Path, title: str) -> None:
    """The API reference as one HTML file that needs no network (scripts and images inlined)."""
    if not redocly.exists():
        raise CodegenError(f"Redocly CLI not found at {redocly}: run `npm ci` (make publish does)")
    command = [str(redocly), "build-docs", str(yaml_path), "--inlineBundle", "--title", title, "-o", str(output)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not output.is_file():
        raise CodegenError(f"redocly build-docs failed:\n{(done.stdout + done.stderr).strip()[-2000:]}")
    html = output.read_text(encoding="utf-8")
    for logo in _REMOTE_LOGOS:
        html = html.replace(logo, _BLANK_SVG)
    output.write_text(html, encoding="utf-8")


def publish(spec_path: Path, dist: Path, published: Path, redocly: Path) -> Outcome:
    spec = load(spec_path)
    version = str(spec.raw["info"]["version"])
    previous, report, record = plan(spec, published)
    gate(version, previous, report)
    with tempfile.TemporaryDirectory(prefix="publish-") as tmp:
        staging = Path(tmp)
        (staging / "openapi.json").write_text(_json(spec.raw), encoding="utf-8")
        (staging / "openapi.yaml").write_text(
            yaml.safe_dump(spec.raw, sort_keys=False, allow_unicode=True, width=110), encoding="utf-8"
        )
        (staging / "CHANGELOG.md").write_text(changelog(spec, previous, report), encoding="utf-8")
        build_docs(redocly, staging / "openapi.yaml", staging / "index.html", f"{spec.raw['info']['title']} {version}")
        if dist.exists():
            shutil.rmtree(dist)
        shutil.copytree(staging, dist)
    recorded = None
    if record:
        recorded = published / f"openapi-{version}.json"
        write_atomic(recorded, _json(spec.raw).encode())
    return Outcome(version, previous, report, recorded)


def _json(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
