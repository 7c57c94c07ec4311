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
from typing import Any

from codegen.errors import CodegenError
from codegen.files import read_tree, with_header
from codegen.fmt import format_tree

CONFIG = Path(__file__).with_name("client-config.yaml")
TOOL = "openapi-python-client"


class ClientRun:
    """openapi-python-client running in the background while the rest of the generator works."""

    def __init__(self, document: Any, spec_name: str) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="codegen-client-")
        root = Path(self._tmp.name)
        (root / "openapi.json").write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        self._package = root / "client"
        self._spec_name = spec_name
        command = [
            sys.executable, "-I", "-m", "openapi_python_client", "generate",
            "--path", str(root / "openapi.json"), "--output-path", str(self._package), "--meta", "none",
            "--config", str(CONFIG), "--fail-on-warning",
        ]  # fmt: skip
        self._process = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def finish(self) -> dict[str, bytes]:
        """The client package's files, keyed by path relative to the package folder."""
        try:
            output, _ = self._process.communicate()
            if self._process.returncode != 0 or not self._package.is_dir():
                text = output.decode("utf-8", "replace").strip()
                raise CodegenError(f"{TOOL} could not generate a client for {self._spec_name}:\n{text}")
            for path in sorted(self._package.rglob("*")):
                if path.is_file():
                    path.write_bytes(with_header(path.read_bytes(), path.name, self._spec_name, f"{TOOL} via codegen"))
            format_tree(self._package)
            return read_tree(self._package)
        finally:
            self.cancel()

    def cancel(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._tmp.cleanup()


__all__ = ["CONFIG", "ClientRun"]
