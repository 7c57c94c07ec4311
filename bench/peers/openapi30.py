"""OpenAPI 3.1 -> 3.0, for peers that read only 3.0 (connexion 3).

It renders the 3.1 constructs our spec uses (``type: [X, 'null']``, ``const``, schema ``examples``, numeric
``exclusiveMinimum``, ``$ref`` with siblings, ``info.summary``, ``info.license.identifier``) and refuses, with a
ValueError naming the JSON pointer, any schema keyword 3.0 has no rendition for, rather than drop its meaning.
"""

from __future__ import annotations

from typing import Any

#: Schema keywords 3.0 has, taken over as they are (their values hold no subschema).
_PLAIN = frozenset(
    {
        *("title", "description", "format", "default", "example", "deprecated", "externalDocs", "xml"),
        *("multipleOf", "maximum", "minimum", "maxLength", "minLength", "pattern", "enum", "nullable"),
        *("maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties", "required"),
        *("discriminator", "readOnly", "writeOnly"),
    }
)
_LISTS = ("allOf", "anyOf", "oneOf")
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: Pure annotations with no 3.0 keyword: dropping them changes no validation.
_DROPPED = frozenset(("$comment", "$schema"))


def downgrade(document: dict[str, Any]) -> dict[str, Any]:
    """A 3.0.3 rendition of a 3.1 document; the input is left as it was."""
    if not str(document.get("openapi", "")).startswith("3.1"):
        raise ValueError(f"/openapi: expected a 3.1 document, got {document.get('openapi')!r}")
    for key in ("webhooks", "jsonSchemaDialect"):
        if key in document:
            raise ValueError(f"/{key}: no 3.0 rendition")
    out = dict(document)
    out["openapi"] = "3.0.3"
    info = {k: v for k, v in document["info"].items() if k != "summary"}
    if "license" in info:
        info["license"] = {k: v for k, v in info["license"].items() if k != "identifier"}
    out["info"] = info
    out["paths"] = {
        path: _path_item(item, f"/paths/{_escape(path)}") for path, item in document.get("paths", {}).items()
    }
    if "components" in document:
        out["components"] = _components(document["components"], "/components")
    return out


def _components(components: dict[str, Any], at: str) -> dict[str, Any]:
    if "pathItems" in components:
        raise ValueError(f"{at}/pathItems: no 3.0 rendition")
    out = dict(components)
    one = {
        "schemas": schema,
        "parameters": _parameter,
        "headers": _parameter,
        "requestBodies": _with_content,
        "responses": _response,
    }
    for key, convert in one.items():
        if key in components:
            out[key] = {name: convert(value, f"{at}/{key}/{_escape(name)}") for name, value in components[key].items()}
    for name, scheme in components.get("securitySchemes", {}).items():
        if scheme.get("type") == "mutualTLS":
            raise ValueError(f"{at}/securitySchemes/{_escape(name)}: mutualTLS has no 3.0 rendition")
    return out


def _path_item(item: dict[str, Any], at: str) -> dict[str, Any]:
    out = dict(item)
    if "parameters" in item:
        out["parameters"] = [_parameter(p, f"{at}/parameters/{i}") for i, p in enumerate(item["parameters"])]
    for method in _METHODS:
        if method in item:
            out[method] = _operation(item[method], f"{at}/{method}")
    return out


def _operation(operation: dict[str, Any], at: str) -> dict[str, Any]:
    out = dict(operation)
    if "parameters" in operation:
        out["parameters"] = [_parameter(p, f"{at}/parameters/{i}") for i, p in enumerate(operation["parameters"])]
    if "requestBody" in operation:
        out["requestBody"] = _with_content(operation["requestBody"], f"{at}/requestBody")
    if "responses" in operation:
        out["responses"] = {code: _response(r, f"{at}/responses/{code}") for code, r in operation["responses"].items()}
    if "callbacks" in operation:
        out["callbacks"] = {
            name: {
                expr: _path_item(item, f"{at}/callbacks/{_escape(name)}/{_escape(expr)}") for expr, item in cb.items()
            }
            for name, cb in operation["callbacks"].items()
        }
    return out


