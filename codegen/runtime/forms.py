# Runtime of every generated server: copied verbatim by codegen.server (line 1 becomes the @generated header).
"""Form and multipart bodies: each field read as the spec's encoding says (coerced text, JSON, deepObject keys,
a file), assembled into the object the body's schema validates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import parse_qsl

import orjson

from .deep import DeepValue, scalar, split_key
from .errors import BadRequest
from .operation import FormField
from .validation import prepared

#: Form fields (and multipart parts) read per body at most.
MAX_FORM_FIELDS: Final = 1000
#: How deep a JSON-valued field may nest.
MAX_FIELD_DEPTH: Final = 32
NOUN: Final = "body property"


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file part of a multipart body, as the handler receives it."""

    filename: str | None
    content_type: str | None
    data: bytes


class FormBody:
    """Collects the fields of one form (or multipart) body, then hands back the object they make."""

    def __init__(self, fields: Iterable[FormField]) -> None:
        self._fields = {field.name: field for field in fields}
        self._form: dict[str, Any] = {}
        self._deep: dict[str, DeepValue] = {}

    def add(self, name: str, text: str) -> None:
        """A field that arrived as text."""
        field = self._fields.get(name)
        if field is None:
            split = split_key(name)
            base = self._fields.get(split[0]) if split is not None else None
            if split is not None and base is not None and base.reading == "deep":
                self._deep_value(base).put(split[1], text)
                return
            self._put(name, text, is_array=False)
        elif field.reading == "deep":
            self._deep_value(field).put([], text)
        elif field.reading == "json":
            self._put(name, _json(text, name), field.is_array)
        else:
            shape = (field.shape.items or field.shape) if field.is_array else field.shape
            self._put(name, scalar(shape, text, name, NOUN), field.is_array)

    def add_part(self, name: str, part: UploadedFile) -> None:
        """A multipart part: a file where the spec says so, else text (an undeclared part with a filename stays
        a file: validation decides whether it may be there)."""
        field = self._fields.get(name)
        if field is not None and field.reading == "file":
            self._put(name, part, field.is_array)
            return
        try:
            text = part.data.decode("utf-8")
        except UnicodeDecodeError:
            if field is None and part.filename is not None:
                self._put(name, part, is_array=False)
                return
            raise BadRequest(f"The {NOUN} '{name}' is not valid UTF-8 text.", target=name) from None
        if field is None and part.filename is not None:
            self._put(name, part, is_array=False)
            return
        self.add(name, text)

    def value(self) -> dict[str, Any]:
        for name, deep in self._deep.items():
            self._put(name, deep.value(), is_array=False)
        return self._form

    def _deep_value(self, field: FormField) -> DeepValue:
        found = self._deep.get(field.name)
        if found is None:
            found = self._deep[field.name] = DeepValue(field.name, field.shape, NOUN)
        return found

    def _put(self, name: str, value: Any, is_array: bool) -> None:
        if is_array:
            self._form.setdefault(name, []).append(value)
        elif name in self._form:
            raise BadRequest(f"The {NOUN} '{name}' is given more than once.", target=name)
        else:
            self._form[name] = value


def decode_form(fields: Iterable[FormField], text: str) -> dict[str, Any]:
    """An ``application/x-www-form-urlencoded`` body as the object its schema describes."""
    try:
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict",
                          max_num_fields=MAX_FORM_FIELDS)  # fmt: skip
    except UnicodeDecodeError:
        raise BadRequest("The form is not valid UTF-8 once percent-decoded.") from None
    except ValueError:
        raise BadRequest(f"The form has more than {MAX_FORM_FIELDS} fields.") from None
    body = FormBody(fields)
    for name, value in pairs:
        body.add(name, value)
    return body.value()


def without_files(value: Any) -> Any:
    """What the body's schema validates: each file stands in as its bytes read one character per byte
    (latin-1), so ``minLength``, ``maxLength``, ``pattern`` and ``enum`` on a binary string count its bytes."""
    if isinstance(value, UploadedFile):
        return value.data.decode("latin-1")
    if isinstance(value, dict):
        return {key: without_files(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_files(item) for item in value]
    return value


def _json(text: str, name: str) -> Any:
    try:
        return prepared(orjson.loads(text), MAX_FIELD_DEPTH, f"The {NOUN} '{name}'")
    except orjson.JSONDecodeError:
        raise BadRequest(f"The {NOUN} '{name}' is not valid JSON.", target=name) from None
