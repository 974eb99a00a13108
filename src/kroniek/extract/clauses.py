"""Clauses: the stretch of a sentence a trigger's cues and arguments are looked for in."""
from __future__ import annotations

import re

from ..records import Span

__all__ = ["clause_bounds", "spans_within", "nearest"]

# Punctuation that separates clauses; a hyphen inside a word ("IS-strijders") does not.
_BREAK = re.compile(r"[,;:()]|\s[–—-]\s|[‘’\"“”](?=\s)|\?")


def clause_bounds(sentence: Span, position: int) -> tuple[int, int]:
    """Start and end (absolute offsets) of the clause of `sentence` that holds `position`."""
    start, end = sentence.start, sentence.end
    for m in _BREAK.finditer(sentence.text):
        at = sentence.start + m.start()
        if at < position:
            start = sentence.start + m.end()
        elif at >= position:
            end = at
            break
    return start, end


def spans_within(spans: tuple[Span, ...], start: int, end: int) -> list[Span]:
    return [s for s in spans if s.start >= start and s.end <= end]


def nearest(spans: list[Span], position: int) -> Span | None:
    """The span closest to `position` (a span after it wins a tie: "aanslag in Berlijn")."""
    if not spans:
        return None
    return min(spans, key=lambda s: (min(abs(s.start - position), abs(s.end - position)), s.start < position))
