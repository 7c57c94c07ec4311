"""The client target: openapi-python-client (pinned) turns the spec into ``generated/client``.

It reads the document exactly as codegen parsed and validated it (written out as JSON), so both targets
see the same YAML interpretation. Warnings fail the run: a half-generated client is worse than none.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from codegen.errors import CodegenError
from codegen.files import read_tree, with_header
from codegen.fmt import format_tree
from codegen.spec import Spec

CONFIG = Path(__file__).with_name("client-config.yaml")
TOOL = "openapi-python-client"


def generate(spec: Spec) -> dict[str, bytes]:
    """The client package's files, keyed by path relative to the package folder."""
    with tempfile.TemporaryDirectory(prefix="codegen-client-") as tmp:
        root = Path(tmp)
        document = root / "openapi.json"
        document.write_text(json.dumps(spec.raw, ensure_ascii=False, indent=1), encoding="utf-8")
        package = root / "client"
        command = [
            sys.executable, "-I", "-m", "openapi_python_client", "generate",
            "--path", str(document), "--output-path", str(package), "--meta", "none",
            "--config", str(CONFIG), "--fail-on-warning",
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=root)
        if done.returncode != 0 or not package.is_dir():
            output = (done.stdout + done.stderr).strip()
            raise CodegenError(f"{TOOL} could not generate a client for {spec.path.name}:\n{output}")
        for path in sorted(package.rglob("*")):
            if path.is_file():
                path.write_bytes(with_header(path.read_bytes(), path.name, spec.path.name, f"{TOOL} via codegen"))
        format_tree(package)
        return read_tree(package)


__all__ = ["CONFIG", "generate"]
