"""Dates in an article without a publication date: words that cannot be resolved can still tell two events apart.

"In Nice reed een vrachtwagen donderdagavond op een menigte in ... Januari 2015 werd al een groep redacteuren
vermoord. En afgelopen november werden 130 mensen gedood": without the publication day none of "donderdagavond"
and "afgelopen november" has a date, so nothing kept the attacks the article recalls out of the one it reports, and
the Nice attack took the 130 dead of Paris and the date of Charlie Hebdo. Two rules, for words of which at least one
side is unresolved (two resolved dates are compared as dates, in within.py):

- two expressions relative to the publication day ("donderdagavond", "deze week", "afgelopen november", "vorig
  jaar") are one time only if they overlap for some publication day. They are resolved under assumed publication
  days, the 15th of every month of one year (``assumed_publication``: a discretisation of the unknown day, not a
  calibration); words that overlap under none of them name different times. "Maandagochtend" and "deze week" always
  overlap; "donderdagavond" and "afgelopen november" only when the article appeared in the first days of December.
- a calendar date with its year ("Januari 2015") against relative words: different times when the words, resolved
  under the 15th of every month of that year and the next, never overlap it ("afgelopen november"), or when they
  date the news by the publication day at day or week precision ("donderdagavond", "gisteren", "deze week"): an
  article that dates its news by the weekday does not date the same event again by month and year elsewhere.
"""
from __future__ import annotations

from datetime import date

from ..annotate.dates import resolve_words
from ..records import DateValue, Span

__all__ = ["date_words_differ", "assumed_publication"]

_NEWS_PRECISIONS = ("day", "week")


def assumed_publication(year: int) -> tuple[date, ...]:
    """The publication days words are resolved under: the 15th of every month of ``year``."""
    return tuple(date(year, month, 15) for month in range(1, 13))


def date_words_differ(mine: Span | None, theirs: list[Span], language: str | None) -> bool:
    """Whether a mention's date words (``mine``; None: it has none) and every date word of an event (``theirs``)
    name different times, where one side or both could not be resolved (see the module's rules)."""
    if mine is None or not theirs or language is None:
        return False
    return all(_differ(mine, other, language) for other in theirs)


def _differ(a: Span, b: Span, language: str) -> bool:
    if a.value is not None and b.value is not None:
        return False                       # two dates: compared as dates (within.py)
    if a.value is not None or b.value is not None:
        resolved, words = (a, b) if a.value is not None else (b, a)
        if resolved.value.resolved_from != "absolute":
            return False
        year = resolved.value.start.year
        values = [resolve_words(words.text, language, day)
                  for day in assumed_publication(year) + assumed_publication(year + 1)]
        if any(v is None for v in values):
            return False
        if all(v.precision in _NEWS_PRECISIONS and v.resolved_from == "published" for v in values):
            return True
        return not any(_overlap(v, resolved.value) for v in values)
    for day in assumed_publication(2001):
        x, y = resolve_words(a.text, language, day), resolve_words(b.text, language, day)
        if x is None or y is None or _overlap(x, y):
            return False
    return True


def _overlap(x: DateValue, y: DateValue) -> bool:
    return x.start <= y.end and y.start <= x.end
