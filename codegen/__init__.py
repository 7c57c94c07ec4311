"""Spec-first code generator: one OpenAPI document in, a typed client and a validating ASGI server out."""
