"""make publish: dist/ contents, the breaking-change gate, version bookkeeping, and the docs in a browser."""

from __future__ import annotations

import copy
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from codegen.contract.publish import docs_document
from codegen.spec import load
from codegen.spec.walk import operations
from tests.conftest import ROOT, SPEC
from tests.service.conftest import start_service

pytestmark = pytest.mark.slow
REDOCLY = ROOT / "node_modules" / ".bin" / "redocly"


def publish(tmp_path: Path, spec: Path, out: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Publish ``spec``; its generated code is not checked unless ``out`` names it (these specs have none)."""
    command = [sys.executable, "-m", "codegen", "publish", "--spec", str(spec), "--dist", str(tmp_path / "dist"),
               "--published", str(tmp_path / "published"), "--redocly", str(REDOCLY),
               "--out", str(out or tmp_path / "no-generated-code")]  # fmt: skip
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def edited(tmp_path: Path, version: str, old: str = "", new: str = "", name: str = "openapi.yaml") -> Path:
    current = load(SPEC).raw["info"]["version"]
    text = SPEC.read_text().replace(f"  version: {current}\n", f"  version: {version}\n", 1)
    assert f"  version: {version}\n" in text
    if old:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our contract, as version 1.0.0, published once: the baseline for the gate tests."""
    if not REDOCLY.exists():
        pytest.fail("Redocly CLI is missing: `make test` installs it with npm ci")
    root = tmp_path_factory.mktemp("published")
    previous = os.umask(0o022)  # the usual umask: others may read what is published (and import generated code)
    try:
        done = publish(root, edited(root, "1.0.0", name="base.yaml"))
    finally:
        os.umask(previous)
    assert done.returncode == 0, done.stderr
    return root


def test_dist_holds_the_contract_docs_and_changelog(first: Path) -> None:
    dist = first / "dist"
    package = "microsoft_graph_intune_user_statuses_client-1.0.0"
    assert sorted(p.name for p in dist.iterdir()) == ["CHANGELOG.md", "index.html", f"{package}-py3-none-any.whl",
                                                      f"{package}.tar.gz", "openapi.json", "openapi.yaml"]  # fmt: skip
    raw = load(first / "base.yaml").raw
    assert json.loads((dist / "openapi.json").read_text()) == raw
    assert yaml.safe_load((dist / "openapi.yaml").read_text()) == raw
    assert load(dist / "openapi.yaml").raw == raw  # valid, and one self-contained document
    html = (dist / "index.html").read_text()
    assert "<script" in html
    assert 'src="http' not in html  # scripts inlined: works offline
    assert "cdn.redoc.ly/redoc/logo" not in html
    assert '"disableTelemetry":true' in html  # readers' browsers send nothing to Redocly
    changelog = (dist / "CHANGELOG.md").read_text()
    assert changelog.startswith("# Microsoft Graph Intune userStatuses 1.0.0\n")
    assert "The first published version" in changelog
    assert json.loads((first / "published" / "openapi-1.0.0.json").read_text()) == raw
    # Published under umask 022: readable by others, as any file written with open() would be.
    assert stat.S_IMODE(dist.stat().st_mode) == 0o755
    assert {stat.S_IMODE(p.stat().st_mode) for p in dist.iterdir()} == {0o644}
    assert stat.S_IMODE((first / "published" / "openapi-1.0.0.json").stat().st_mode) == 0o644


def test_a_stale_generated_folder_is_refused(tmp_path: Path) -> None:
    changed = edited(tmp_path, "9.9.9", "Create a new", "Make a new")  # a description: generated docstrings change
    done = publish(tmp_path, changed, out=ROOT / "generated")
    assert done.returncode == 2
    assert "generated/ is out of date with" in done.stderr
    assert "run `make gen` and commit it before publishing" in done.stderr
    assert not (tmp_path / "dist").exists()
    # The spec as `make publish` names it (generated headers name it so): current, so it is published.
    assert publish(tmp_path, Path("openapi.yaml"), out=Path("generated")).returncode == 0


def test_republishing_the_same_version_is_idempotent(first: Path, tmp_path: Path) -> None:
    shutil.copytree(first / "published", tmp_path / "published")
    done = publish(tmp_path, first / "base.yaml")
    assert done.returncode == 0, done.stderr
    assert "recorded" not in done.stdout


def test_breaking_change_without_major_bump_fails_with_a_report(first: Path, tmp_path: Path) -> None:
    shutil.copytree(first / "published", tmp_path / "published")
    spec = edited(tmp_path, "1.1.0", "        - notAssigned\n", "")  # clients that send it are refused now
    done = publish(tmp_path, spec)
    assert done.returncode == 2
    assert "1 breaking change(s) since 1.0.0 need a major bump: info.version 1.1.0 -> 2.0.0:" in done.stderr
    assert "  - complianceStatus: enum value(s) removed: 'notAssigned' (in " in done.stderr
    assert "Bump the major version" in done.stderr
    assert not (tmp_path / "dist").exists()
    assert sorted(p.name for p in (tmp_path / "published").iterdir()) == ["openapi-1.0.0.json"]


def test_major_bump_lets_it_through_and_the_changelog_says_why(first: Path, tmp_path: Path) -> None:
    shutil.copytree(first / "published", tmp_path / "published")
    spec = edited(tmp_path, "2.0.0", "        - notAssigned\n", "")
    done = publish(tmp_path, spec)
    assert done.returncode == 0, done.stderr
    changelog = (tmp_path / "dist" / "CHANGELOG.md").read_text()
    assert "# Microsoft Graph Intune userStatuses 2.0.0" in changelog
    assert "Changes since 1.0.0." in changelog
    breaking = changelog.split("## Breaking changes")[1].split("## Other changes")[0]
    assert "enum value(s) removed: 'notAssigned'" in breaking
    assert (tmp_path / "published" / "openapi-2.0.0.json").is_file()


def test_a_new_enum_value_needs_no_major_bump_and_is_flagged_for_closed_enums(first: Path, tmp_path: Path) -> None:
    """The generated client keeps enum values it does not know, so only closed-enum clients are warned."""
    shutil.copytree(first / "published", tmp_path / "published")
    spec = edited(tmp_path, "1.1.0", "        - notAssigned\n", "        - notAssigned\n        - unknownFutureValue\n")
    done = publish(tmp_path, spec)
    assert done.returncode == 0, done.stderr
    changelog = (tmp_path / "dist" / "CHANGELOG.md").read_text()
    flagged = changelog.split("## Changes that break clients with closed enums")[1].split("## Other changes")[0]
    assert "enum value(s) added: 'unknownFutureValue'" in flagged
    assert "enum value(s) added" not in changelog.split("## Breaking changes")[1].split("## Changes that")[0]


def test_compatible_change_needs_no_major_bump(first: Path, tmp_path: Path) -> None:
    shutil.copytree(first / "published", tmp_path / "published")
    spec = edited(tmp_path, "1.1.0", "        minItems: 1\n", "")  # $select accepts more: compatible
    done = publish(tmp_path, spec)
    assert done.returncode == 0, done.stderr
    other = (tmp_path / "dist" / "CHANGELOG.md").read_text().split("## Other changes")[1]
    assert "'minItems' 1 removed" in other


def test_same_version_with_different_content_is_refused(first: Path, tmp_path: Path) -> None:
    shutil.copytree(first / "published", tmp_path / "published")
    done = publish(tmp_path, edited(tmp_path, "1.0.0", "List userStatuses", "List the userStatuses"))
    assert done.returncode == 2
    assert "already published" in done.stderr
    assert "need a patch bump: info.version 1.0.0 -> 1.0.1" in done.stderr  # a summary: no client sees it


def test_a_compatible_addition_under_a_patch_bump_is_refused(first: Path, tmp_path: Path) -> None:
    shutil.copytree(first / "published", tmp_path / "published")
    spec = edited(tmp_path, "1.0.1", "        - notAssigned\n", "        - notAssigned\n        - unknownFutureValue\n")
    done = publish(tmp_path, spec)
    assert done.returncode == 2
    assert "1 compatible change(s) since 1.0.0 need a minor bump: info.version 1.0.1 -> 1.1.0" in done.stderr
    assert not (tmp_path / "dist").exists()


def test_older_version_and_unsafe_version_are_refused(first: Path, tmp_path: Path) -> None:
    shutil.copytree(first / "published", tmp_path / "published")
    assert "older than the published" in publish(tmp_path, edited(tmp_path, "0.9.0")).stderr
    assert "cannot name a published file" in publish(tmp_path, edited(tmp_path, "'../../x'")).stderr


@dataclass(frozen=True)
class DocsPage:
    """What headless Chromium showed of dist/index.html, opened from disk (no network)."""

    text: str  # the page's visible text
    menu: str  # the side menu's visible text
    servers: str  # the visible text of the servers panel
    images: list[dict[str, Any]]  # every <img>: src, whether it loaded, natural size, opaque pixels drawn
    attribution: list[dict[str, Any]] | None  # the <img>s of the link "API docs by" (None: no such link)
    errors: list[dict[str, Any]]  # SEVERE console entries


#: Per <img>: did it load, and does drawing it paint anything (a blank SVG loads, 300x150, and paints nothing).
_IMAGE_REPORT = """
const report = (img) => {
  const out = {src: img.src.slice(0, 80), complete: img.complete, width: img.naturalWidth, height: img.naturalHeight};
  if (!img.complete || !img.naturalWidth) return {...out, painted: 0};
  const canvas = document.createElement("canvas");
  canvas.width = Math.min(img.naturalWidth, 400);
  canvas.height = Math.min(img.naturalHeight, 400);
  const context = canvas.getContext("2d");
  context.drawImage(img, 0, 0, canvas.width, canvas.height);
  try {
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
    return {...out, painted};
  } catch (error) {
    return {...out, painted: 0, error: String(error)};  // a cross-origin image: the page is not offline
  }
};
const attribution = document.evaluate("//*[normalize-space(text())='API docs by']/ancestor::a[1]", document, null,
                                      XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
return {images: [...document.images].map(report),
        attribution: attribution ? [...attribution.querySelectorAll("img")].map(report) : null};
"""


@pytest.fixture(scope="module")
def docs_page(first: Path, tmp_path_factory: pytest.TempPathFactory) -> DocsPage:
    """Headless Chromium opens dist/index.html from disk; the screenshot lands in dist/docs-screenshot.png."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.wait import WebDriverWait

    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver_path:
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver must be installed (Debian packages; .ci/run installs them)")
        pytest.skip("chromium / chromium-driver not installed (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium') / 'profile'}"):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        driver.set_window_size(1400, 1000)
        driver.get((first / "dist" / "index.html").as_uri())
        # The page renders after load ("Loading..." first), and lays out a section only once it comes near the
        # window: go to the end until the last operation shows (a slow machine may take a while), then back.
        WebDriverWait(driver, 60).until(_last_operation_shown)
        driver.execute_script("window.scrollTo(0, 0)")
        text = driver.find_element("tag name", "body").text
        menu = driver.find_element("css selector", '[data-component-name="Menu/Menu"]').text
        servers = driver.find_element("css selector", '[data-testid="panel-servers"]').text
        images: dict[str, Any] = driver.execute_script(_IMAGE_REPORT)
        log: list[dict[str, Any]] = driver.get_log("browser")  # type: ignore[no-untyped-call]
        screenshot = ROOT / "dist" / "docs-screenshot.png"
        screenshot.parent.mkdir(exist_ok=True)
        driver.save_screenshot(str(screenshot))
    finally:
        driver.quit()
    errors = [entry for entry in log if entry["level"] == "SEVERE"]
    return DocsPage(text, menu, servers, images["images"], images["attribution"], errors)


def _last_operation_shown(driver: Any) -> bool:
    driver.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    return "userStatuses/$count" in driver.find_element("tag name", "body").text


def test_docs_render_in_a_real_browser(docs_page: DocsPage) -> None:
    """The page loads from disk with no console errors and shows every operation."""
    assert docs_page.errors == []
    shown = [f"{method.upper()}\n{path}" for path, item in load(SPEC).raw["paths"].items() for method in item
             if method in ("get", "post", "patch", "delete")]  # fmt: skip
    assert len(shown) == 6
    for operation in shown:
        assert operation in docs_page.text, operation


def test_docs_menu_names_every_operation_by_its_summary(docs_page: DocsPage) -> None:
    """The side menu, as the page opens, names each operation by its summary (not six look-alike paths)."""
    summaries = [op["summary"] for item in load(SPEC).raw["paths"].values() for method, op in item.items()
                 if method in ("get", "post", "patch", "delete")]  # fmt: skip
    assert len(set(summaries)) == 6
    lines = docs_page.menu.splitlines()
    assert [summary for summary in summaries if summary not in lines] == [], docs_page.menu


def test_the_docs_drop_a_tag_only_when_every_operation_shares_it() -> None:
    """A tag that every operation has groups nothing in the docs' menu; other tags group, and the contract keeps all."""
    raw = load(SPEC).raw
    before = copy.deepcopy(raw)
    docs = docs_document(raw)
    assert raw == before  # the contract partners get keeps its tag
    assert "tags" not in docs
    assert [site.operation.get("tags") for site in operations(docs)] == [None] * 6
    for site in operations(before):
        del site.operation["tags"]
    assert docs == {key: value for key, value in before.items() if key != "tags"}  # nothing else changes
    assert docs_document(docs) == docs
    two = copy.deepcopy(raw)
    two["paths"][next(iter(two["paths"]))]["get"]["tags"] = ["other"]
    assert docs_document(two) is two


def test_docs_show_no_blank_or_broken_image(docs_page: DocsPage) -> None:
    """Every image loads from the page itself and paints something; "API docs by" is followed by a logo."""
    for image in docs_page.images:
        assert image["complete"], image
        assert image["width"] > 0, image
        assert image["painted"] > 0, image
    # A logo that fails to load is dropped from the page, so no broken image is left to find: look for it.
    assert docs_page.attribution != [], "'API docs by' is followed by no logo"


def test_docs_show_no_raw_markdown(docs_page: DocsPage) -> None:
    """Text that Redoc shows verbatim (the servers list) has no Markdown: no backtick anywhere on the page."""
    assert "Servers" in docs_page.servers
    assert "`" not in docs_page.servers, docs_page.servers
    assert [line for line in docs_page.text.splitlines() if "`" in line] == []


def test_the_client_wheel_installs_and_its_readme_example_runs(first: Path, tmp_path: Path) -> None:
    """The wheel partners get, unpacked on its own (not generated/), runs the example its README shows."""
    wheel = next((first / "dist").glob("*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
        metadata = next(n for n in archive.namelist() if n.endswith("METADATA"))
        readme = archive.read(metadata).decode()
    assert "Requires-Dist: httpx<0.29,>=0.23" in readme
    code = readme.split("```python\n", 1)[1].split("```", 1)[0]
    running = start_service(tmp_path)
    try:
        base = running.url + "/v1.0"
        with httpx.Client(base_url=base, headers={"Authorization": "Bearer rw"}) as http:
            made = http.post("/deviceAppManagement/mobileAppConfigurations/cfg/userStatuses", json={"id": "s-1"})
            assert made.status_code == 201, made.text
        for placeholder, value in (("https://graph.microsoft.com/v1.0", base), ("YOUR-TOKEN", "rw"),
                                   ("YOUR-MANAGED-DEVICE-MOBILE-APP-CONFIGURATION-ID", "cfg"),
                                   ("YOUR-MANAGED-DEVICE-MOBILE-APP-CONFIGURATION-USER-STATUS-ID", "s-1")):  # fmt: skip
            assert placeholder in code, placeholder
            code = code.replace(placeholder, value)
        done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(site)},
                              capture_output=True, text=True, check=False, timeout=60)  # fmt: skip
    finally:
        running.stop()
    assert done.returncode == 0, done.stderr
    assert "ODataError" not in done.stdout
    printed = done.stdout.count("ManagedDeviceMobileAppConfigurationUserStatus(")
    assert printed == 4, done.stdout  # created, the two items listed, updated
    assert "status=<ComplianceStatus.NOT_APPLICABLE: 'notApplicable'>" in done.stdout


def test_the_published_versions_are_found_beside_the_spec(tmp_path: Path) -> None:
    """As `make gen` finds them for its warning: the baseline belongs to the spec, not to the current folder."""
    (tmp_path / "published").mkdir()
    shutil.copy(ROOT / "published" / "openapi-2.0.0.json", tmp_path / "published")
    spec = edited(tmp_path, "2.0.0", "List userStatuses", "List the userStatuses")
    command = [sys.executable, "-m", "codegen", "publish", "--spec", str(spec), "--dist", str(tmp_path / "dist"),
               "--out", str(tmp_path / "no-generated-code")]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert f"version 2.0.0 is already published ({tmp_path / 'published' / 'openapi-2.0.0.json'})" in done.stderr
