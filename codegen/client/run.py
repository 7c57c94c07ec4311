"""The client target: openapi-python-client (pinned) turns the spec into ``generated/client``.

It reads the document codegen parsed (``document.client_document``: the spec with what the tool would
lose made explicit), through our templates where its own would break the contract (``opc_templates/``).
Warnings fail the run: a half-generated client is worse than none. The pieces the tool cannot generate
are added here: the support modules (``support/``, copied verbatim), the ``styles`` table, and the
packaging (``pyproject.toml``, ``README.md``) that makes the client an installable package.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from codegen.client.document import ClientDocument, client_document
from codegen.client.package import package_files
from codegen.errors import CodegenError
from codegen.files import header, read_tree, verbatim, with_header
from codegen.fmt import format_tree

HERE = Path(__file__).parent
CONFIG = HERE / "config.yaml"
TEMPLATES = HERE / "opc_templates"
SUPPORT = HERE / "support"
TOOL = "openapi-python-client"


class ClientRun:
    """openapi-python-client running in the background while the rest of the generator works."""

    def __init__(self, document: Any, spec_name: str) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="codegen-client-")
        root = Path(self._tmp.name)
        # Not a mapping: validation, running meanwhile, refuses it; the tool gets it as it is.
        self._input = client_document(document) if isinstance(document, dict) else ClientDocument(document)
        text = json.dumps(self._input.document, ensure_ascii=False)
        (root / "openapi.json").write_text(text, encoding="utf-8")
        self._package = root / "client"
        self._spec_name = spec_name
        command = [
            sys.executable, "-I", "-m", "openapi_python_client", "generate",
            "--path", str(root / "openapi.json"), "--output-path", str(self._package), "--meta", "none",
            "--config", str(CONFIG), "--custom-template-path", str(TEMPLATES), "--fail-on-warning",
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
            for name, text in package_files(self._input, self._package, self._spec_name).items():
                (self._package / name).write_text(text, encoding="utf-8")
            format_tree(self._package)
            files = read_tree(self._package)
            files.update(verbatim(SUPPORT, header("x.py", self._spec_name, "codegen (client target)")))
            return files
        finally:
            self.cancel()

    def cancel(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._tmp.cleanup()


__all__ = ["CONFIG", "ClientRun"]
