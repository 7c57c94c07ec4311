# Runtime of every generated server: copied verbatim by codegen.server (line 1 becomes the @generated header).
"""The generated server's engine, the same for every spec: ``operations.py`` beside it holds what is specific.

A plain ASGI 3 application with no web framework: orjson parses and writes JSON, jsonschema-rs validates.
Modules, in the order a request meets them: ``asgi`` (the scope), ``routing``, ``security``, ``parameters``,
``bodies``, ``validation``, ``errors``; ``operation`` describes an operation; ``app`` ties them together.
"""
