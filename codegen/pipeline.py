"""``gen`` and ``check``: spec -> targets -> output folder, with a manifest to skip unchanged work.

The manifest records what the output was made from (spec hash, a fingerprint of the generator and its
pinned tools, the options) and each file's hash. ``gen`` does nothing when all of that still matches the
disk; ``check`` regenerates in memory and compares byte for byte, so CI notices any drift.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codegen.errors import Problem, SpecError
from codegen.files import IGNORED_DIRS, header, read_tree, sync

if TYPE_CHECKING:
    from codegen.spec import Spec

TARGETS = ("client", "server")
MANIFEST = "manifest.json"
#: Tools whose version changes generated output.
PINNED_TOOLS = ("openapi-python-client", "ruff", "jinja2")
CODEGEN_DIR = Path(__file__).parent
#: What never shapes generated output (the command line; the contract package, which is not the generator):
#: editing it must not make generated/ stale.
NOT_OUTPUT = frozenset({"__main__.py", "cli.py", "contract"})


@dataclass(frozen=True)
class Options:
    spec: Path
    out: Path
    targets: tuple[str, ...] = TARGETS
    package: str | None = None
    #: Warnings stop generation instead: mismatched examples and defaults, unreachable paths, operations the
    #: server target leaves out, what the client target leaves out.
    strict: bool = False
    #: Called with each warning (each of the above, when not strict).
    warn: Callable[[Problem], None] | None = field(default=None, compare=False)


def output_sources() -> list[Path]:
    """The generator files whose content can change generated output (sources, templates, configs)."""
    return [
        path
        for path in sorted(CODEGEN_DIR.rglob("*"))
        if path.is_file()
        and not IGNORED_DIRS.intersection(path.parts)
        and path.suffix != ".pyc"
        and not NOT_OUTPUT.intersection(path.relative_to(CODEGEN_DIR).parts)
    ]


def fingerprint() -> str:
    """Hash of the generator files that shape output and the versions of the tools that do."""
    digest = hashlib.sha256()
    for path in output_sources():
        digest.update(path.relative_to(CODEGEN_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for tool in PINNED_TOOLS:
        digest.update(f"{tool}=={importlib.metadata.version(tool)}\n".encode())
    return digest.hexdigest()


def inputs(options: Options) -> dict[str, Any]:
    return {
        "spec": options.spec.name,
        "spec_sha256": hashlib.sha256(options.spec.read_bytes()).hexdigest(),
        "generator_sha256": fingerprint(),
        "targets": sorted(options.targets),
        "package": options.package,
    }


def render(options: Options) -> dict[str, bytes]:
    """Every output file (manifest included) by path relative to the output folder.

    openapi-python-client is the slowest step, so it starts as soon as the document is parsed and runs
    while the spec is validated and the server is generated; an invalid spec cancels it.
    """
    from codegen.client import ClientRun
    from codegen.spec import read, validate

    data, source = read(options.spec)
    client = ClientRun(source.data, options.spec.name, options.strict) if "client" in options.targets else None
    try:
        from codegen import server  # Jinja2 and the templates load while the client is being generated

        spec = validate(options.spec, data, source, strict=options.strict)
        if options.warn is not None:
            for warning in spec.warnings:
                options.warn(warning)
        files: dict[str, bytes] = {}
        if spec.errors:
            refusals = _server_refusals(spec, options.strict) if "server" in options.targets else []
            raise SpecError([*spec.errors, *refusals])
        if "server" in options.targets:
            server_files = server.generate(spec, package=options.package, strict=options.strict, warn=options.warn)
            files.update({f"server/{rel}": content for rel, content in server_files.items()})
        if client is not None:
            files.update({f"client/{rel}": content for rel, content in client.finish().items()})
            warn = options.warn or (lambda problem: None)
            kind = "what the client target leaves out or types loosely"
            found = [source.problem(where, message, kind) for where, message in client.warnings]
            for problem in sorted(found, key=lambda p: (p.line or 0, p.pointer)):
                warn(problem)
    finally:
        if client is not None:
            client.cancel()
    files["__init__.py"] = (header("__init__.py", spec.path.name, "codegen") + '"""Generated code."""\n').encode()
    files[MANIFEST] = _manifest(inputs(options), dict(sorted(files.items())))
    return dict(sorted(files.items()))


def _server_refusals(spec: Spec, strict: bool) -> list[Problem]:
    """What the server target would refuse in a spec that is already known to be invalid, so that one run
    reports everything; an invalid spec may also break the build in ways that say nothing more."""
    from codegen.build import build

    try:
        build(spec, strict=strict)
    except SpecError as refused:
        return refused.problems
    except Exception:
        return []
    return []


def _manifest(current: dict[str, Any], files: dict[str, bytes]) -> bytes:
    body = {
        "inputs": current,
        "files": {rel: hashlib.sha256(content).hexdigest() for rel, content in sorted(files.items())},
    }
    # The marker goes on the first line, like every other generated file's header.
    marker = "by codegen. DO NOT EDIT: change the spec or the generator, then run `make gen`."
    text = json.dumps(body, indent=2, sort_keys=True)
    return ('{"@generated": ' + json.dumps(marker) + ",\n" + text[2:] + "\n").encode()


def read_manifest(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _managed_on_disk(out: Path, targets: tuple[str, ...]) -> dict[str, bytes]:
    """What is on disk where codegen writes: the target folders, ``__init__.py`` and the manifest."""
    found = {rel: content for rel, content in read_tree(out).items() if "/" not in rel or rel.split("/")[0] in targets}
    return {rel: content for rel, content in found.items() if "/" in rel or rel in ("__init__.py", MANIFEST)}


def up_to_date(options: Options) -> bool:
    """The fast path: inputs unchanged and every file on disk as the manifest recorded it."""
    manifest = read_manifest(options.out)
    if not manifest or manifest.get("inputs") != inputs(options):
        return False
    recorded = manifest.get("files", {})
    on_disk = _managed_on_disk(options.out, options.targets)
    on_disk.pop(MANIFEST, None)
    return isinstance(recorded, dict) and recorded == {
        rel: hashlib.sha256(content).hexdigest() for rel, content in on_disk.items()
    }


def gen(options: Options, force: bool = False) -> list[str]:
    """Regenerate when needed; returns the files written or deleted (empty when already up to date)."""
    if not force and options.out.is_dir() and up_to_date(options):
        return []
    files = render(options)
    previous = read_manifest(options.out).get("files", {})
    # The manifest is written last: an interrupted run leaves a mismatch that the next run repairs.
    manifest = files.pop(MANIFEST)
    changed = sync(options.out, files, previous if isinstance(previous, dict) else {})
    changed += sync(options.out, {MANIFEST: manifest}, [])
    return changed


def check(options: Options) -> list[str]:
    """How ``options.out`` differs from what ``gen`` would write; empty when it is current."""
    expected = render(options)
    actual = _managed_on_disk(options.out, options.targets) if options.out.is_dir() else {}
    problems = [f"missing: {rel}" for rel in sorted(set(expected) - set(actual))]
    problems += [f"differs: {rel}" for rel in sorted(set(expected) & set(actual)) if expected[rel] != actual[rel]]
    problems += [f"not generated: {rel}" for rel in sorted(set(actual) - set(expected))]
    return problems
