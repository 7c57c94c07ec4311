"""Runs openapi-python-client in its own process and writes what it reported as JSON.

Its command line prints a 220-line box-drawn traceback when it crashes and mixes warnings into free text;
through its library API the generator gets each problem as data (level, header, detail) and a crash as
one line. Run as a script: ``python -I opc_runner.py DOCUMENT OUTPUT CONFIG TEMPLATES REPORT``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def run(document: Path, output: Path, config: Path, templates: Path) -> list[dict[str, str | None]]:
    """Each problem the tool reported; a crash is one problem of level ``crash``."""
    from openapi_python_client import generate
    from openapi_python_client.config import Config, ConfigFile, MetaType

    try:
        settings = Config.from_sources(ConfigFile.load_from_path(config), MetaType.NONE, document, "utf-8",
                                       overwrite=True, output_path=output)  # fmt: skip
        errors = generate(config=settings, custom_template_path=templates)
    except Exception as crash:  # the tool's own failure is reported as data, not as its traceback
        return [{"level": "crash", "header": f"{type(crash).__name__}: {crash}".strip(), "detail": None}]
    return [{"level": str(e.level.value), "header": e.header, "detail": e.detail} for e in errors]


if __name__ == "__main__":
    document, output, config, templates, report = map(Path, sys.argv[1:6])
    report.write_text(json.dumps(run(document, output, config, templates)), encoding="utf-8")
