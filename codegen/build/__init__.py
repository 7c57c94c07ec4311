"""Spec -> IR for the server target. Anything it cannot faithfully serve stops here, named by JSON pointer.

Refusing is better than generating a server that quietly disagrees with its spec: the error says what
is not supported and where, and nothing is written. Only an operation whose own parameters or body are the
problem may instead be left out, when not strict (``unserved``: routed and answered 501, with a warning).
One module per spec concept (``operations``, ``parameters``, ``bodies``, ``responses``, ``security``);
``Builder`` holds what they share.
"""

from codegen.build.api import build, default_base_path

__all__ = ["build", "default_base_path"]
