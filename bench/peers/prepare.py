"""What the peers read at bench time, made in a temporary folder from openapi.yaml by the peers' own tools.

- ``bench_peer_models.py``: datamodel-code-generator (pinned in bench/requirements.txt) run on openapi.yaml, as a
  user would: pydantic v2 models (``extra='forbid'`` where the spec says ``additionalProperties: false``, aliases for
  names such as ``@odata.type``);
- ``openapi30.json``: the spec rendered as OpenAPI 3.0 (``bench.peers.openapi30``) for connexion.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from bench.peers.openapi30 import downgrade
from codegen.spec.document import load

ROOT = Path(__file__).resolve().parent.parent.parent
VENV = ROOT / ".bench-venv"
PYTHON = VENV / "bin" / "python"
SPEC = ROOT / "openapi.yaml"


def available() -> bool:
    return PYTHON.exists()


def prepare(folder: Path, token: str) -> dict[str, str]:
    """Write the peers' inputs into ``folder``; the environment their uvicorn needs."""
    subprocess.run(
        [str(VENV / "bin" / "datamodel-codegen"), "--input", str(SPEC), "--input-file-type", "openapi",
         "--output", str(folder / "bench_peer_models.py"), "--output-model-type", "pydantic_v2.BaseModel",
         "--target-python-version", "3.11", "--use-annotated",
         "--disable-timestamp", "--formatters", "builtin"],
        check=True, capture_output=True,
    )  # fmt: skip
    spec30 = folder / "openapi30.json"
    spec30.write_text(json.dumps(downgrade(load(SPEC, strict=True).raw)))
    return {"PYTHONPATH": f"{ROOT}:{folder}", "BENCH_PEER_SPEC": str(spec30), "BENCH_TOKEN": token}
