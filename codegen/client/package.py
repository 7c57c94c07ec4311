"""What makes the generated client an installable package with a real example: ``styles.py``,
``pyproject.toml`` and ``README.md``, rendered from the spec and from the client openapi-python-client wrote.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from codegen import naming
from codegen.client.document import ClientDocument
from codegen.files import header
from codegen.render import environment, render
from codegen.spec.walk import operations

#: What the generated code imports at run time (openapi-python-client's needs), as ranges.
DEPENDENCIES = ("httpx>=0.23,<0.29", "attrs>=22.2")


@dataclass(frozen=True)
class Call:
    """One operation as the example calls it: its module, path parameters and body class."""

    method: str
    module: str
    tag: str
    path_parameters: tuple[str, ...]
    body_class: str | None
    body_example: Any
    paged: bool


TOOL = "codegen (client target)"


def package_files(client: ClientDocument, package: Path, spec_name: str) -> dict[str, str]:
    """The files to add to the package folder openapi-python-client wrote, by name."""
    doc = client.document
    info: dict[str, Any] = doc["info"] if isinstance(doc.get("info"), dict) else {}
    title = str(info.get("title", "API"))
    name = naming.snake(title, "api") + "_client"
    calls = _calls(doc, package)
    subpackages = sorted(package.glob("*/**/__init__.py"))
    context: dict[str, Any] = {
        "header": header("x.py", spec_name, TOOL),
        "title": title,
        "package": name,
        "distribution": name.replace("_", "-"),
        "version": _version(str(info.get("version", "0"))),
        "dependencies": DEPENDENCIES,
        "packages": [name, *(f"{name}.{'.'.join(p.parent.relative_to(package).parts)}" for p in subpackages)],
        "unexploded": sorted((op, frozenset(params)) for op, params in client.unexploded.items()),
        "deep_query": sorted((op, frozenset(params)) for op, params in client.deep_query.items()),
        "deep_form": sorted((op, frozenset(fields)) for op, fields in client.deep_form.items()),
        "base_url": _base_url(doc),
        "create": next((c for c in calls if c.body_class and c.method == "post"), None),
        "listing": next((c for c in calls if c.paged), None),
        "update": next((c for c in calls if c.body_class and c.method in ("patch", "put")), None),
    }
    shown: list[Call] = [c for c in (context["create"], context["listing"], context["update"]) if c is not None]
    context["path_variables"] = list(dict.fromkeys(variable for call in shown for variable in call.path_parameters))
    env = environment()
    return {
        "styles.py": render(env, "client/styles.py.j2", **context),
        "pyproject.toml": render(env, "client/pyproject.toml.j2", **context),
        "README.md": render(env, "client/README.md.j2", **{**context, "header": header("README.md", spec_name, TOOL)}),
    }


def _version(version: str) -> str:
    """``info.version`` as a package version (PEP 440), or 0.0.0 when it is not one."""
    try:
        return str(Version(version))
    except InvalidVersion:
        return "0.0.0"


def _base_url(doc: dict[str, Any]) -> str:
    servers = doc.get("servers")
    url = servers[0].get("url") if isinstance(servers, list) and servers and isinstance(servers[0], dict) else None
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else "https://api.example.com"


def _calls(doc: dict[str, Any], package: Path) -> list[Call]:
    """The operations as the generated modules define them (read with ``ast``, never imported)."""
    modules = {p.stem: p for p in package.glob("api/*/*.py") if p.stem != "__init__"}
    found = []
    for site in operations(doc):
        path = modules.get(str(site.operation.get("operationId")))
        if path is None:
            continue
        functions = {n.name: n for n in ast.parse(path.read_text()).body if isinstance(n, ast.FunctionDef)}
        sync = functions.get("sync")
        if sync is None:
            continue
        body = next((a for a in sync.args.kwonlyargs if a.arg == "body"), None)
        body_class = body.annotation.id if body is not None and isinstance(body.annotation, ast.Name) else None
        found.append(Call(site.method, path.stem, path.parent.name, tuple(a.arg for a in sync.args.args), body_class,
                          _example(site.operation), "sync_all" in functions))  # fmt: skip
    return found


def _example(operation: dict[str, Any]) -> Any:
    """The first example of the operation's JSON request body, or an empty object."""
    body = operation.get("requestBody")
    media = body.get("content", {}).get("application/json") if isinstance(body, dict) else None
    if not isinstance(media, dict):
        return {}
    if "example" in media:
        return media["example"]
    for example in (media.get("examples") or {}).values():
        if isinstance(example, dict) and "value" in example:
            return example["value"]
    return {}


__all__ = ["package_files"]
