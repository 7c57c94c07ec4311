"""Reading a spec: parse it (``yamlsource``), find its parts (``walk``), resolve and bundle its references
(``refs``), read 3.0 as 3.1 (``normalise``), check its sample values (``checks``), prepare the schemas a
server embeds (``embed``); ``document`` ties them into ``load``, which returns a ``Spec`` the targets trust.
"""

from codegen.spec.document import Spec, load, read, validate

__all__ = ["Spec", "load", "read", "validate"]
