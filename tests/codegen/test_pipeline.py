"""codegen gen/check: byte-stable output, a fast no-op, drift detection, and nothing touched on failure."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codegen.pipeline import CODEGEN_DIR, Options, check, gen, output_sources
from tests.conftest import GENERATED, ROOT, SPEC

pytestmark = pytest.mark.slow


def run_codegen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codegen", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_committed_generated_code_is_current() -> None:
    """What CI relies on: generated/ is exactly what `make gen` writes from openapi.yaml."""
    assert check(Options(spec=SPEC, out=GENERATED)) == []


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "generated"
    gen(Options(spec=SPEC, out=out))
    return out


def test_generation_is_byte_stable(fresh: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    gen(Options(spec=SPEC, out=again))
    assert snapshot(again) == snapshot(fresh)


def test_second_gen_is_a_no_op(fresh: Path) -> None:
    before = snapshot(fresh)
    assert gen(Options(spec=SPEC, out=fresh)) == []
    assert snapshot(fresh) == before


def test_every_generated_file_carries_the_header(fresh: Path) -> None:
    for rel, content in snapshot(fresh).items():
        first = content.split(b"\n", 1)[0]
        assert b"@generated" in first, rel
        assert b"DO NOT EDIT" in first, rel


def test_check_reports_hand_edits_missing_and_extra_files(fresh: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy"
    shutil.copytree(fresh, out)
    options = Options(spec=SPEC, out=out)
    assert check(options) == []
    (out / "client" / "client.py").write_text("# edited by hand\n")
    (out / "client" / "errors.py").unlink()
    (out / "client" / "extra.py").write_text("")
    assert check(options) == [
        "missing: client/errors.py",
        "differs: client/client.py",
        "not generated: client/extra.py",
    ]


def test_gen_repairs_hand_edits_but_keeps_unknown_files(fresh: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy"
    shutil.copytree(fresh, out)
    (out / "client" / "client.py").write_text("# edited by hand\n")
    (out / "client" / "notes.txt").write_text("mine")
    assert gen(Options(spec=SPEC, out=out)) == ["client/client.py"]
    assert (out / "client" / "client.py").read_bytes() == (fresh / "client" / "client.py").read_bytes()
    assert (out / "client" / "notes.txt").read_text() == "mine"


def test_spec_change_regenerates_and_removes_stale_files(fresh: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy"
    shutil.copytree(fresh, out)
    spec = tmp_path / "openapi.yaml"
    text = SPEC.read_text().replace("deviceAppManagement.mobileAppConfigurations.DeleteUserStatuses", "removeStatus")
    spec.write_text(text)
    changed = gen(Options(spec=spec, out=out))
    old = "client/api/user_statuses/delete_user_statuses.py"
    assert old in changed
    assert not (out / old).exists()
    assert (out / "client/api/user_statuses/remove_status.py").is_file()


def test_broken_spec_fails_and_leaves_output_untouched(fresh: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy"
    shutil.copytree(fresh, out)
    before = snapshot(out)
    broken = tmp_path / "openapi.yaml"
    broken.write_text(SPEC.read_text().replace("        - notApplicable\n", "        - 7\n", 1))
    done = run_codegen("gen", "--spec", str(broken), "--out", str(out))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "/components/schemas/complianceStatus/enum/1: enum value is invalid for its schema" in done.stderr
    assert "openapi.yaml:" in done.stderr  # the line is named
    assert snapshot(out) == before


def test_gen_force_says_it_regenerated(fresh: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy"
    shutil.copytree(fresh, out)
    done = run_codegen("gen", "--force", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert f"regenerated {out}/ in " in done.stdout
    assert "nothing changed" in done.stdout
    assert "up to date" not in done.stdout


def test_cli_check_exit_codes(fresh: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy"
    shutil.copytree(fresh, out)
    assert run_codegen("check", "--out", str(out)).returncode == 0
    (out / "__init__.py").write_text("")
    done = run_codegen("check", "--out", str(out))
    assert done.returncode == 1
    assert "differs: __init__.py" in done.stderr


def test_only_files_that_shape_output_make_generated_code_stale() -> None:
    names = {p.relative_to(CODEGEN_DIR).as_posix() for p in output_sources()}
    assert {
        "build/api.py",
        "runtime/app.py",
        "templates/server/operations.py.j2",
        "client/config.yaml",
        "client/opc_templates/endpoint_module.py.jinja",
        "client/support/wire.py",
    } <= names
    assert not names & {"contract/publish.py", "contract/diff.py", "cli.py"}


def test_missing_spec_is_a_clear_error(tmp_path: Path) -> None:
    done = run_codegen("gen", "--spec", str(tmp_path / "nope.yaml"), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "no spec at" in done.stderr
    assert not (tmp_path / "out").exists()


LAYERED = """\
openapi: 3.0.3
info: {title: Layered, version: '1'}
paths:
  /things:
    get:
      parameters:
        - {name: filter, in: query, style: pipeDelimited, schema: {type: array, items: {type: string}}}
        - {name: sort, in: query, style: pipeDelimited, schema: {type: array, items: {type: string}}}
        - {name: when, in: query, schema: {type: string, example: 5}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string, enum: [a, 1]}}}}
    post:
      requestBody: {content: {application/xml: {schema: {type: object}}}}
      responses:
        '204': {description: done}
