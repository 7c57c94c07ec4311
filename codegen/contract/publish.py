"""``make publish``: what partners receive, gated on the version policy (``policy``).

``dist/`` gets the contract as one self-contained JSON and one YAML document, its API reference
(Redocly CLI's build-docs, scripts inlined so it works offline), a CHANGELOG for ``info.version``, and
the generated client as a wheel and an sdist, built from the contract being published.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

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


def _svg(width: int, text: str, length: int) -> str:
    """A one-word image: the text, bold, in a blue that reads on the attribution's light and dark pill."""
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="14" viewBox="0 0 {width} 14">'
        f'<text x="{width / 2:g}" y="11.5" text-anchor="middle" textLength="{length}" '
        'lengthAdjust="spacingAndGlyphs" font-family="Helvetica, Arial, sans-serif" font-size="13" '
        f'font-weight="700" fill="#4f7cff">{text}</text></svg>'
    )
    return "data:image/svg+xml," + quote(svg)


#: The one thing build-docs' page still fetches from the network, even with its scripts inlined: the
#: attribution logo after "API docs by" (the full one; the mini one when the side menu is collapsed).
#: Partners open the page offline too, where it would fail and leave "API docs by" followed by nothing,
#: so each becomes an inline image that says the same thing: "Redocly", or "R" for the mini one.
_REMOTE_LOGOS = {
    "https://cdn.redoc.ly/redoc/logo-mini-full.svg": _svg(52, "Redocly", 50),
    "https://cdn.redoc.ly/redoc/logo-mini.svg": _svg(14, "R", 10),
}


def docs_document(document: dict[str, Any]) -> dict[str, Any]:
    """The contract as the API reference renders it.

    Redoc 3 lists a tag's operations under one collapsed entry of the side menu, and on the tag's page only by
    path (cut short, so paths with a long common prefix look alike), naming them by summary only on hover. When
    every operation has the same one tag, that entry groups nothing and hides everything: the docs' copy drops
    the tag, so the side menu lists every operation by its summary as the page opens. The contract partners
    get keeps its tags (the generated client names its modules after them); documents with more than one tag
    keep their groups in the docs too.
    """
    tags = {tuple(site.operation.get("tags") or ()) for site in operations(document)}
    if len(tags) != 1 or len(shared := next(iter(tags))) != 1:
        return document
    docs = copy.deepcopy(document)
    for site in operations(docs):
        del site.operation["tags"]
    kept = [tag for tag in docs.get("tags", []) if not (isinstance(tag, dict) and tag.get("name") == shared[0])]
    if kept:
        docs["tags"] = kept
    else:
        docs.pop("tags", None)
    return docs


def build_docs(redocly: Path, document: dict[str, Any], output: Path, title: str) -> None:
    """The API reference of ``document`` as one HTML file that needs no network (scripts and images inlined)."""
    if not redocly.exists():
        raise CodegenError(f"Redocly CLI not found at {redocly}: run `npm ci` (make publish does)")
    # Without this, the page sends Redoc telemetry to Redocly from every reader's browser (and, offline, logs
    # a failed request a few seconds after it opens); it also keeps the build itself from reporting.
    environment = {**os.environ, "REDOCLY_TELEMETRY": "off"}
    with tempfile.TemporaryDirectory(prefix="publish-docs-") as tmp:
        source = Path(tmp) / "openapi.yaml"
        source.write_text(_yaml(docs_document(document)), encoding="utf-8")
        command = [str(redocly), "build-docs", str(source), "--inlineBundle", "--title", title, "-o", str(output)]
        done = subprocess.run(command, capture_output=True, text=True, check=False, env=environment)
    if done.returncode != 0 or not output.is_file():
        raise CodegenError(f"redocly build-docs failed:\n{(done.stdout + done.stderr).strip()[-2000:]}")
    html = output.read_text(encoding="utf-8")
    for logo, inline in _REMOTE_LOGOS.items():
        html = html.replace(logo, inline)
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
        (staging / "openapi.yaml").write_text(_yaml(spec.raw), encoding="utf-8")
        (staging / "CHANGELOG.md").write_text(changelog(spec, previous, report), encoding="utf-8")
        build_docs(redocly, spec.raw, staging / "index.html", f"{spec.raw['info']['title']} {version}")
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


def _yaml(document: Any) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110)
