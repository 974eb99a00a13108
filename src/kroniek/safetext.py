"""Text and JSON from outside made safe to carry: lone surrogates, NUL bytes, nesting, internal errors.

A Python string can hold what UTF-8 cannot encode: a lone surrogate (``"\\ud800"`` escaped in JSON). Every string
that enters from outside (a JSON Lines record, an API body, metadata, ``analyse_text``) passes :func:`scrub`, which
puts U+FFFD in its place and removes NUL characters, so no later stage fails on encoding it. Metadata keeps only
scalar values (:func:`scrub_metadata`): a nested value is no title or date, and printing one could recurse.
"""
from __future__ import annotations

import json
import os
import re
from typing import Any, Mapping

from .records import Rejected

__all__ = ["scrub", "scrub_metadata", "loads_json", "internal_reject", "JSONTooDeep"]

_LONE_SURROGATES = re.compile("[\ud800-\udfff]")


class JSONTooDeep(ValueError):
    pass


def scrub(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD and NUL characters removed."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _LONE_SURROGATES.sub("\ufffd", text)
    return text


def scrub_metadata(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """String keys with scalar values (strings scrubbed); nested values and odd keys are dropped. None is kept: it
    says a value is known to be unknown (a page date refused as later than its fetch), which the page's own
    date must not then fill in."""
    out: dict[str, Any] = {}
    for key, value in metadata.items():
        if not isinstance(key, str):
            continue
        if isinstance(value, str):
            out[scrub(key)] = scrub(value)
        elif value is None or isinstance(value, (int, float, bool)) or hasattr(value, "isoformat"):
            out[scrub(key)] = value
    return out


def loads_json(data: bytes | str) -> Any:
    """json.loads, but JSON nested too deep for the parser raises JSONTooDeep, never RecursionError (the C parser
    counts its depth against the interpreter's recursion limit, ~1,000 levels)."""
    try:
        return json.loads(data)
    except RecursionError:
        raise JSONTooDeep("JSON nested too deep (about 1,000 levels or more)") from None


def internal_reject(origin: str, exc: BaseException, doing: str) -> Rejected:
    """A K120 rejection for an error Kroniek did not expect (a bug): named, with a request to report it.

    With KRONIEK_DEBUG set the error is raised instead, so the traceback shows where."""
    if os.environ.get("KRONIEK_DEBUG"):
        raise exc
    message = scrub(str(exc))[:120]
    return Rejected(origin, "K120", f"internal error while {doing} ({exc.__class__.__name__}: {message}); this is "
                                    "a bug in Kroniek: please report it with this line (KRONIEK_DEBUG=1 shows where)")
