"""The client target: openapi-python-client, bent through its extension points to keep the server's contract."""

from codegen.client.run import ClientRun

__all__ = ["ClientRun"]
