"""Places named only as a time reference ("een jaar na de aanslagen in Madrid", "after the Brussels attacks").

Such a place dates the sentence by an earlier event; it is not where the sentence's own event happened.
Words in data/places/time_reference.tsv. The choice of an event's place (extract/mentions.py) can skip a place
for which :func:`named_as_time_reference` is true.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..datafiles import read_tsv

__all__ = ["named_as_time_reference"]

WINDOW = 60   # characters looked at before the place: "na de zware bomaanslagen van vorig jaar in" fits


@lru_cache(maxsize=None)
def _patterns(language: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    kinds: dict[str, list[str]] = {}
    for row in read_tsv("places", "time_reference.tsv"):
        if row["lang"] == language:
            kinds.setdefault(row["kind"], []).extend(w for w in row["words"].split("|") if w)

    def alternatives(kind: str) -> str:
        return "|".join(sorted((re.escape(w) for w in kinds.get(kind, [])), key=len, reverse=True)) or "(?!)"

    after, article, event, link = (alternatives(k) for k in ("after", "article", "event", "link"))
    # "na de aanslagen in |Madrid", "after the deadly attack on |Paris"
    # (words between the event noun and the place are lower case: "in Madrid werd in |Londen" is not one)
    before_place = re.compile(rf"\b(?i:{after})\s+(?:(?i:{article})\s+)?(?:[\w-]+\s+){{0,3}}?(?i:{event})"
                              rf"(?:\s+[a-zà-ÿ][\w-]*){{0,3}}?\s+(?i:{link})\s+$")
    # "after the |Brussels| attacks": the place modifies the event noun
    before_modifier = re.compile(rf"\b(?:{after})\s+(?:{article})\s+(?:[\w-]+\s+)?$", re.I)
    after_modifier = re.compile(rf"^[\s-]*(?:[\w-]+\s+)?(?:{event})\b", re.I)
    return before_place, before_modifier, after_modifier


def named_as_time_reference(text: str, start: int, end: int, language: str) -> bool:
    """Whether the place at text[start:end] is named only to date something by an earlier event."""
    if language not in ("nl", "en"):
        return False
    before_place, before_modifier, after_modifier = _patterns(language)
    before = text[max(0, start - WINDOW):start]
    cut = max(before.rfind(". "), before.rfind("; "))
    if cut >= 0:
        before = before[cut + 2:]
    if before_place.search(before):
        return True
    return bool(before_modifier.search(before) and after_modifier.match(text[end:end + 30]))
