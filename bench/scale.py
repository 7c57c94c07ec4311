"""Generation at scale: the server target on the largest published document of the test corpus.

Each run is a fresh process measured from outside (wall time, peak RSS of the process tree), so the numbers
are what a user sees. Linearity is checked against the same document cut to half its paths, in the same run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LARGEST = ROOT / "tests" / "codegen" / "corpus" / "published" / "stripe.json"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
#: Runs a command and prints its wall time and the peak RSS of its process tree (KiB), as JSON.
_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": elapsed, "peak_kib": peak, "status": done.returncode, "stderr": done.stderr[-2000:]}))
"""


@dataclass(frozen=True)
class Scale:
    operations: int
    seconds: float
    peak_mb: float
    output_mb: float
    #: The part of the output that is the spec itself, served as the OpenAPI document (``openapi.py``).
    spec_mb: float
    import_seconds: float
    #: The first import, which also compiles the modules to bytecode.
    first_import_seconds: float
    import_mb: float
    #: Seconds per operation on the full document over the same on half of it (1.0: linear).
    growth: float


def _measured(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=cwd, capture_output=True, text=True,
                          check=True, env=env)  # fmt: skip
    result: dict[str, float] = json.loads(done.stdout)
    if result["status"] != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result['stderr']}")
    return result


def _operations(document: dict[str, object]) -> int:
    paths = document.get("paths")
    return sum(1 for item in paths.values() for m in item if m in METHODS) if isinstance(paths, dict) else 0


def _generate(spec: Path, out: Path) -> dict[str, float]:
    command = [sys.executable, "-m", "codegen", "gen", "--force", "--spec", str(spec), "--out", str(out),
               "--target", "server", "--package", "scale"]  # fmt: skip
    return _measured(command, ROOT)


def generation_scale(spec: Path = LARGEST) -> Scale:
    """The server target on ``spec`` (and on its first half, for growth): time, memory, output, import."""
    document = json.loads(spec.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = list(document["paths"].items())
        half = root / "half.json"
        half.write_text(json.dumps({**document, "paths": dict(paths[: len(paths) // 2])}), encoding="utf-8")
        full_run = _generate(spec, root / "full" / "generated")
        half_run = _generate(half, root / "half" / "generated")
        output = sum(p.stat().st_size for p in (root / "full" / "generated").rglob("*") if p.is_file())
        spec_size = (root / "full" / "generated" / "server" / "openapi.py").stat().st_size
        # As deployed: the first import compiles and caches bytecode, the ones after read it.
        cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        first = _measured([sys.executable, "-c", "import generated.server"], root / "full", cached)
        imported = _measured([sys.executable, "-c", "import generated.server"], root / "full", cached)
    operations = _operations(document)
    per_op_full = full_run["seconds"] / operations
    per_op_half = half_run["seconds"] / max(1, _operations({"paths": dict(paths[: len(paths) // 2])}))
    return Scale(operations, full_run["seconds"], full_run["peak_kib"] / 1024, output / 1e6, spec_size / 1e6,
                 imported["seconds"],
                 first["seconds"], imported["peak_kib"] / 1024, per_op_full / per_op_half)  # fmt: skip
