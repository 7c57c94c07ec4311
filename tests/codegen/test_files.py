"""codegen.files: writes stay inside the output folder, are atomic, and never delete what codegen did not write."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from codegen.errors import CodegenError
from codegen.files import header, read_tree, sync


@pytest.mark.parametrize("rel", ["../escape.py", "/etc/passwd", "a/../../b", "a\\..\\b", "", "a//b", "./a"])
def test_paths_outside_the_output_are_refused(tmp_path: Path, rel: str) -> None:
    out = tmp_path / "out"
    with pytest.raises(CodegenError, match="outside the output folder"):
        sync(out, {rel: b"x"}, [])
    assert not (tmp_path / "escape.py").exists()


def test_writing_through_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    os.symlink(elsewhere, out / "link")
    with pytest.raises(CodegenError, match="through a link"):
        sync(out, {"link/x.py": b"x"}, [])
    assert list(elsewhere.iterdir()) == []


def test_only_previously_generated_files_are_deleted(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sync(out, {"a/one.py": b"1", "a/two.py": b"2"}, [])
    (out / "a" / "mine.txt").write_text("mine")
    changed = sync(out, {"a/one.py": b"1"}, ["a/one.py", "a/two.py"])
    assert changed == ["a/two.py"]
    assert sorted(read_tree(out)) == ["a/mine.txt", "a/one.py"]


def test_a_tampered_manifest_cannot_delete_outside(tmp_path: Path) -> None:
    (tmp_path / "victim").write_text("keep")
    with pytest.raises(CodegenError, match="outside the output folder"):
        sync(tmp_path / "out", {}, ["../victim"])
    assert (tmp_path / "victim").read_text() == "keep"


def test_header_cannot_be_broken_by_the_spec_file_name() -> None:
    line = header("x.py", "evil\nimport os\r.yaml", "codegen")
    assert line.count("\n") == 1
    assert "\r" not in line
    assert line.startswith("# @generated")


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_written_files_honour_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    previous = os.umask(umask)
    try:
        sync(tmp_path / "out", {"pkg/module.py": b"x = 1\n"}, [])
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "out" / "pkg" / "module.py").stat().st_mode) == mode
