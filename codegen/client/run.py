"""The client target: openapi-python-client (pinned) turns the spec into ``generated/client``.

It reads the document codegen parsed (``document.client_document``: the spec with what the tool would
lose made explicit), through our templates where its own would break the contract (``opc_templates/``).
It runs in its own process (``opc_runner``), which hands back each problem it met as data. The pieces
the tool cannot generate are added here: the support modules (``support/``, copied verbatim), the
``styles`` table, and the packaging (``pyproject.toml``, ``README.md``) that makes the client an installable package.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from codegen.client.document import ClientDocument, client_document
from codegen.client.package import package_files
from codegen.errors import MAX_SHOWN, CodegenError
from codegen.files import header, read_tree, verbatim, with_header
from codegen.fmt import format_tree
from codegen.pointer import Pointer

HERE = Path(__file__).parent
CONFIG = HERE / "config.yaml"
TEMPLATES = HERE / "opc_templates"
RUNNER = HERE / "opc_runner.py"
SUPPORT = HERE / "support"
TOOL = "openapi-python-client"


class ClientRun:
    """openapi-python-client running in the background while the rest of the generator works.

    With ``strict`` (``make gen`` on our own spec) anything the tool warns about fails the run: a half-generated
    client is worse than none. Otherwise (a published document) what it skips is reported in ``warnings``."""

    def __init__(self, document: Any, spec_name: str, strict: bool = True) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="codegen-client-")
        root = Path(self._tmp.name)
        # Not a mapping: validation, running meanwhile, refuses it; the tool gets it as it is.
        self._input = client_document(document) if isinstance(document, dict) else ClientDocument(document)
        text = json.dumps(self._input.document, ensure_ascii=False)
        (root / "openapi.json").write_text(text, encoding="utf-8")
        self._package = root / "client"
        self._report = root / "report.json"
        self._spec_name = spec_name
        self._strict = strict
        #: (where, what) for each part of the spec the client leaves out or types loosely.
        self.warnings: list[tuple[Pointer, str]] = list(self._input.warnings)
        command = [sys.executable, "-I", str(RUNNER), str(root / "openapi.json"), str(self._package), str(CONFIG),
                   str(TEMPLATES), str(self._report)]  # fmt: skip
        self._process = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def finish(self) -> dict[str, bytes]:
        """The client package's files, keyed by path relative to the package folder."""
        try:
            output, _ = self._process.communicate()
            self._judge(self._problems(output))
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

    def _problems(self, output: bytes) -> list[dict[str, Any]]:
        try:
            found = json.loads(self._report.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            last = output.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            found = [{"level": "crash", "header": f"it stopped (status {self._process.returncode}): {last[0]}"}]
        return found if isinstance(found, list) else []

    def _judge(self, problems: list[dict[str, Any]]) -> None:
        """Errors and crashes stop the run in one line each; warnings do too when strict."""
        fatal = [p for p in problems if p.get("level") != "WARNING" or self._strict]
        if fatal or not self._package.is_dir():
            lines = "\n".join(f"  {_one_line(p)}" for p in fatal[:MAX_SHOWN]) or "  it wrote no package"
            more = f"\n  ... and {len(fatal) - MAX_SHOWN} more" if len(fatal) > MAX_SHOWN else ""
            raise CodegenError(f"{TOOL} could not generate a client for {self._spec_name}:\n{lines}{more}")
        for problem in problems:
            text = _one_line(problem)
            found = _SKIPPED.match(text)
            where: Pointer = ("paths", found["path"], found["method"].lower()) if found else ()
            self.warnings.append((where, f"the client leaves this out: {text[found.end() if found else 0 :]}"))

    def cancel(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._tmp.cleanup()


#: How the tool names an operation it skips (the rest of its message says why).
_SKIPPED = re.compile(r"WARNING parsing (?P<method>[A-Z]+) (?P<path>\S+) within \S+ ")
#: The tool sometimes prints an object's repr where it means a value.
_REPR = re.compile(r"<[\w.]+ object at 0x[0-9a-f]+> ?")


def _one_line(problem: dict[str, Any]) -> str:
    text = " ".join(str(problem.get(part) or "").strip() for part in ("header", "detail"))
    return _REPR.sub("", " ".join(text.split()))[:500]


__all__ = ["CONFIG", "ClientRun"]
