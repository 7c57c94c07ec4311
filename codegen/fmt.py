"""Format generated Python with the pinned ruff, with settings fixed here, never read from the tree.

Generation happens in a temporary folder, where the project's pyproject.toml is out of reach; ruff runs
``--isolated`` with explicit settings so output is the same wherever it is written.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from codegen.errors import CodegenError

SETTINGS = ("--isolated", "--line-length=120", "--target-version=py311")


def format_tree(root: Path) -> None:
    """Sort and prune imports, then format, every ``.py`` file under ``root``."""
    _ruff("check", *SETTINGS, "--fix-only", "--select=I,F401", "--exit-zero", "--quiet", ".", cwd=root)
    _ruff("format", *SETTINGS, "--quiet", ".", cwd=root)


def _ruff(*args: str, cwd: Path) -> None:
    # The ruff binary itself: a Python started in ``cwd`` would import generated modules (``types.py``...).
    from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

    done = subprocess.run([find_ruff_bin(), *args], cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise CodegenError(f"ruff {args[0]} failed on generated code (exit {done.returncode}):\n{done.stderr.strip()}")
