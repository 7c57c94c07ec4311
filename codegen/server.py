"""The server target: IR -> Jinja2 templates -> ``generated/server``, formatted with the pinned ruff.

What is specific to one spec is templated (``templates/server/``); the runtime (``codegen/runtime/``) is
the same for every spec and is copied verbatim. Output file names are fixed here; nothing from the spec
becomes a path.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from codegen import runtime
from codegen.build import build
from codegen.definitions import definition_order
from codegen.errors import Problem
from codegen.files import header, read_tree, verbatim
from codegen.fmt import format_tree
from codegen.render import environment, render
from codegen.spec import Spec

MODULES = ("__init__", "app", "handlers", "models", "openapi", "operations")
RUNTIME = Path(runtime.__file__).parent
TOOL = "codegen (server target)"


def generate(
    spec: Spec, *, package: str | None = None, strict: bool = True, warn: Callable[[Problem], None] | None = None
) -> dict[str, bytes]:
    """Every file of the generated server package, by path relative to it; without ``strict``, operations it
    cannot serve are left out (answered 501), each a warning to ``warn``."""
    api = build(spec, package, strict=strict, warn=warn)
    env = environment()
    definitions = definition_order(api.models)
    file_header = header("x.py", spec.path.name, TOOL)
    with tempfile.TemporaryDirectory(prefix="codegen-server-") as tmp:
        root = Path(tmp)
        for module in MODULES:
            text = render(env, f"server/{module}.py.j2", api=api, header=file_header, definitions=definitions,
                          bearer_schemes=frozenset(api.bearer_schemes))  # fmt: skip
            (root / f"{module}.py").write_text(text, encoding="utf-8")
        format_tree(root)
        files = read_tree(root)
    files.update(runtime_files(file_header))
    files["requirements.txt"] = requirements(file_header)
    return dict(sorted(files.items()))


#: What the runtime imports, as distributions: the server needs these installed, at these versions or later.
RUNTIME_DEPENDENCIES = (
    ("orjson", "JSON in and out"),
    ("jsonschema_rs", "request (and optional response) validation"),
    ("python-multipart", "multipart/form-data bodies only (imported when one arrives)"),
)


def requirements(file_header: str) -> bytes:
    """``requirements.txt`` beside the package: each runtime dependency from the version it was generated and
    tested with (from the pinned lock, so the file is the same on every machine with it) to the next one that
    may break it."""
    lines = [file_header.rstrip("\n"), "# The generated server's runtime dependencies; install with `pip install -r`."]
    for name, why in RUNTIME_DEPENDENCIES:
        lines.append(f"{name}{_compatible(metadata.version(name))}  # {why}")
    return ("\n".join(lines) + "\n").encode()


def runtime_files(file_header: str) -> dict[str, bytes]:
    """``codegen/runtime/`` as the generated ``runtime/`` package, byte for byte but for line 1."""
    return {f"runtime/{rel}": content for rel, content in verbatim(RUNTIME, file_header).items()}


def _compatible(version: str) -> str:
    """From the tested version to the next one that may break it: the next minor for 0.x, else the next major."""
    major, minor = (int(part) for part in version.split(".")[:2])
    return f">={version},<{f'0.{minor + 1}' if major == 0 else major + 1}"
