"""Check that every value written in the spec (examples, defaults, enum and const values) fits its schema.

openapi-spec-validator checks the document's shape, not whether ``enum: [1]`` suits ``type: string`` or
whether an example is valid. A wrong example misleads partners and a wrong enum value breaks the server,
so both stop generation, named by JSON pointer.
"""

from __future__ import annotations

from typing import Any

import jsonschema
from jsonschema.validators import Draft202012Validator

from codegen.pointer import Pointer, PointerError, resolve
from codegen.spec import refs
from codegen.spec.walk import Sample

FORMAT_CHECKER = jsonschema.FormatChecker()


@FORMAT_CHECKER.checks("int32")
def _int32(value: object) -> bool:
    return not isinstance(value, int) or isinstance(value, bool) or -(2**31) <= value < 2**31


@FORMAT_CHECKER.checks("int64")
def _int64(value: object) -> bool:
    return not isinstance(value, int) or isinstance(value, bool) or -(2**63) <= value < 2**63


def check_samples(
    document: dict[str, Any], samples: list[Sample], written: dict[str, Any] | None = None
) -> list[tuple[Pointer, str]]:
    """Each sample that its schema rejects, with the validator's reason. Schemas are read from ``document``
    (the 3.1 reading); sample values from ``written`` when given (the document as written, whose pointers
    name where a 3.0 ``example`` really is)."""
    values = document if written is None else written
    problems: list[tuple[Pointer, str]] = []
    validators: dict[tuple[Pointer, str], Draft202012Validator] = {}
    for sample in samples:
        # An enum or const is checked against the rest of its schema; examples against all of it.
        drop = (sample.kind, "default", "examples", "example") if sample.kind in ("enum", "const") else ()
        key = (sample.schema, ",".join(drop))
        if key not in validators:
            try:
                schema = refs.bundle(document, sample.schema, drop=drop)
            except (ValueError, PointerError):
                continue  # a schema that cannot be read is reported where it is checked (references, shape)
            validators[key] = Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
        try:
            value = refs.deref(values, resolve(values, [str(t) for t in sample.value]))
        except (ValueError, PointerError):
            continue  # an unresolvable reference is reported by the reference check
        if sample.in_example_object:
            if not isinstance(value, dict) or "value" not in value:
                continue  # externalValue, or no value: nothing to check here
            value = value["value"]
        error = jsonschema.exceptions.best_match(validators[key].iter_errors(value))
        if error is not None:
            where = "".join(f"/{p}" for p in error.absolute_path)
            at = f" at {where}" if where else ""
            problems.append((sample.value, f"{sample.kind} value is invalid for its schema{at}: {error.message}"))
    return problems
