"""Sentence boundaries as character spans: paragraph breaks, and . ! ? followed by a capital or a quote."""
from __future__ import annotations

import re
from functools import lru_cache

from ..datafiles import read_tsv
from ..records import Span

__all__ = ["split_sentences"]

_CANDIDATE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[\w¿¡])|\n\s*\n|\n(?=\s*\S)")
_WORD_BEFORE = re.compile(r"(\S+)$")
# A "sentence" longer than this is a list, a table or garbage without full stops, and every stage that looks within
# a sentence would cost its length times its words: it is cut, at the last clause break (or space) before the limit.
# The longest sentences found: 501 characters on dutch_news_dev, 2,333 on MUC-4's dev set (upper case, few stops).
MAX_SENTENCE_CHARS = 5_000


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    return frozenset(a for row in read_tsv("lexicons", "abbreviations.tsv") for a in row["abbreviations"].split())


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    if "\n" in match.group():
        return True
    if match.group()[0] != ".":
        return True
    before = _WORD_BEFORE.search(text, max(0, match.start() - 40), match.start())
    word = before.group(1).lower() if before else ""
    word = word.lstrip("(\"'“‘")
    if word in _abbreviations():
        return False
    if len(word) == 1 and word.isalpha():          # an initial: "Gökmen T. reed", "J. Smith"
        return False
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):   # "u.s", "o.a", "e.g"
        return False
    nxt = text[match.end():match.end() + 3].lstrip()
    return not (nxt[:1].islower())                 # "ca. tien" continues the sentence


def split_sentences(text: str) -> tuple[Span, ...]:
    """Sentence spans of `text`, without surrounding whitespace; label "sentence"."""
    spans: list[Span] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        if not _ends_sentence(text, match):
            continue
        end = match.end() if match.group()[0] != "\n" else match.start()
        _add(text, start, end, spans)
        start = match.end()
    _add(text, start, len(text), spans)
    return tuple(spans)


def _add(text: str, start: int, end: int, spans: list[Span]) -> None:
    while end - start > MAX_SENTENCE_CHARS:
        cut = _last_break(text, start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        _add_one(text, start, cut, spans)
        start = cut
    _add_one(text, start, end, spans)


def _last_break(text: str, low: int, high: int) -> int:
    """Where to cut a long stretch in [low, high]: after the last clause break, else the last space, else high."""
    for pattern in (", ", "; ", ": ", " ", "\t"):
        at = text.rfind(pattern, low, high)
        if at >= 0:
            return at + len(pattern)
    return high


def _add_one(text: str, start: int, end: int, spans: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start, end, text[start:end], "sentence", None, "sentences"))
