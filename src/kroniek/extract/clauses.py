"""Clauses: the stretch of a sentence a trigger's cues and arguments are looked for in."""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from ..records import Span

__all__ = ["clause_bounds", "spans_within", "nearest"]

# Punctuation that separates clauses; a hyphen inside a word ("IS-strijders") does not.
_BREAK = re.compile(r"[,;:()]|\s[–—-]\s|[‘’\"“”](?=\s)|\?")


def clause_bounds(sentence: Span, position: int) -> tuple[int, int]:
    """Start and end (absolute offsets) of the clause of `sentence` that holds `position`."""
    starts, ends = _breaks(sentence.text)
    i = bisect_left(starts, position - sentence.start)   # the breaks before `position`, then the one that ends it
    start = sentence.start + ends[i - 1] if i else sentence.start
    end = sentence.start + starts[i] if i < len(starts) else sentence.end
    return start, end


@lru_cache(maxsize=256)
def _breaks(text: str) -> tuple[list[int], list[int]]:
    """The clause breaks of a sentence: their starts and ends (found once per sentence, not once per trigger)."""
    found = [(m.start(), m.end()) for m in _BREAK.finditer(text)]
    return [a for a, _ in found], [b for _, b in found]


_STARTS: dict[int, tuple[tuple, list[int]]] = {}   # id(spans) -> (spans, their starts): a bisect index per group
_STARTS_LIMIT = 512


def spans_within(spans: tuple[Span, ...], start: int, end: int) -> list[Span]:
    """The spans (sorted by start, as every annotation group is) that lie inside [start, end)."""
    if len(spans) < 16:
        return [s for s in spans if s.start >= start and s.end <= end]
    cached = _STARTS.get(id(spans))
    if cached is None or cached[0] is not spans:
        if len(_STARTS) >= _STARTS_LIMIT:
            _STARTS.clear()
        cached = _STARTS[id(spans)] = (spans, [s.start for s in spans])
    starts = cached[1]
    out = []
    for i in range(bisect_left(starts, start), bisect_left(starts, end)):
        if spans[i].end <= end:
            out.append(spans[i])
    return out


def nearest(spans: list[Span], position: int) -> Span | None:
    """The span closest to `position` (a span after it wins a tie: "aanslag in Berlijn")."""
    if not spans:
        return None
    return min(spans, key=lambda s: (min(abs(s.start - position), abs(s.end - position)), s.start < position))
