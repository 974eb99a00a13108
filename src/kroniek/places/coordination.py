"""Places named side by side ("in België, maar ook in Duitsland en Frankrijk", "in France and Germany").

An event mention whose nearest place is joined so to a place in another country names several places: it is
not the event of any one of them, and takes no place of its own (extract/mentions.py). The joining words are in
data/places/coordination.tsv.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..datafiles import word_alternation
from ..records import Span

__all__ = ["coordinated_elsewhere"]

GAP = 24   # characters between two places joined by these words ("België, maar ook in Duitsland": 17)


@lru_cache(maxsize=None)
def _joiner(language: str) -> re.Pattern[str] | None:
    alternatives = word_alternation("places", "coordination.tsv", language, language_column="lang")
    if alternatives is None:
        return None
    # ", " or a joining word (after an optional comma), nothing else: "Belgium and France", "België, Frankrijk"
    return re.compile(rf"\s*(?:,\s*(?:(?:{alternatives})\s+)?|(?:{alternatives})\s+)", re.I)


def coordinated_elsewhere(text: str, place: Span, places: list[Span], language: str) -> bool:
    """Whether `place` is joined by a coordinating word or a comma to one of `places` in another country."""
    joiner = _joiner(language)
    if joiner is None or not place.value.country:
        return False
    for other in places:
        if other is place or not other.value.country or other.value.country == place.value.country:
            continue
        first, second = (place, other) if place.end <= other.start else (other, place)
        gap = text[first.end:second.start]
        if first.end <= second.start and len(gap) <= GAP and joiner.fullmatch(gap):
            return True
    return False
