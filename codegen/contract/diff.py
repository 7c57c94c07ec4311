"""Compare two versions of a contract and classify every difference by what it does to existing clients.

Direction matters: a request schema may widen freely (clients keep sending what they sent), but narrowing
it breaks them; a response schema may narrow, but widening it (a new enum value, a new type, a property
that may now be missing) breaks clients that decode strictly. Documents are compared in their 3.1 reading
(``Spec.document``) with references followed, so moving a schema into ``components`` is not a change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from codegen.contract.changes import BREAKING, COMPATIBLE, Report, Severity
from codegen.contract.schemas import Direction, SchemaComparison
from codegen.spec import refs
from codegen.spec.walk import OperationSite, operations, security_of

_PARAM = re.compile(r"\{[^}/]+\}")


def compare(old: dict[str, Any], new: dict[str, Any]) -> Report:
    report = Report()
    old_ops, new_ops = dict(_operations(old)), dict(_operations(new))
    briefs = _briefs({**old_ops, **new_ops})
    for key in sorted(old_ops.keys() - new_ops.keys()):
        site = old_ops[key]
        report.add(BREAKING, _label(key, site), "operation removed", briefs[key], endpoint=_endpoint(key, site))
    for key in sorted(new_ops.keys() - old_ops.keys()):
        site = new_ops[key]
        report.add(COMPATIBLE, _label(key, site), "operation added", briefs[key], endpoint=_endpoint(key, site))
    for key in sorted(old_ops.keys() & new_ops.keys()):
        site = new_ops[key]
        _Operation(report, old, new, _label(key, site), briefs[key], _endpoint(key, site)).compare(old_ops[key], site)
    return report


def _operations(doc: dict[str, Any]) -> Iterator[tuple[tuple[str, str], OperationSite]]:
    """((METHOD, path with parameters blanked), site): renaming a path parameter is no change."""
    for site in operations(doc):
        yield (site.method.upper(), _PARAM.sub("{}", site.path)), site


def _endpoint(key: tuple[str, str], site: OperationSite) -> str:
    return f"{key[0]} {site.path}"


def _label(key: tuple[str, str], site: OperationSite) -> str:
    operation_id = site.operation.get("operationId")
    return _endpoint(key, site) + (f" ({operation_id})" if operation_id else "")


def _briefs(sites: dict[tuple[str, str], OperationSite]) -> dict[tuple[str, str], str]:
    """Each operation named briefly: the fewest last dot-separated parts of its operationId that no other
    operation's share (``ListUserStatuses`` for ``deviceAppManagement.mobileAppConfigurations.ListUserStatuses``);
    ``METHOD /path`` for one without an operationId."""
    ids = {key: str(site.operation["operationId"]).split(".") for key, site in sites.items()
           if site.operation.get("operationId")}  # fmt: skip
    briefs = {key: _endpoint(key, site) for key, site in sites.items()}
    for key, parts in ids.items():
        others = [other for other_key, other in ids.items() if other_key != key]
        count = next((n for n in range(1, len(parts)) if all(o[-n:] != parts[-n:] for o in others)), len(parts))
        briefs[key] = ".".join(parts[-count:])
    return briefs


class _Operation:
    """Compares one operation's two versions; every finding is reported under its label."""

    def __init__(
        self, report: Report, old: dict[str, Any], new: dict[str, Any], where: str, brief: str, endpoint: str
    ) -> None:
        self.report, self.old, self.new, self.where, self.brief, self.endpoint = (
            report,
            old,
            new,
            where,
            brief,
            endpoint,
        )

    def add(self, severity: Severity, message: str, schema: str | None = None, detail: str = "") -> None:
        self.report.add(severity, self.where, message, self.brief, schema, detail, self.endpoint)

    def schemas(self, direction: Direction) -> SchemaComparison:
        return SchemaComparison(self.add, self.old, self.new, direction)

    def compare(self, old: OperationSite, new: OperationSite) -> None:
        self._parameters(_parameters(self.old, old), _parameters(self.new, new))
        self._body(old.operation.get("requestBody"), new.operation.get("requestBody"))
        self._responses(old.operation.get("responses", {}), new.operation.get("responses", {}))
        self._security(_security(self.old, old), _security(self.new, new))

    def _parameters(self, old: dict[tuple[str, str], Any], new: dict[tuple[str, str], Any]) -> None:
        def name(param: Any) -> str:
            return f"{param['in']} parameter '{param['name']}'"

        for key in sorted(old.keys() - new.keys()):
            self.add(BREAKING, f"{name(old[key])} removed")
        for key in sorted(new.keys() - old.keys()):
            if new[key].get("required"):
                self.add(BREAKING, f"required {name(new[key])} added")
            else:
                self.add(COMPATIBLE, f"optional {name(new[key])} added")
        for key in sorted(old.keys() & new.keys()):
            if not old[key].get("required") and new[key].get("required"):
                self.add(BREAKING, f"{name(new[key])} became required")
            elif old[key].get("required") and not new[key].get("required"):
                self.add(COMPATIBLE, f"{name(new[key])} became optional")
            self.schemas("request").compare(old[key].get("schema", {}), new[key].get("schema", {}), name(new[key]), 0)

    def _body(self, old: Any, new: Any) -> None:
        old, new = refs.deref(self.old, old) or {}, refs.deref(self.new, new) or {}
        if not old and not new:
            return
        if not old:
            if new.get("required"):
                self.add(BREAKING, "required request body added")
            else:
                self.add(COMPATIBLE, "optional request body added")
        elif not new:
            self.add(BREAKING, "request body removed")
            return
        elif new.get("required") and not old.get("required"):
            self.add(BREAKING, "request body became required")
        old_media, new_media = old.get("content", {}), new.get("content", {})
        for media in sorted(old_media.keys() - new_media.keys()):
            self.add(BREAKING, f"request media type '{media}' removed")
        for media in sorted(new_media.keys() - old_media.keys()):
            self.add(COMPATIBLE, f"request media type '{media}' added")
        for media in sorted(old_media.keys() & new_media.keys()):
            self.schemas("request").compare(
                old_media[media].get("schema", {}), new_media[media].get("schema", {}), "request body", 0
            )

    def _responses(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        # A success response removed or added changes what clients get back; an error response does not.
        for status in sorted(old.keys() - new.keys()):
            self.add(BREAKING if status.startswith("2") else COMPATIBLE, f"response {status} removed")
        for status in sorted(new.keys() - old.keys()):
            self.add(BREAKING if status.startswith("2") else COMPATIBLE, f"response {status} added")
        for status in sorted(old.keys() & new.keys()):
            old_content = (refs.deref(self.old, old[status]) or {}).get("content", {})
            new_content = (refs.deref(self.new, new[status]) or {}).get("content", {})
            for media in sorted(old_content.keys() - new_content.keys()):
                self.add(BREAKING, f"response {status} media type '{media}' removed")
            for media in sorted(old_content.keys() & new_content.keys()):
                self.schemas("response").compare(
                    old_content[media].get("schema", {}), new_content[media].get("schema", {}), f"response {status}", 0
                )

    def _security(self, old: list[dict[str, set[str]]], new: list[dict[str, set[str]]]) -> None:
        """Tightened when a client that met one old alternative meets no new one."""

        def met_by(alternative: dict[str, set[str]], held: dict[str, set[str]]) -> bool:
            return all(name in held and scopes <= held[name] for name, scopes in alternative.items())

        if not new or any(not alternative for alternative in new):
            if old and all(alternative for alternative in old):
                self.add(COMPATIBLE, "security relaxed: authentication no longer required")
            return
        for held in old:
            if not any(met_by(alternative, held) for alternative in new):
                shown = " + ".join(f"{n} [{', '.join(sorted(s))}]" for n, s in sorted(held.items())) or "anonymous"
                self.add(BREAKING, f"security tightened: clients with {shown} are no longer allowed")
        for held in new:
            if not any(met_by(alternative, held) for alternative in old):
                self.add(COMPATIBLE, "security: a new way to be authorised was added")


def _parameters(doc: dict[str, Any], site: OperationSite) -> dict[tuple[str, str], Any]:
    """Parameters by (location, name); path parameters by their position, header names case-blind."""
    positions = {name[1:-1]: i for i, name in enumerate(_PARAM.findall(site.path))}
    merged: dict[tuple[str, str], Any] = {}
    for _, param in refs.operation_parameters(doc, site):
        name, location = param["name"], param["in"]
        if location == "path":
            name = f"#{positions.get(name, name)}"
        elif location == "header":
            name = name.lower()
        merged[(location, name)] = param
    return merged


def _security(doc: dict[str, Any], site: OperationSite) -> list[dict[str, set[str]]]:
    return [{name: set(scopes) for name, scopes in req.items()} for req in security_of(doc, site.operation)]
