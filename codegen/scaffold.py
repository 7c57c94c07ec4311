"""``python -m codegen scaffold``: a starting point for implementing the generated server's ``Handlers``.

Written once, then the user's: every operation gets its method with the Protocol's exact signature (mypy
checks it). A resource the spec manages the usual way (POST creates it in a collection; GET, PATCH and
DELETE its items; GET lists the collection, ``/$count`` counts it) is kept in a dictionary, so the starter
answers real requests at once; every other operation raises ``Unimplemented`` (501). TODOs mark what a real
implementation adds: storage, ids, paging and the query options the starter does not apply.
"""

from __future__ import annotations

import keyword
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from codegen import naming
from codegen.build import build
from codegen.errors import CodegenError
from codegen.fmt import format_tree
from codegen.ir import Api, Operation, Parameter, TypedDictModel
from codegen.render import environment, render
from codegen.spec import Spec

Kind = Literal["create", "list", "count", "get", "update", "delete", "todo"]
_KEY_TYPES = {"str": "str", "int": "int"}  # what an item's key may hold: ids from a UUID or a counter
_ITEM_SUFFIX = re.compile(r"/\{[^/{}]+\}$")  # an item path: its collection's, then one parameter


@dataclass(frozen=True)
class Resource:
    """Items kept in ``attribute``, a dict keyed by the collection's path parameters and the item's id."""

    attribute: str
    model: str
    #: ``tuple[str, int]``: the collection's path parameters' types, then the id's.
    key_type: str
    #: ``str`` ids are UUIDs; ``int`` ids come from a counter, kept in ``counter``.
    id_type: str
    counter: str


@dataclass(frozen=True)
class Plan:
    """How the starter implements one operation."""

    kind: Kind
    resource: Resource | None = None
    #: Python names of the path parameters, in path order: the item's key (or its collection's prefix).
    key: tuple[str, ...] = ()
    #: The collection model's list field, for ``list``.
    list_field: str = ""
    #: Parameters the starter receives but does not apply (paging, $select...): a TODO each.
    unused: tuple[str, ...] = ()


def scaffold(spec: Spec, server: str) -> str:
    """The starter module's source for the spec, importing the generated server from ``server``."""
    if not all(part.isidentifier() and not keyword.iskeyword(part) for part in server.split(".")):
        raise CodegenError(f"--server {server!r} is not a Python import path (such as generated.server)")
    api = build(spec, strict=False)
    plans = plan(api)
    resources = sorted({p.resource for p in plans.values() if p.resource}, key=lambda r: r.attribute)
    scopes = sorted({scope for op in api.operations for alt in op.security for _, ss in alt for scope in ss})
    text = render(environment(), "scaffold/handlers.py.j2", api=api, plans=plans, resources=resources,
                  server=server, scopes=scopes)  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="codegen-scaffold-") as tmp:
        module = Path(tmp) / "handlers.py"
        module.write_text(text, encoding="utf-8")
        format_tree(Path(tmp))
        return module.read_text(encoding="utf-8")


def write_once(path: Path, source: str) -> None:
    """Create ``path``; never overwrite (the file is the user's once written)."""
    try:
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "w", encoding="utf-8") as out:
            out.write(source)
    except FileExistsError:
        raise CodegenError(f"{path} exists: scaffold never overwrites (it is yours); choose another --out") from None
    except OSError as error:
        raise CodegenError(f"cannot write {path}: {error.strerror}") from None


def plan(api: Api) -> dict[str, Plan]:
    """Each operation's plan, by method name: what it recognises as a resource, the rest ``todo``."""
    models = {m.name: m for m in api.models}
    resources = _resources(api, models)
    plans: dict[str, Plan] = {}
    for op in api.operations:
        path_params = tuple(param.py_name for param in _path_params(op))
        unused = tuple(p.py_name for p in op.parameters if p.location != "path")
        kind, resource, list_field = _kind(op, resources, models)
        plans[op.method_name] = Plan(kind, resource, path_params, list_field, unused)
    return plans


def _resources(api: Api, models: dict[str, TypedDictModel]) -> dict[str, Resource]:
    """Collections a POST creates items in, by collection path: its body and result are one model with an
    ``id`` (a string or an integer), and every path parameter of the collection is a string or an integer."""
    names = naming.Scope({"self", "ctx", "body"})
    found: dict[str, Resource] = {}
    for op in api.operations:
        model = models.get(op.returns)
        creates = op.http_method == "POST" and op.body is not None and op.body.kind == "json" and op.body.required
        if not creates or model is None or op.body is None or op.body.annotation != model.name or op.path in found:
            continue
        id_type = next((f.annotation for f in model.fields if f.wire_name == "id"), "")
        key_types = [_KEY_TYPES.get(param.annotation, "") for param in _path_params(op)]
        if id_type not in _KEY_TYPES or not all(key_types):
            continue
        segments = [s for s in op.path.split("/") if s and "{" not in s]
        attribute = names.claim(naming.snake(segments[-1] if segments else "items", "items"))
        counter = names.claim(f"{attribute}_ids") if id_type == "int" else ""
        found[op.path] = Resource(attribute, model.name, f"tuple[{', '.join([*key_types, id_type])}]", id_type, counter)
    return found


def _kind(
    op: Operation, resources: dict[str, Resource], models: dict[str, TypedDictModel]
) -> tuple[Kind, Resource | None, str]:
    collection = resources.get(op.path)
    if collection is not None:
        if op.http_method == "POST":
            return "create", collection, ""
        list_field = _list_field(models.get(op.returns), collection.model)
        if op.http_method == "GET" and list_field:
            return "list", collection, list_field
    counted = resources.get(op.path.removesuffix("/$count"))
    if counted is not None and op.path.endswith("/$count") and op.http_method == "GET" and op.returns == "int":
        return "count", counted, ""
    match = _ITEM_SUFFIX.search(op.path)
    item_of = resources.get(op.path[: match.start()]) if match else None
    key_type = f"tuple[{', '.join(param.annotation for param in _path_params(op))}]"
    if item_of is None or key_type != item_of.key_type:
        return "todo", None, ""
    if op.http_method == "GET" and op.returns == item_of.model:
        return "get", item_of, ""
    if op.http_method == "DELETE" and op.returns == "None":
        return "delete", item_of, ""
    body = op.body
    patches = op.http_method == "PATCH" and op.returns == item_of.model and body and body.required
    if patches and body and body.kind == "json" and _merges_into(models.get(body.annotation), models[item_of.model]):
        return "update", item_of, ""
    return "todo", None, ""


def _list_field(page: TypedDictModel | None, item: str) -> str:
    """The page's one required field holding a list of the items, if the page needs nothing else."""
    if page is None or [f.annotation for f in page.fields if f.required] != [f"list[{item}]"]:
        return ""
    return next(f.wire_name for f in page.fields if f.required)


def _merges_into(changes: TypedDictModel | None, stored: TypedDictModel) -> bool:
    """Whether ``{**stored, **changes}`` type-checks as the stored model: every change is a field of it, typed
    the same."""
    if changes is None:
        return False
    fields = {f.wire_name: f.annotation for f in stored.fields}
    return all(fields.get(f.wire_name) == f.annotation for f in changes.fields)


def _path_params(op: Operation) -> list[Parameter]:
    """In the order of the path: an item's key is its collection's parameters, then its own."""
    params = [p for p in op.parameters if p.location == "path"]
    return sorted(params, key=lambda p: op.path.find("{" + p.wire_name + "}"))


__all__ = ["Plan", "Resource", "plan", "scaffold", "write_once"]