def _parameter(parameter: dict[str, Any], at: str) -> dict[str, Any]:
    """A parameter or a header: a schema, or content."""
    out = _with_content(parameter, at)
    if "schema" in parameter and "$ref" not in parameter:
        out["schema"] = schema(parameter["schema"], f"{at}/schema")
    return out


def _response(response: dict[str, Any], at: str) -> dict[str, Any]:
    out = _with_content(response, at)
    if "headers" in response:
        out["headers"] = {
            name: _parameter(h, f"{at}/headers/{_escape(name)}") for name, h in response["headers"].items()
        }
    return out


def _with_content(holder: dict[str, Any], at: str) -> dict[str, Any]:
    out = dict(holder)
    if "$ref" not in holder and "content" in holder:
        out["content"] = {}
        for media, body in holder["content"].items():
            here = f"{at}/content/{_escape(media)}"
            converted = dict(body)
            if "schema" in body:
                converted["schema"] = schema(body["schema"], f"{here}/schema")
            if "encoding" in body:
                converted["encoding"] = {
                    name: _encoding(encoding, f"{here}/encoding/{_escape(name)}")
                    for name, encoding in body["encoding"].items()
                }
            out["content"][media] = converted
    return out


def _encoding(encoding: dict[str, Any], at: str) -> dict[str, Any]:
    out = dict(encoding)
    if "headers" in encoding:
        out["headers"] = {h: _parameter(v, f"{at}/headers/{_escape(h)}") for h, v in encoding["headers"].items()}
    return out


def schema(node: Any, at: str) -> dict[str, Any]:
    """One schema, 2020-12 -> OpenAPI 3.0's subset (recursively)."""
    if node is True:
        return {}
    if node is False:
        return {"not": {}}
    if "$ref" in node:
        rest = {k: v for k, v in node.items() if k != "$ref"}
        if not rest:
            return {"$ref": node["$ref"]}
        return {"allOf": [{"$ref": node["$ref"]}], **schema(rest, at)}  # 3.0 ignores a $ref's siblings
    out: dict[str, Any] = {}
    for key, value in node.items():
        here = f"{at}/{_escape(key)}"
        if key in _PLAIN or key.startswith("x-"):
            out.setdefault(key, value)
        elif key == "type":
            _type(value, out, here)
        elif key == "const":
            if "enum" in node:
                raise ValueError(f"{here}: const beside enum")
            out["enum"] = [value]
        elif key == "examples":
            if value and "example" not in node:
                out["example"] = value[0]
        elif key in ("exclusiveMinimum", "exclusiveMaximum"):
            bound = "minimum" if key == "exclusiveMinimum" else "maximum"
            if isinstance(value, bool) or bound in node:
                raise ValueError(f"{here}: {key} beside {bound} (or boolean) in a 3.1 schema")
            out[bound], out[key] = value, True
        elif key == "properties":
            out[key] = {name: schema(sub, f"{here}/{_escape(name)}") for name, sub in value.items()}
        elif key in ("items", "not") or (key == "additionalProperties" and not isinstance(value, bool)):
            if isinstance(value, list):
                raise ValueError(f"{here}: a list of schemas has no 3.0 rendition")
            out[key] = schema(value, here)
        elif key == "additionalProperties":
            out[key] = value
        elif key in _LISTS:
            out[key] = [schema(sub, f"{here}/{i}") for i, sub in enumerate(value)]
        elif key not in _DROPPED:
            raise ValueError(f"{here}: no 3.0 rendition of {key!r}")
    return out


def _type(value: Any, out: dict[str, Any], at: str) -> None:
    types = [value] if isinstance(value, str) else list(value)
    kept = [t for t in types if t != "null"]
    if len(kept) != 1:
        raise ValueError(f"{at}: type {value!r} has no 3.0 rendition (3.0 has one type, optionally nullable)")
    out["type"] = kept[0]
    if len(kept) < len(types):
        out["nullable"] = True


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")
