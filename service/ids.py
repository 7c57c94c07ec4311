"""Random ids for statuses created without one: version-4 UUIDs, as Graph's, from the OS's random source.

``uuid.uuid4()`` asks the OS for 16 bytes per id, a system call that also releases the GIL, handing the
interpreter to the writer thread on every create; 4 KiB at a time makes that one call per 256 ids.
"""

from __future__ import annotations

import os
import threading

_IDS_PER_READ = 256
_VARIANT = "89ab89ab89ab89ab"  # RFC 4122's variant: the top two bits of the 17th hex digit are 10


class RandomIds:
    """Callable: a new version-4 UUID string per call, lowercase as ``str(uuid.uuid4())`` (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hex = ""
        self._at = 0

    def __call__(self) -> str:
        with self._lock:
            if self._at == len(self._hex):
                self._hex, self._at = os.urandom(16 * _IDS_PER_READ).hex(), 0
            h = self._hex[self._at : self._at + 32]
            self._at += 32
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[int(h[16], 16)]}{h[17:20]}-{h[20:]}"
