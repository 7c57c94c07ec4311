# Runtime of every generated server: copied verbatim by codegen.server (line 1 becomes the @generated header).
"""Text (from a query, a header, a form field) read as the JSON value a schema's type describes."""

from __future__ import annotations

import math
import re
from typing import Any, Final

from .operation import Coercion

_INTEGER: Final = re.compile(r"^[+-]?[0-9]{1,40}$")
_NUMBER: Final = re.compile(r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
#: What read_text returns for text that is not of the type (None is a value: JSON's null).
NOT_READ: Final = object()
EXPECTED: Final = {"integer": "an integer", "number": "a number", "boolean": "true or false", "json": "JSON",
                   "string": "a string"}  # fmt: skip


def read_text(coercion: Coercion, text: str) -> Any:
    """``text`` as a value of the type, or NOT_READ (JSON is decoded by the caller, with its depth bound)."""
    if coercion == "string":
        return text
    if coercion == "integer" and _INTEGER.match(text):
        return int(text)
    if coercion == "number" and _NUMBER.match(text):
        if _INTEGER.match(text):
            return int(text)  # exact: a float would round it past 2**53, and a number may be an integer
        value = float(text)
        return value if math.isfinite(value) else NOT_READ  # 1e999: JSON has no infinity
    if coercion == "boolean" and text in ("true", "false"):
        return text == "true"
    return NOT_READ


def expected(coercions: tuple[Coercion, ...]) -> str:
    """What a message says was expected: ``an integer or a string``."""
    return " or ".join(EXPECTED[c] for c in coercions)
