"""Metadata the user gives on the command line (`kroniek ingest --published/--language/--url/--title`) for documents
that carry none of their own.

A value fills a key the document lacks: a .txt file without that key in its NAME.meta.json, standard input, a JSON
Lines record without the key. An HTML file keeps what its page says (title, date, address: clean.py reads them
from the page when the metadata has none), so only ``language`` is filled there; HTML on standard input is the one
document the user describes, so it takes every value.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Iterable, Iterator, Mapping

from ..records import RawDocument, Rejected

__all__ = ["with_metadata_defaults", "PAGE_KEYS"]

PAGE_KEYS = ("published", "url", "title")   # what an HTML page names itself


def with_metadata_defaults(documents: Iterable[RawDocument | Rejected],
                           defaults: Mapping[str, Any]) -> Iterator[RawDocument | Rejected]:
    """The documents with ``defaults`` filled in where their own metadata has no value (see the module)."""
    defaults = {k: v for k, v in defaults.items() if v is not None}
    for item in documents:
        if isinstance(item, RawDocument) and defaults:
            html_file = item.media_type == "html" and item.origin != "-"
            missing = {k: v for k, v in defaults.items()
                       if item.metadata.get(k) is None and not (html_file and k in PAGE_KEYS)}
            if missing:
                item = dataclasses.replace(item, metadata={**item.metadata, **missing})
        yield item
