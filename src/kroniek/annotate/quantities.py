"""Counts in Dutch and English text, as number ranges: "minstens twaalf", "tientallen", "between 10 and 20".

Each span's value is a Quantity(min, max), read as EVENTS.md "Vague quantities" asks: min is the most
conservative figure the text supports, max only where the text bounds it.

    plain number "12", "2.000" (nl), "2,000" (en), "twaalf", "two thousand", "1,5 miljoen"   min = max = n
    at least: "minstens", "zeker", "ten minste", "at least"                                  min = n
    more than: "meer dan", "ruim", "more than", "over"                                       min = n (the figure is
        rounded: "more than 2,000" may be 2,004; n is what the text supports for sure)
    up to / nearly: "bijna", "tot wel", "hooguit", "nearly", "up to", "fewer than"           max = n, min None (the
        text gives no lower figure; Kroniek does not invent one)
    about: "ongeveer", "zo'n", "circa", "about", "some", "around"; Dutch "een tiental"        min = max = n
    ranges: "tussen 10 en 20", "10 tot 20", "10 à 20", "between 10 and 20", "10 to 20", "10-20"   min 10, max 20
    vague words from data/lexicons/vague_quantities.tsv ("tientallen" min 10, "dozens" min 12, ...), also in
        front of a number word: "enkele honderden" = min 200, "a few thousand" = min 2000.

Plain Dutch "tot" (up to) is read only inside a range ("10 tot 20"), not as "up to": "steeg tot 12" means it
reached 12, "tot 2016" is a date. Not counts, so left out: years ("in 2016"; see dates.looks_like_year), day
numbers next to a month ("22 maart"), clock times (14.30, 2:30, 3 p.m.), ages ("31-jarige", "31-year-old"),
ordinals ("3e", "third"), type names ("F-16"), and fractions that are not whole numbers ("2,5").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from ..datafiles import read_json, read_tsv
from ..records import Quantity, Span
from ._numbers import GapRules, Scanner, Token, lower_text, number_words, symbolize
from .dates import looks_like_year, month_words

__all__ = ["find_quantities"]

PRODUCER = "quantities"
LABEL = "number"


@dataclass(frozen=True, slots=True)
class _Lexicon:
    scanner: Scanner
    gaps: GapRules
    bases: frozenset[str]          # number words a vague word can multiply: honderd, thousand, dozen
    age_suffixes: tuple[str, ...]
    language: str
    time_units: frozenset[str]     # jaar, weken, years, hours (time.<lang>.json units): "drie jaar" is no count


@lru_cache(maxsize=None)
def _lexicon(language: str) -> _Lexicon:
    """numbers.tsv, vague_quantities.tsv and the month names of one language, as one scanner (built once)."""
    words = number_words(language)
    phrases: dict[str, tuple[str, object, bool]] = {}
    for row in read_tsv("lexicons", "vague_quantities.tsv"):
        if row["language"] != language:
            continue
        bounds = (int(row["min"]), int(row["max"]) if row["max"] else None)
        phrases.setdefault(row["phrase"].lower(), ("v" if row["use"] == "amount" else "V", bounds, False))
    for phrase, role in words.modifiers.items():
        phrases.setdefault(phrase, ("Q", role, False))
    for phrase in words.range_open:
        phrases.setdefault(phrase, ("B", None, False))
    for month in month_words(language):
        phrases.setdefault(month, ("M", None, False))
    specials = {join: "r" for join in words.range_join} | {join: "&" for join in words.pair_join}
    bases = frozenset(w for w, (kind, _) in words.morphemes.items() if kind in ("factor", "multiplier"))
    # numeric dates (19-12-2016) are read as one token, so their parts are not counts
    time_words = read_json("lexicons", f"time.{language}.json")
    date_orders = time_words["numeric_dates"]
    return _Lexicon(
        scanner=Scanner(language, phrases, numbers=True, numeric_dates=date_orders),
        gaps=GapRules(fillers=frozenset(("de", "the")), specials=specials),
        bases=bases,
        age_suffixes=words.age_suffixes,
        language=language,
        time_units=frozenset(time_words["units"]),
    )


@dataclass(slots=True)
class _Context:
    text: str
    lower: str
    tokens: list[Token]
    lexicon: _Lexicon


_CLOCK_AFTER = re.compile(r":\d|\s*(?:a\.m\.|p\.m\.|am\b|pm\b|hours?\b|hrs\b|uur\b|gmt\b|utc\b)")
# "at 1230", "om 0930": four digits after a clock preposition that read as hours and minutes (military time)
_CLOCK_BEFORE = re.compile(r"\b(?:at|om)\s+$")
_NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")
_MODEL_BEFORE = re.compile(r"[^\W\d_]-$|\d:$")


def _is_count(token: Token, index: int, cx: _Context) -> bool:
    """Whether a number token is a count, not a year, a day of a month, a clock time, an age or a type name."""
    tokens, text, lower = cx.tokens, cx.text, cx.lower
    if token.sym in "dy" or token.sym == "N":
        day_like = token.sym == "d"                          # 1-31, no separators
        if day_like and index + 1 < len(tokens) and tokens[index + 1].sym == "M" and \
                tokens[index + 1].start - token.end <= 2:
            return False                                     # 22 maart
        if day_like and index > 0 and tokens[index - 1].sym == "M" and token.start - tokens[index - 1].end <= 2:
            return False                                     # May 3 (but "in maart 280 christenen" is a count)
        if (index + 2 < len(tokens) and tokens[index + 2].sym == "M" and tokens[index + 1].sym in "dN"
                and tokens[index + 2].start - token.end <= 16):
            return False                                     # 3-5 mei, 3 tot 5 mei
        if token.sym == "y" and looks_like_year(text, token.start, token.end, cx.lexicon.language):
            return False
        if _CLOCK_AFTER.match(lower, token.end) or _MODEL_BEFORE.search(lower, max(0, token.start - 2),
                                                                         token.start):
            return False
        after = lower[token.end:token.end + 12]
        if any(after.startswith(suffix) for suffix in cx.lexicon.age_suffixes):
            return False
        digits = text[token.start:token.end]
        if len(digits) == 4 and digits.isdigit() and int(digits[:2]) < 24 and int(digits[2:]) < 60 and \
                _CLOCK_BEFORE.search(lower, max(0, token.start - 8), token.start) and \
                not (_NEXT_WORD.match(lower, token.end) and lower[token.end:token.end + 1] == " "):
            return False                                     # "on Tuesday afternoon at 1230," (not "at 1230 people")
        following = _NEXT_WORD.match(lower, token.end)
        if following and following.group(1) in cx.lexicon.time_units:
            return False                                     # drie jaar geleden, two weeks later: a duration
        if not isinstance(token.value, int) and not float(token.value).is_integer():
            return False                                     # 2,5 (a fraction is no count)
    return True


def _single(tokens: list[Token], cx: _Context) -> Quantity | None:
    token = tokens[-1]
    if token.sym == "v":
        return Quantity(*token.value)
    if token.sym == "t":                # een tiental: about ten
        return Quantity(token.value, token.value)
    value = int(token.value)          # whole: fractions were hidden by _is_count
    return Quantity(value, value)


def _modified(tokens: list[Token], cx: _Context) -> Quantity | None:
    role = tokens[0].value
    base = _single(tokens[1:], cx)
    if base is None:
        return None
    if tokens[-1].sym == "v" and base.max is None:
        return base if role in ("min", "more", "approx") else None    # "bijna honderden": no figure either way
    figure = base.min
    if role in ("min", "more"):
        return Quantity(figure, None)
    if role == "max":
        return Quantity(None, base.max)
    return Quantity(figure, base.max)


def _vague_times(tokens: list[Token], cx: _Context) -> Quantity | None:
    """ "enkele honderden", "a few thousand", "vele duizenden": a vague count times a round number."""
    role = tokens[0].value if tokens[0].sym == "Q" else None
    vague, base = tokens[-2], tokens[-1]
    if base.sym == "v":
        low, high = base.value
        if low < 12 or high is not None:
            return None
        factor = low
    elif cx.lower[base.start:base.end] in cx.lexicon.bases:
        factor = base.value
    else:
        return None
    low, high = vague.value
    quantity = Quantity(low * factor, None if high is None else high * factor)
    if role == "max":
        return None
    return Quantity(quantity.min, None) if role in ("min", "more") else quantity


def _range(tokens: list[Token], cx: _Context) -> Quantity | None:
    numbers = [t for t in tokens if t.sym in "Ndytv"]
    low, high = _single([numbers[0]], cx), _single([numbers[-1]], cx)
    if low is None or high is None or low.min is None:
        return None
    if high.max is not None and low.min > high.max:
        return None
    return Quantity(low.min, high.max)


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str]
    handler: Callable[[list[Token], _Context], Quantity | None]


# Symbols: Q modifier, v vague amount, V vague prefix (vele, many), B between/tussen, M month name, and the number
# symbols of _numbers (N d y t a). Gaps: ' ' space, '~' de/the, 'r' tot/to/à, '&' en/and after tussen/between.
_NUMBER = "[Ndy]"
RULES = (
    _Rule(re.compile(rf"B[ ~]{_NUMBER}&{_NUMBER}|(?:B[ ~])?{_NUMBER}[r-]{_NUMBER}|(?:B[ ~])?vrv"), _range),
    _Rule(re.compile(r"(?:Q )?[vV] [Nv]"), _vague_times),
    _Rule(re.compile(rf"Q[ ~](?:{_NUMBER}|v|a t|t)"), _modified),
    _Rule(re.compile(rf"{_NUMBER}|v|a t|t"), _single),
)


def find_quantities(text: str, language: str) -> tuple[Span, ...]:
    """Counts in the text; value = Quantity(min, max), label "number" (see the module docstring for the rules)."""
    lexicon = _lexicon(language)
    lower = lower_text(text)
    tokens = lexicon.scanner.scan(text, lower)
    if not tokens:
        return ()
    context = _Context(text, lower, tokens, lexicon)
    # a number that is a date, time or age is no count: hide it from the grammar
    counts = [t if t.sym not in "Ndy" or _is_count(t, i, context) else t._replace(sym="#")
              for i, t in enumerate(tokens)]
    symbols = symbolize(counts, lower, lexicon.gaps)
    candidates: list[tuple[int, int, int, int, Quantity]] = []
    for rule in RULES:
        for match in rule.pattern.finditer(symbols):
            first, last = match.start() // 2, (match.end() - 1) // 2
            quantity = rule.handler(counts[first:last + 1], context)
            if quantity is not None:
                candidates.append((counts[first].start, counts[last].end, first, last, quantity))
    taken: set[int] = set()
    spans = []
    for start, end, first, last, quantity in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        indices = range(first, last + 1)
        if any(i in taken for i in indices):
            continue
        taken.update(indices)
        spans.append(Span(start, end, text[start:end], LABEL, quantity, PRODUCER))
    spans.sort(key=lambda s: s.start)
    return tuple(spans)
