"""Freed memory handed back to the system after the server builds its index (serve/eventindex.py)."""
from __future__ import annotations

import ctypes
import ctypes.util
from typing import Any

import pyarrow as pa

__all__ = ["release_memory", "release_arrow_memory"]


def release_memory() -> None:
    """Give freed memory back to the system: Arrow's pool (mimalloc) and glibc keep what a build freed (columns as
    read and combined, records while they were compressed): ~100 MB on 100,000 events, and the peak of a build."""
    pa.default_memory_pool().release_unused()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def release_arrow_memory() -> None:
    """Give back what Arrow's pool kept of the blocks a big answer decompressed (~1 ms; mimalloc keeps freed pages:
    80 MB once every GeoJSON feature of 100,000 events had been asked for)."""
    pa.default_memory_pool().release_unused()


def _glibc() -> Any:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:   # not glibc (macOS, musl without the symbol): nothing to trim
        return None


_LIBC = _glibc()
