"""Golden cases: small specs, one feature each, with the server code they must generate.

``make update-golden`` (``python -m tests.codegen.golden``) rewrites every ``expected/`` folder; review the
diff before committing it. ``runtime/`` is the same for every spec, so it is not stored per case.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from codegen.pipeline import Options, render

CASES = Path(__file__).parent / "cases"


def shared(rel: str) -> bool:
    """Files that are the same for every spec (the runtime package), not stored per case."""
    return rel.startswith("runtime/")


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "openapi.yaml").is_file())


def generate(case: str) -> dict[str, bytes]:
    """The server target's files for a case (the runtime included), by path inside ``server/``."""
    with tempfile.TemporaryDirectory() as tmp:
        options = Options(spec=CASES / case / "openapi.yaml", out=Path(tmp), targets=("server",))
        files = render(options)
    return {rel.removeprefix("server/"): content for rel, content in files.items() if rel.startswith("server/")}


def expected(case: str) -> dict[str, bytes]:
    folder = CASES / case / "expected"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def update() -> None:
    for case in case_names():
        folder = CASES / case / "expected"
        shutil.rmtree(folder, ignore_errors=True)
        for rel, content in generate(case).items():
            if not shared(rel):
                (folder / rel).parent.mkdir(parents=True, exist_ok=True)
                (folder / rel).write_bytes(content)
        print(f"updated {folder.relative_to(CASES.parent.parent.parent)}")


if __name__ == "__main__":
    update()
    sys.exit(0)