"""


def test_one_run_reports_every_problem_grouped_and_counted(tmp_path: Path) -> None:
    """A spec with a wrong enum value, a wrong example (strict) and constructs the server target refuses:
    all of them in one run, grouped by kind with counts, instead of one layer per run."""
    spec = tmp_path / "layered.yaml"
    spec.write_text(LAYERED, encoding="utf-8")
    run = run_codegen("gen", "--spec", str(spec), "--out", str(tmp_path / "out"), "--target", "server", "--strict")
    assert run.returncode == 2
    lines = run.stderr.splitlines()
    assert lines[0] == "codegen: invalid spec (5 problems, 4 kinds):"
    assert (
        "  2 x parameter style 'pipeDelimited' is not supported (only 'form', 'deepObject' and form objects)" in lines
    )
    assert "    layered.yaml:7: /paths/~1things/get/parameters/0/style" in lines
    assert "    layered.yaml:8: /paths/~1things/get/parameters/1/style" in lines
    assert "  enum and const values that do not fit their schemas (1):" in lines
    assert "  example and default values that do not fit their schemas (1):" in lines
    assert "  1 x request body media type 'application/xml' is not supported" in lines
    assert not (tmp_path / "out").exists()


def test_refusals_inside_referenced_schemas_come_in_the_same_run(tmp_path: Path) -> None:
    """An unsupported keyword reached only through references is found while embedding: still one run."""
    spec = tmp_path / "two.yaml"
    spec.write_text(
        LAYERED.split("paths:")[0].replace("3.0.3", "3.1.0")
        + """paths:
  /things:
    get:
      parameters:
        - {name: q, in: query, style: pipeDelimited, schema: {type: array, items: {type: string}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
components:
  schemas:
    Thing: {type: object, properties: {next: {$ref: '#/components/schemas/Next'}}}
    Next: {$anchor: here, type: string}
""",
        encoding="utf-8",
    )
    run = run_codegen("gen", "--spec", str(spec), "--out", str(tmp_path / "out"), "--target", "server", "--strict")
    assert run.returncode == 2
    assert "(2 problems, 2 kinds)" in run.stderr
    assert "/paths/~1things/get/parameters/0/style" in run.stderr
    assert "/components/schemas/Next/$anchor" in run.stderr


def versioned(version: str, old: str = "", new: str = "") -> str:
    """Our spec as ``version``, with ``old`` replaced by ``new``."""
    text = re.sub(r"(?m)^  version: .*$", f"  version: {version}", SPEC.read_text(), count=1)
    assert old in text
    return text.replace(old, new, 1)


def test_gen_warns_when_info_version_needs_a_bump_before_it_can_be_published(tmp_path: Path) -> None:
    """A breaking change against published/ beside the spec: a warning naming the bump, never a failure; the
    no-op run after it stays silent (and cheap: the spec is compared only when something was regenerated)."""
    (tmp_path / "published").mkdir()
    shutil.copy(ROOT / "published" / "openapi-2.0.0.json", tmp_path / "published")
    spec = tmp_path / "openapi.yaml"
    spec.write_text(versioned("2.1.0", "        - notAssigned\n", ""))  # requests may no longer send it
    command = ("gen", "--spec", str(spec), "--out", str(tmp_path / "out"), "--target", "server")
    done = run_codegen(*command)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert (
        lines[0] == "codegen: warning: 1 breaking change(s) since 2.0.0 need a major bump: info.version 2.1.0 -> 3.0.0:"
    )
    assert (
        "  - complianceStatus: enum value(s) removed: 'notAssigned' (in UpdateUserStatuses, CreateUserStatuses)"
        in lines
    )
    assert f"codegen: `make publish` refuses {spec} until info.version is bumped (generation is not affected)" in lines
    again = run_codegen(*command)
    assert (again.returncode, again.stderr) == (0, "")
    assert "is up to date" in again.stdout
    # Bumped as it needs: nothing to say.
    spec.write_text(versioned("3.0.0", "        - notAssigned\n", ""))
    bumped = run_codegen(*command)
    assert (bumped.returncode, bumped.stderr) == (0, "")


def test_gen_says_nothing_about_versions_without_published_versions_beside_the_spec(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(versioned("1.0.0", "        - notAssigned\n", ""))
    done = run_codegen("gen", "--spec", str(spec), "--out", str(tmp_path / "out"), "--target", "server")
    assert (done.returncode, done.stderr) == (0, "")
    # A published/ folder that cannot be read is a warning too, not a failure.
    (tmp_path / "published").mkdir()
    (tmp_path / "published" / "openapi-0.9.0.json").write_text("{not json")
    done = run_codegen("gen", "--force", "--spec", str(spec), "--out", str(tmp_path / "out"), "--target", "server")
    assert done.returncode == 0, done.stderr
    assert f"codegen: warning: could not compare {spec} with the versions in {tmp_path / 'published'}/" in done.stderr
