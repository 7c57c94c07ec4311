"""Security: the schemes the server can enforce, and each operation's requirements (alternatives of scopes)."""

from __future__ import annotations

from codegen.build.builder import Builder
from codegen.ir import SecurityScheme
from codegen.spec import refs
from codegen.spec.walk import OperationSite, security_of

SUPPORTED_TYPES = ("oauth2", "openIdConnect", "http", "apiKey")
#: Alternatives; each maps scheme names to the scopes it needs.
Requirements = tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]


def security_schemes(builder: Builder) -> tuple[SecurityScheme, ...]:
    found = []
    schemes = builder.document.get("components", {}).get("securitySchemes", {})
    for name, scheme in sorted(schemes.items()):
        scheme = refs.deref(builder.document, scheme)
        kind = scheme.get("type", "")
        if kind not in SUPPORTED_TYPES:
            builder.problem(("components", "securitySchemes", name), f"security scheme type {kind!r} is not supported")
            continue
        found.append(
            SecurityScheme(
                name=name,
                type=kind,
                scheme=str(scheme.get("scheme", "")).lower(),
                location=str(scheme.get("in", "")),
                parameter_name=str(scheme.get("name", "")),
            )
        )
    return tuple(found)


def requirements(builder: Builder, site: OperationSite) -> Requirements:
    """The operation's security alternatives; each scheme it names must be declared."""
    alternatives = []
    for i, requirement in enumerate(security_of(builder.document, site.operation)):
        for scheme in requirement:
            if scheme not in builder.schemes:
                builder.problem((*site.pointer, "security", i, scheme), f"unknown security scheme {scheme!r}")
        alternatives.append(tuple(sorted((k, tuple(v)) for k, v in requirement.items())))
    return tuple(alternatives)


def query_credentials(builder: Builder, security: Requirements) -> tuple[str, ...]:
    """Query names that carry API keys: credentials, not undeclared query options."""
    names = set()
    for alternative in security:
        for name, _ in alternative:
            scheme = builder.schemes.get(name)
            if scheme is not None and scheme.type == "apiKey" and scheme.location == "query":
                names.add(scheme.parameter_name)
    return tuple(sorted(names))
