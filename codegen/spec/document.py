"""Load a spec and make sure it is one the generator can trust: parsed, valid, every reference resolved.

Problems are collected and reported together, grouped by kind, each with its JSON pointer and line, so
one run of ``make gen`` shows everything to fix. Nothing is generated from a spec that fails here. Example and default
values that do not fit their schema are warnings (published documents are full of them, and they change no
generated code) unless ``strict``; enum and const values that do not fit are always errors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

from codegen.errors import Problem, SpecError
from codegen.pointer import Pointer
from codegen.spec import refs
from codegen.spec.drift import drifted_updates
from codegen.spec.normalise import moved, to_31
from codegen.spec.walk import walk
from codegen.spec.yamlsource import Source, parse

#: Larger spec files are refused before parsing: a contract is kilobytes, not a denial of service.
MAX_SPEC_BYTES = 20 * 1024 * 1024
_VERSION = re.compile(r"^3\.(0|1)\.\d+$")


@dataclass(frozen=True)
class Spec:
    """A validated spec: ``document`` is normalised to 3.1; ``raw`` is exactly what was written."""

    path: Path
    version: str
    raw: dict[str, Any]
    document: dict[str, Any]
    source: Source
    #: Problems that do not stop generation: example and default values that do not fit their schemas.
    warnings: tuple[Problem, ...] = ()
    #: Problems that do: nothing is generated from a spec that has any (``load`` raises them).
    errors: tuple[Problem, ...] = ()


def read(path: Path) -> tuple[bytes, Source]:
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SpecError([Problem("", f"cannot read the spec: {exc.strerror or exc}", str(path))]) from None
    if len(data) > MAX_SPEC_BYTES:
        raise SpecError([Problem("", f"spec is larger than {MAX_SPEC_BYTES} bytes", name)])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError([Problem("", f"spec is not UTF-8 (byte {exc.start})", name)]) from None
    return data, parse(text, name)


def load(path: Path, strict: bool = False) -> Spec:
    spec = validate(path, *read(path), strict=strict)
    if spec.errors:
        raise SpecError(list(spec.errors))
    return spec


def validate(path: Path, data: bytes, source: Source, strict: bool = False) -> Spec:
    """Check a parsed spec (see ``read``): every problem found is in ``errors`` (with ``strict``, mismatched
    examples and defaults too), so that one run reports them all. SpecError only when the document is not
    an OpenAPI 3.0/3.1 object at all."""
    doc = source.data
    if not isinstance(doc, dict):
        raise SpecError([source.problem((), "the document must be a mapping (an OpenAPI object)")])
    version = doc.get("openapi")
    if not isinstance(version, str) or not _VERSION.match(version):
        raise SpecError([_unsupported(doc, version, source)])

    findings = walk(doc)
    errors = [source.problem(where, message, "reference") for where, message in refs.check(doc, findings.refs)]
    if not errors:  # openapi-spec-validator cannot read a document whose references do not resolve
        errors = [source.problem(where, message, "structure") for where, message in _shape_problems(doc, version)]
    wrapped: set[Pointer] = set()
    try:
        document = to_31(doc, wrapped) if version.startswith("3.0") else doc
    except (TypeError, AttributeError, LookupError):
        if not errors:
            raise
        return Spec(path, version, doc, doc, source, errors=_ordered(errors))  # too broken to read as 3.1
    from codegen.spec.checks import check_samples  # jsonschema is slow to import: only once the cheap checks pass

    # Values are read where they are written; schemas where the 3.1 reading put them.
    samples = [replace(s, schema=moved(s.schema, wrapped)) for s in findings.samples] if wrapped else findings.samples
    kinds = {sample.value: sample.kind for sample in samples}
    warnings: list[Problem] = []
    for where, message in check_samples(document, samples, written=doc):
        kind = kinds.get(where)
        # A wrong enum or const value changes what the server accepts: always an error. An example or a
        # default does not: a warning, unless strict.
        if kind in ("enum", "const"):
            errors.append(source.problem(where, message, "enum and const values that do not fit their schemas"))
        else:
            (errors if strict else warnings).append(
                source.problem(where, message, "example and default values that do not fit their schemas")
            )
    unreachable = [source.problem(where, text, "paths that requests cannot reach") for where, text in _unreachable(doc)]
    (errors if strict else warnings).extend(unreachable)
    if strict:  # a house rule for a contract like ours: published APIs differ on purpose (Discord: 140 times)
        errors += [source.problem(where, text, "update bodies that differ from their resource")
                   for where, text in drifted_updates(doc)]  # fmt: skip
    return Spec(path, version, doc, document, source, _ordered(warnings), _ordered(errors))


def _unreachable(doc: dict[str, Any]) -> list[tuple[Pointer, str]]:
    """Path templates holding ``#`` or ``?``: clients never send a fragment, and a query is not a path, so
    such an operation is only reachable with the character percent-encoded (Box documents variants of one
    operation as ``/files/{file_id}#get_shared_link``)."""
    paths = doc.get("paths")
    return [
        (("paths", key), f"the path contains {char!r}, which HTTP clients never send as part of a path: "
         f"requests reach this operation only with {char!r} percent-encoded")
        for key in (paths if isinstance(paths, dict) else {})
        for char in "#?"
        if isinstance(key, str) and char in key
    ]  # fmt: skip


def _ordered(problems: list[Problem]) -> tuple[Problem, ...]:
    return tuple(sorted(problems, key=lambda p: (p.line or 0, p.pointer)))


def _unsupported(doc: dict[str, Any], version: Any, source: Source) -> Problem:
    """Why a document's version cannot be read: Swagger 2.0 is named, with a converter to OpenAPI 3."""
    if "openapi" not in doc and "swagger" in doc:
        converter = "convert it first, e.g. `npx swagger2openapi swagger.json -o openapi.yaml`"
        kind = f"a Swagger {json.dumps(doc['swagger'])} document (OpenAPI 2.0), not OpenAPI 3"
        return source.problem(("swagger",), f"this is {kind}: {converter}")
    if "openapi" not in doc:
        return source.problem(
            (), "the document has no `openapi` field: an OpenAPI 3.0.x or 3.1.x document starts with one"
        )
    return source.problem(("openapi",), f"unsupported OpenAPI version {json.dumps(version)}: use 3.0.x or 3.1.x")


def _shape_problems(doc: dict[str, Any], version: str) -> list[tuple[Any, str]]:
    """What openapi-spec-validator finds wrong with the document's structure."""
    problems: list[tuple[Any, str]] = []
    try:
        for error in _shape_validator(version)(doc).iter_errors():
            path = refs.landing(doc, tuple(str(p) for p in getattr(error, "absolute_path", ())))
            message = str(getattr(error, "message", error)).split("\n", 1)[0]
            if not path:
                path, message = _operation_problem(message)
            if (path, message[:500]) not in problems:  # a schema reached by two references is one problem
                problems.append((path, message[:500]))
    except Exception as exc:  # the validator's own failure is reported, not crashed on
        problems.append(((), f"openapi-spec-validator failed: {type(exc).__name__}: {str(exc)[:300]}"))
    return problems


#: openapi-spec-validator's operation checks name the place only in their message.
_UNRESOLVED: Final = re.compile(r"Path parameter '(.+)' for '(\w+)' operation in '(.*)' was not resolved")
_DUPLICATE_ID: Final = re.compile(r"Operation ID '.*' for '(\w+)' in '(.*)' is not unique")


def _operation_problem(message: str) -> tuple[tuple[str, ...], str]:
    """Where an operation-level problem is, read from its message, and what it means in the spec's terms."""
    if unresolved := _UNRESOLVED.match(message):
        name, method, url = unresolved.groups()
        if "{" + name + "}" in url:
            return ("paths", url, method), f"path parameter '{name}' is in the path but not declared (in: path)"
        return ("paths", url, method), f"path parameter '{name}' is declared but the path has no {{{name}}}"
    if duplicate := _DUPLICATE_ID.match(message):
        return ("paths", duplicate.group(2), duplicate.group(1), "operationId"), message
    return (), message


def _shape_validator(version: str) -> Any:
    """openapi-spec-validator's validator without its check of default values, which names no location
    (``/: None is not of type 'string'``): codegen.spec.checks checks them, naming where each is written."""
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
    from openapi_spec_validator.validation.keywords import ValueValidator

    class Unchecked(ValueValidator):
        def __call__(self, schema: Any, value: Any) -> Iterator[Any]:
            return iter(())

    base = OpenAPIV30SpecValidator if version.startswith("3.0") else OpenAPIV31SpecValidator
    schema_base: Any = base.keyword_validators["schema"]

    class Located(schema_base):  # type: ignore[misc]
        """Its check of each schema against the metaschema names the place in the document, not ``/``."""

        def _validate_schema_meta(self, schema: Any, schema_value: Any) -> Any:
            error = super()._validate_schema_meta(schema, schema_value)
            if error is not None:
                error.path.extendleft(reversed(getattr(schema, "parts", ())))
            return error

    validators = {**base.keyword_validators, "default": Unchecked, "schema": Located}
    return type("ShapeValidator", (base,), {"keyword_validators": validators})
