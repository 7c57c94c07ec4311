"""``$ref`` handling: check every reference resolves, and bundle a schema into one self-contained literal.

Only references inside the document (``#/...``) are followed. A remote URL or another file is refused with
a message naming where the reference is written: fetching would make generation depend on the network,
and a path such as ``../../etc/passwd`` must never be read on behalf of an untrusted spec.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from codegen.pointer import Pointer, PointerError, parse_fragment, resolve
from codegen.spec.walk import OperationSite, subschemas

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DEF_NAME = re.compile(r"[^A-Za-z0-9._-]+")
#: The ``$defs`` entry holding the bundled schema itself when it needs definitions beside it.
ROOT = "__root__"


def target_of(ref: str) -> tuple[str, ...]:
    """The path a local reference points to; ValueError with a readable reason for any other reference."""
    if _URL.match(ref):
        raise ValueError(f"remote reference {ref!r} is not supported: put the definition in this document")
    if not ref.startswith("#"):
        raise ValueError(f"reference to another file {ref!r} is not supported: put the definition in this document")
    if ref in ("#", "#/"):
        raise ValueError(f"reference {ref!r} points at the whole document")
    try:
        return parse_fragment(ref[1:])
    except ValueError:
        raise ValueError(f"reference {ref!r} is not a JSON pointer (anchors are not supported)") from None


def check(document: dict[str, Any], refs: list[tuple[Pointer, str]]) -> list[tuple[Pointer, str]]:
    """Each reference that does not resolve, with the reason."""
    problems: list[tuple[Pointer, str]] = []
    for where, ref in refs:
        try:
            resolve(document, target_of(ref))
        except ValueError as exc:
            problems.append((where, str(exc)))
        except PointerError:
            problems.append((where, f"unresolvable reference {ref!r}: nothing is defined there"))
    return problems


def deref(document: dict[str, Any], node: Any) -> Any:
    """Follow a chain of reference objects (``{"$ref": ...}``) to what it finally names."""
    return located(document, node, ())[0]


def located(document: dict[str, Any], node: Any, path: Pointer, limit: int = 64) -> tuple[Any, Pointer]:
    """Like ``deref``, also returning the path where the final object is written."""
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        seen += 1
        if seen > limit:
            raise ValueError(f"reference chain longer than {limit} (a cycle?) at {node['$ref']!r}")
        path = target_of(node["$ref"])
        node = resolve(document, path)
    return node, path


def landing(document: dict[str, Any], path: Pointer) -> Pointer:
    """Where ``path`` really is when it passes through references (as validators' paths do): each
    ``$ref`` on the way is followed, so the result names the place that is written. Unresolvable: unchanged."""
    try:
        node, out = located(document, document, ())
        for token in path:
            node = node[int(token)] if isinstance(node, list) else node[token]
            node, out = located(document, node, (*out, token))
    except (ValueError, LookupError, TypeError):
        return path
    return out


def operation_parameters(document: dict[str, Any], site: OperationSite) -> list[tuple[Pointer, dict[str, Any]]]:
    """The operation's parameters, each with the place it is written: the path item's, then the operation's,
    which replaces one of the same name and location. Entries that are not parameters are skipped (an
    unvalidated document may have them; validation reports them)."""
    merged: dict[tuple[str, str], tuple[Pointer, dict[str, Any]]] = {}
    for base, params in ((("paths", site.path, "parameters"), site.item.get("parameters")),
                         ((*site.pointer, "parameters"), site.operation.get("parameters"))):  # fmt: skip
        for i, param in enumerate(params if isinstance(params, list) else []):
            try:
                param, where = located(document, param, (*base, i))
            except (ValueError, LookupError):
                continue
            if isinstance(param, dict) and isinstance(param.get("name"), str):
                merged[(param["name"], str(param.get("in")))] = (where, param)
    return list(merged.values())


def bundle(document: dict[str, Any], path: Pointer, drop: tuple[str, ...] = ()) -> Any:
    """The schema at ``path`` as one self-contained JSON Schema: referenced schemas go under ``$defs``.

    References are rewritten to ``#/$defs/<name>``, so recursive schemas stay finite. ``drop`` removes
    keywords from the top-level schema only (used to check an ``enum``'s values against the rest of it).
    """
    root = resolve(document, [str(t) for t in path])
    if not isinstance(root, dict):
        return copy.deepcopy(root)
    names: dict[tuple[str, ...], str] = {}
    defs: dict[str, Any] = {}
    pending: list[tuple[str, ...]] = []

    def name_for(target: tuple[str, ...]) -> str:
        if target not in names:
            if len(target) == 3 and target[:2] == ("components", "schemas"):
                wanted = _DEF_NAME.sub("_", target[2])
            else:
                wanted = _DEF_NAME.sub("_", "_".join(target)).strip("_") or "ref"
            name, n = wanted, 2
            while name in names.values() or name == ROOT:
                name, n = f"{wanted}_{n}", n + 1
            names[target] = name
            pending.append(target)
        return names[target]

    def rewrite(schema: Any) -> Any:
        if not isinstance(schema, dict):
            return copy.deepcopy(schema)
        out = dict(schema)
        if isinstance(schema.get("$ref"), str):
            out["$ref"] = "#/$defs/" + name_for(target_of(schema["$ref"]))
        for sub_path, sub in subschemas(schema, ()):
            assign(out, sub_path, rewrite(sub))
        return out

    top = {k: v for k, v in root.items() if k not in drop}
    result = rewrite(top)
    while pending:
        target = pending.pop()
        defs[names[target]] = rewrite(resolve(document, target))
    if defs and set(result) == {"$ref"}:
        result = {"$ref": result["$ref"], "$defs": defs}  # a bare reference needs no wrapper
    elif defs:
        result = {"$ref": f"#/$defs/{ROOT}", "$defs": {**defs, ROOT: result}}
    return result


def assign(container: dict[str, Any], path: Pointer, value: Any) -> None:
    """Set ``value`` at a one- or two-step ``path`` inside a shallow copy, copying the middle level."""
    key = path[0]
    if len(path) == 1:
        container[str(key)] = value
        return
    middle = container[str(key)]
    middle = list(middle) if isinstance(middle, list) else dict(middle)
    middle[path[1]] = value  # type: ignore[index]
    container[str(key)] = middle


__all__ = ["assign", "bundle", "check", "deref", "located", "operation_parameters", "target_of"]
