"""The pipeline's stages over a partition of documents: `kroniek.pipeline`'s own entry point, per document.

Lexicons, the gazetteer and the models are loaded on first use and kept by the Python worker process, which Spark
reuses for the next task (spark.python.worker.reuse, on by default): each executor loads them once.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from ..consolidate.near_duplicates import signature
from ..pipeline import _process_safely
from ..records import Rejected

__all__ = ["process_partition"]


def process_partition(items: Iterable, learned_roles: bool = False) -> Iterator[tuple]:
    """(order, RawDocument | Rejected) → ("reject", order, Rejected) or ("doc", order, article, reports, notices,
    MinHash signature)."""
    for order, raw in items:
        result = _process_safely(raw, learned_roles)
        if isinstance(result, Rejected):
            yield "reject", order, result
        else:
            yield "doc", order, result.article, result.events, result.notices, signature(result.article.text)
