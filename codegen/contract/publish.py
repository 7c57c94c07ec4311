"""``make publish``: what partners receive, gated on the version policy (``policy``).

``dist/`` gets the contract as one self-contained JSON and one YAML document, its API reference
(Redocly CLI's build-docs, scripts inlined so it works offline), a CHANGELOG for ``info.version``, and
the generated client as a wheel and an sdist, built from the contract being published.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from codegen.contract.changes import Change, Report, grouped, named
from codegen.contract.policy import Published, gate, plan
from codegen.errors import CodegenError
from codegen.files import under_umask, write_atomic
from codegen.spec import Spec, load
from codegen.spec.walk import operations


@dataclass(frozen=True)
class Outcome:
    version: str
    previous: Published | None
    report: Report
    recorded: Path | None  # the published/ file written by this run, if any


#: Changelog lines wrap here (a path or other long word stays whole).
WIDTH = 100


def changelog(spec: Spec, previous: Published | None, report: Report) -> str:
    info = spec.raw["info"]
    lines = [f"# {info['title']} {info['version']}", ""]
    if previous is None:
        lines += ["The first published version of this contract.", "", "## Operations", ""]
        lines += [f"- {op}" for op in _operation_lines(spec.raw)]
    else:
        lines += [f"Changes since {previous.version}.", ""]
        sections = (
            ("Breaking changes", report.breaking),
            (
                "Changes that break clients with closed enums (the generated client's enums are open)",
                report.closed_enums,
            ),
            ("Other changes", report.compatible),
        )
        for title, changes in sections:
            lines += [f"## {title}", ""]
            lines += _grouped_lines(changes) or ["- none", ""]
    return "\n".join(lines).rstrip() + "\n"


def _grouped_lines(changes: list[Change]) -> list[str]:
    """A section's changes by named schema, then by operation; each change once, with the operations it reaches."""
    lines: list[str] = []
    for group in grouped(changes):
        if group.schema is not None:
            lines += [f"### Schema `{group.schema}`", ""]
            lines += [*_wrapped(f"Affects {named(group.operations)}."), ""]
        else:
            brief = group.operations[0]
            lines += [f"### Operation `{brief}`", ""]
            if group.title != brief:
                lines += [f"`{group.title}`", ""]  # METHOD /path: one long word, not wrapped
        for entry in group.entries:
            only = f" (only in {named(entry.operations)})" if entry.operations != group.operations else ""
            lines += _wrapped(f"- {entry.text}{only}", indent="  ")
        lines.append("")
    return lines


def _wrapped(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)


def _operation_lines(doc: dict[str, Any]) -> list[str]:
    return [
        f"`{site.method.upper()} {site.path}`: {site.operation.get('summary') or site.operation.get('operationId', '')}"
        for site in operations(doc)
    ]


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


def build_client(spec_path: Path, outdir: Path) -> list[str]:
    """The client generated from ``spec_path``, built into a wheel and an sdist in ``outdir`` (no network)."""
    from codegen.pipeline import Options, render

    with tempfile.TemporaryDirectory(prefix="publish-client-") as tmp:
        project = Path(tmp) / "client"
        files = render(Options(spec=spec_path, out=Path(tmp) / "unused", targets=("client",)))
        for rel, content in files.items():
            if rel.startswith("client/"):
                (project / rel.removeprefix("client/")).parent.mkdir(parents=True, exist_ok=True)
                (project / rel.removeprefix("client/")).write_bytes(content)
        command = [sys.executable, "-m", "build", "--no-isolation", "--sdist", "--wheel", "--outdir", str(outdir),
                   str(project)]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise CodegenError(f"building the client package failed:\n{(done.stdout + done.stderr).strip()[-2000:]}")
    return sorted(p.name for p in outdir.iterdir() if p.suffix in (".whl", ".gz"))


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
        build_client(spec_path, staging)
        if dist.exists():
            shutil.rmtree(dist)
        shutil.copytree(staging, dist)
        dist.chmod(under_umask(0o777))  # copytree gave it the staging folder's 0700
    recorded = None
    if record:
        recorded = published / f"openapi-{version}.json"
        write_atomic(recorded, _json(spec.raw).encode())
    return Outcome(version, previous, report, recorded)


def _json(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
