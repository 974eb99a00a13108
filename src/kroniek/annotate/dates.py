"""Time expressions in Dutch and English news, resolved against the publication date.

``find_dates`` returns the spans an event's date is built from; ``find_timexes`` returns every time expression it
reads (durations, "now", "daily" too) with its TimeML TIMEX3 type and value, for ``kroniek eval timex``.

How it reads: the words are data (``data/lexicons/time.<lang>.json``, ``numbers.tsv``, ``vague_quantities.tsv``);
one scan turns the text into tokens with one-letter symbols (see ``_numbers``), and the grammar below is a list of
regexes over that symbol string, each with a handler that computes the value. Where matches overlap the longest
wins. Symbols of time words:

    M month (may stand alone)   m month that needs a day, year or cue word (Aug., "May")
    W weekday (zondag, zondagavond)   R relative day (gisteren, yesterday)   p part of day (avond, morning)
    L deictic (vorige, last, afgelopen, this, next)   U unit (dag, week, year)   T part (begin, eind, early, late)
    E shift (eerder, later)   A ago (geleden, ago)   S since (sinds, al)   F for   Q modifier (ruim, more than)
    v vague count (enkele, a few)   X reference (nu, now, recently)   G set (dagelijks, daily)   K every
    s season   H holiday (kerstavond, Christmas Day)   and the number symbols of ``_numbers``.

Rules for a missing year or a bare weekday: the most recent such date not after publication ("22 maart",
"zondag", "on Monday", "december"); "afgelopen/last" + weekday or month: the most recent one strictly before.
Without a publication date every expression that needs one gets value None: no date is invented.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Callable, NamedTuple

from ..datafiles import read_json, read_tsv
from ..records import DateValue, Span
from ._numbers import GapRules, Scanner, Token, lower_text, number_words, phrase_pattern, symbolize

__all__ = ["find_dates", "find_timexes", "resolve_words", "Timex", "looks_like_year", "month_words"]

PRODUCER = "dates"

PRECISION = {"day": "day", "hour": "day", "minute": "day", "weekend": "day", "week": "week", "month": "month",
             "quarter": "month", "season": "month", "year": "year", "decade": "year", "century": "year"}
_DURATION_CODE = {"day": "D", "week": "W", "month": "M", "year": "Y", "decade": "DE", "century": "CE",
                  "quarter": "Q", "weekend": "WE", "hour": "H", "minute": "M"}
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
# The conservative reading of a count-less plural ("de afgelopen maanden", "recent weeks"): two units, as
# "enkele" = 2 in vague_quantities.tsv. The period may be longer; it is not shorter.
PLURAL_COUNT = 2


class Timex(NamedTuple):
    """A time expression with two views: Kroniek's DateValue and the TimeML TIMEX3 type and value.

    kind: date | since | ago | shift (relative to another event: value None) | vague ("jaren geleden") |
    duration | ref (now, recently) | set (daily). timeml_span: the TimeML extent (without "al", "for", "now").
    An immutable NamedTuple: dozens are made per article.
    """
    start: int
    end: int
    text: str
    kind: str
    date: DateValue | None
    timeml_type: str
    timeml_value: str | None
    timeml_span: tuple[int, int]


class _Hit(NamedTuple):
    kind: str
    date: DateValue | None
    timeml_type: str
    timeml_value: str | None
    trim_first: bool = False      # TimeML extent leaves out the first token ("al", "for")
    trim_last: bool = False       # ... and the last ("now")


@dataclass(frozen=True, slots=True)
class _Lexicon:
    scanner: Scanner
    gaps: GapRules
    year_cues: frozenset[str]
    month_cues: frozenset[str]
    year_followers: frozenset[str]
    modifier_before: re.Pattern[str]      # a quantity modifier ending right before a position ("meer dan ")
    determiners: frozenset[str]
    age_suffixes: tuple[str, ...]
    future_cue: re.Pattern[str]
    season_cue: re.Pattern[str]          # right before a bare season name ("in de zomer")


_SENTENCE_END = re.compile(r"[.!?;:]\s|\n\n")
# Characters before an expression searched for a future cue, within its sentence. Set by hand (a news sentence
# clause); checked on TBAQ-cleaned value F1 and tests/test_dates.py: re-run both after a change.
FUTURE_WINDOW = 120


@dataclass(slots=True)
class _Context:
    text: str
    lower: str
    published: date | None
    lexicon: _Lexicon

    def future(self, start: int) -> bool:
        """Whether the sentence before position start says the future ("will be sentenced on 14 January")."""
        window_start = max(0, start - FUTURE_WINDOW)
        boundary = None
        for boundary in _SENTENCE_END.finditer(self.lower, window_start, start):
            pass
        if boundary is not None:
            window_start = boundary.end()
        return self.lexicon.future_cue.search(self.lower, window_start, start) is not None


# --- lexicon -------------------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _lexicon(language: str) -> _Lexicon:
    """time.<language>.json plus the number words and vague counts, as one scanner (built once)."""
    data = read_json("lexicons", f"time.{language}.json")
    words = number_words(language)
    phrases: dict[str, tuple[str, Any, bool]] = {}

    def add(phrase: str, sym: str, value: Any, cased: bool = False) -> None:
        phrases.setdefault(phrase.lower(), (sym, value, cased))   # the first category listed wins

    cased_months = set(data["months_cased"])
    need_context = set(data["months_need_context"])
    for key, value in data["relative_days"].items():
        add(key, "R", tuple(value))
    for key, value in data["holidays"].items():
        add(key, "H", tuple(value))
    for key, value in data["refs"].items():
        add(key, "X", value)
    for key, value in data["months"].items():
        add(key, "m" if key in need_context else "M", value, key in cased_months)
    for key, value in data["month_abbreviations"].items():
        add(key, "m", value, bool(cased_months))
    cased_days = set(data["weekdays_cased"])
    for key, value in data["weekdays"].items():
        add(key, "W", (value, None), key in cased_days)
        for suffix, part in data["weekday_compound_parts"].items():
            add(key + suffix, "W", (value, part), key in cased_days)
    for key, value in data["units"].items():
        add(key, "U", tuple(value))
    for key, value in data["day_parts"].items():
        add(key, "p", value)
    for key, value in data["deictics"].items():
        add(key, "L", value)
    for key, value in data["parts"].items():
        add(key, "T", value)
    for key, value in data["shifts"].items():
        add(key, "E", value)
    for key in data["ago"]:
        add(key, "A", None)
    for key, value in data["since"].items():
        add(key, "S", value)
    for key in data["for"]:
        add(key, "F", None)
    for key, value in data["sets"].items():
        add(key, "G", value)
    for key in data["every"]:
        add(key, "K", None)
    for key, value in data["seasons"].items():
        add(key, "s", value)
    for key, value in words.modifiers.items():
        add(key, "Q", value)
    for row in read_tsv("lexicons", "vague_quantities.tsv"):
        if row["language"] == language and row["use"] == "amount":
            add(row["phrase"], "v", int(row["min"]))
    for key, value in words.ordinals.items():
        add(key, "O", value)
    scanner = Scanner(language, phrases, numbers=True, numeric_dates=data["numeric_dates"])
    return _Lexicon(
        scanner=scanner,
        gaps=GapRules(fillers=frozenset(data["fillers"])),
        year_cues=frozenset(data["year_cues"]),
        month_cues=frozenset(data["month_cues"]),
        year_followers=frozenset(data["year_followers"]),
        modifier_before=re.compile(r"(?<!\w)(?:" + phrase_pattern(words.modifiers) + r")\s+$"),
        determiners=frozenset(data["determiners"]),
        age_suffixes=words.age_suffixes,
        future_cue=re.compile(r"(?<![\w'])(?:" + phrase_pattern(data["future_cues"]) + r")(?!\w)"),
        season_cue=re.compile(r"(?<!\w)(?:" + phrase_pattern(data["season_cues"]) + r")\s+$"),
    )


@lru_cache(maxsize=None)
def month_words(language: str) -> frozenset[str]:
    """Month names and abbreviations of a language, lower case (for the quantity finder: "22 maart" is no count)."""
    data = read_json("lexicons", f"time.{language}.json")
    return frozenset(list(data["months"]) + [k.rstrip(".") for k in data["month_abbreviations"]])


# --- words around a token ------------------------------------------------------------------------------------

_PREV_WORD = re.compile(r"(\w+)[ \t]*$")
_NEXT_WORD = re.compile(r"[ \t]*(\w+)")


def _prev_word(lower: str, start: int) -> str | None:
    match = _PREV_WORD.search(lower, max(0, start - 30), start)
    return match.group(1) if match else None


def looks_like_year(text: str, start: int, end: int, language: str) -> bool:
    """Whether the four digits text[start:end] are a year ("in 2016", "2016 was") rather than a count.

    A quantity modifier before it makes a count ("ruim 2000"); a year cue before it makes a year ("sinds 2013");
    otherwise it is a year unless a lower-case word that cannot follow a year comes next ("2000 demonstranten").
    """
    lexicon = _lexicon(language)
    lower = text[max(0, start - 30):end + 30].lower()
    offset = start - max(0, start - 30)
    return _year_like(lower, offset, offset + (end - start), text[max(0, start - 30):end + 30], lexicon)


def _year_like(lower: str, start: int, end: int, text: str, lexicon: _Lexicon) -> bool:
    if lexicon.modifier_before.search(lower, max(0, start - 25), start):
        return False
    previous = _prev_word(lower, start)
    if previous in lexicon.year_cues:
        return True
    return _stands_alone(lower, end, text, lexicon)


def _stands_alone(lower: str, end: int, text: str, lexicon: _Lexicon) -> bool:
    """Whether no noun follows (a word that cannot follow a date): "2016 was", "Kerstmis." but not "Christmas
    market", "2000 demonstranten"."""
    following = _NEXT_WORD.match(lower, end, end + 30)
    if following is None:
        return True
    word_start = following.start(1)
    return text[word_start].isupper() or following.group(1) in lexicon.year_followers


# --- calendar arithmetic -------------------------------------------------------------------------------------

def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _shift(day: date, unit: str, count: float) -> date:
    """day moved by count units (negative = back); hours and minutes move by whole days, rounded outward."""
    n = int(count)
    if unit == "day":
        return day + timedelta(days=n)
    if unit in ("week", "weekend"):
        return day + timedelta(weeks=n)
    if unit in ("hour", "minute"):
        per_day = 24 if unit == "hour" else 1440
        days = -(-abs(n) // per_day)
        return day + timedelta(days=days if n > 0 else -days)
    months = {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}[unit]
    return _add_months(day, months * n)


def _unit_range(day: date, unit: str) -> tuple[date, date]:
    """The calendar unit (ISO week Monday-Sunday) that contains day."""
    if unit in ("day", "hour", "minute"):
        return day, day
    if unit in ("week", "weekend"):
        monday = day - timedelta(days=day.weekday())
        return (monday + timedelta(days=5), monday + timedelta(days=6)) if unit == "weekend" else (
            monday, monday + timedelta(days=6))
    if unit == "month":
        return day.replace(day=1), _month_end(day.year, day.month)
    if unit == "quarter":
        first = 3 * ((day.month - 1) // 3) + 1
        return date(day.year, first, 1), _month_end(day.year, first + 2)
    if unit == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    span = 10 if unit == "decade" else 100
    first_year = day.year // span * span
    return date(max(first_year, 1), 1, 1), date(first_year + span - 1, 12, 31)


def _timeml(day: date, unit: str) -> str:
    """The TIMEX3 value of the unit that contains day: 2016-12-19, 2016-W51, 2016-12, 2016-Q4, 2016, 201."""
    if unit in ("day", "hour", "minute"):
        return day.isoformat()
    if unit in ("week", "weekend"):
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}" + ("-WE" if unit == "weekend" else "")
    if unit == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if unit == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if unit == "year":
        return f"{day.year:04d}"
    if unit == "decade":
        return f"{day.year // 10:03d}"
    return f"{day.year // 100:02d}"


def _duration(count: float | None, unit: str) -> str:
    """TIMEX3 duration value: P2M, PT3H, PXY (count None = unknown); decades and centuries in years (P10Y), as
    the TempEval-3 data writes them."""
    if unit in ("decade", "century") and count is not None:
        count, unit = count * (10 if unit == "decade" else 100), "year"
    elif unit in ("decade", "century"):
        unit = "year"
    amount = "X" if count is None else (str(int(count)) if float(count).is_integer() else str(count))
    if unit in ("hour", "minute"):
        return f"PT{amount}{_DURATION_CODE[unit]}"
    return f"P{amount}{_DURATION_CODE[unit]}"


def _part(first: date, last: date, unit: str, part: str) -> tuple[date, date]:
    """The early / mid / late third of a range: months of a year by four, days of a month by ten."""
    if unit == "year":
        months = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[part]
        return date(first.year, months[0], 1), _month_end(first.year, months[1])
    if unit == "month":
        days = {"early": (1, 10), "mid": (11, 20), "late": (21, last.day)}[part]
        return first.replace(day=days[0]), first.replace(day=days[1])
    length = (last - first).days + 1
    third = max(length // 3, 1)
    if part == "early":
        return first, first + timedelta(days=third - 1)
    if part == "mid":
        return first + timedelta(days=third), last - timedelta(days=third)
    return last - timedelta(days=third - 1), last


def _value(first: date, last: date, unit: str, resolved_from: str) -> DateValue:
    return DateValue(first, last, PRECISION[unit], resolved_from)


def _date_hit(first: date, last: date, unit: str, resolved_from: str, value_day: date | None = None,
              day_part: str | None = None, kind: str = "date") -> _Hit:
    tml = _timeml(value_day or first, unit)
    if day_part and unit == "day":
        return _Hit(kind, _value(first, last, unit, resolved_from), "TIME", f"{tml}T{day_part}")
    return _Hit(kind, _value(first, last, unit, resolved_from), "DATE", tml)


_UNKNOWN = _Hit("date", None, "DATE", None)


def _sym(tokens: list[Token], symbols: str) -> Token | None:
    for token in tokens:
        if token.sym in symbols:
            return token
    return None


def _count(tokens: list[Token]) -> float | None:
    token = _sym(tokens, "Nda")
    return None if token is None else token.value


# --- handlers: one per grammar rule; each returns a _Hit or None (not a time expression after all) ----------

def _day_month(tokens: list[Token], cx: _Context) -> _Hit | None:
    day = _sym(tokens, "de").value
    month = _sym(tokens, "Mm").value
    year = _sym(tokens, "y")
    return _calendar_day(year.value if year else None, month, day, cx, tokens[0].start)


def _calendar_day(year: int | None, month: int, day: int, cx: _Context, start: int) -> _Hit | None:
    """A day of a month; without a year the most recent one not after publication, or, where the sentence
    says the future, the next one on or after it."""
    if not 1 <= day <= 31:
        return None
    if year is not None:
        try:
            value = date(year, month, day)
        except ValueError:
            return None
        return _date_hit(value, value, "day", "absolute")
    if cx.published is None:
        return _UNKNOWN
    forward = cx.future(start)
    for step in range(0, 5):     # 29 February needs a leap year
        try:
            value = date(cx.published.year + (step if forward else -step), month, day)
        except ValueError:
            continue
        if (value >= cx.published) if forward else (value <= cx.published):
            return _date_hit(value, value, "day", "published")
    return None


def _numeric(tokens: list[Token], cx: _Context) -> _Hit | None:
    year, month, day = _sym(tokens, "n").value
    if not 1 <= month <= 12:
        return None
    return _calendar_day(year, month, day, cx, tokens[0].start)


def _day_range(tokens: list[Token], cx: _Context) -> _Hit | None:
    days = [t.value for t in tokens if t.sym in "de"]
    month = _sym(tokens, "Mm").value
    year = _sym(tokens, "y")
    last = _calendar_day(year.value if year else None, month, days[1], cx, tokens[0].start)
    if last is None or last.date is None:
        return last
    if days[0] >= days[1]:
        return None
    first = last.date.start.replace(day=days[0])
    return _Hit("date", DateValue(first, last.date.end, "day", last.date.resolved_from), "DATE",
                last.timeml_value)


def _month(tokens: list[Token], cx: _Context) -> _Hit | None:
    month_token = _sym(tokens, "Mm")
    month = month_token.value
    year = _sym(tokens, "y")
    part = _sym(tokens, "T")
    deictic = _sym(tokens, "L")
    if len(tokens) == 1 and month_token.sym == "m" and _prev_word(cx.lower, month_token.start) not in \
            cx.lexicon.month_cues:
        return None          # "Aug" or "May" alone, with no "in"/"since"/... before it
    if year is not None:
        first, resolved = date(year.value, month, 1), "absolute"
    elif cx.published is None:
        return _UNKNOWN
    else:
        pub = cx.published
        role = deictic.value if deictic else None
        if role in ("last", "past"):
            year_number = pub.year if month < pub.month else pub.year - 1
        elif role == "next":
            year_number = pub.year if month > pub.month else pub.year + 1
        elif role == "this":
            year_number = pub.year
        elif cx.future(tokens[0].start):
            year_number = pub.year if month >= pub.month else pub.year + 1
        else:
            year_number = pub.year if month <= pub.month else pub.year - 1
        first, resolved = date(year_number, month, 1), "published"
    last = _month_end(first.year, month)
    if part is not None:
        first, last = _part(first, last, "month", part.value)
    return _Hit("date", _value(first, last, "month", resolved), "DATE", _timeml(first, "month"))


def _year(tokens: list[Token], cx: _Context) -> _Hit | None:
    year = _sym(tokens, "y")
    part = _sym(tokens, "T")
    if part is None and not _year_like(cx.lower, year.start, year.end, cx.text, cx.lexicon):
        return None
    first, last = date(year.value, 1, 1), date(year.value, 12, 31)
    if part is not None:
        first, last = _part(first, last, "year", part.value)
    return _Hit("date", _value(first, last, "year", "absolute"), "DATE", f"{year.value:04d}")


def _decade(tokens: list[Token], cx: _Context) -> _Hit | None:
    decade = _sym(tokens, "c")
    if decade is not None:
        year = decade.value
        if year < 100:         # '90s: the most recent such decade before publication
            if cx.published is None:
                return _UNKNOWN
            year = 2000 + year if 2000 + year <= cx.published.year else 1900 + year
    else:
        unit, number = _sym(tokens, "U"), _sym(tokens, "Nd")
        if unit.value != ("year", True) or number.value not in range(20, 100, 10):
            return None
        year = 1900 + number.value      # "de jaren negentig": the twentieth century by convention
    first, last = date(year, 1, 1), date(year + 9, 12, 31)
    part = _sym(tokens, "T")
    if part is not None:
        first, last = _part(first, last, "decade", part.value)
    return _Hit("date", _value(first, last, "decade", "absolute"), "DATE", _timeml(first, "decade"))


def _weekday_date(pub: date, weekday: int, role: str | None) -> date:
    if role in ("last", "past"):
        return pub - timedelta(days=(pub.weekday() - weekday) % 7 or 7)
    if role == "next":
        return pub + timedelta(days=(weekday - pub.weekday()) % 7 or 7)
    if role == "this":
        return pub - timedelta(days=pub.weekday()) + timedelta(days=weekday)
    if role == "coming":          # a bare weekday in a sentence about the future: on or after publication
        return pub + timedelta(days=(weekday - pub.weekday()) % 7)
    return pub - timedelta(days=(pub.weekday() - weekday) % 7)


def _weekday(tokens: list[Token], cx: _Context) -> _Hit | None:
    weekday, part = _sym(tokens, "W").value
    day_part = _sym(tokens, "p")
    part = day_part.value if day_part else part
    if cx.published is None:
        return _Hit("date", None, "TIME" if part else "DATE", None)
    deictic = _sym(tokens, "L")
    role = deictic.value if deictic else ("coming" if cx.future(tokens[0].start) else None)
    day = _weekday_date(cx.published, weekday, role)
    last = day + timedelta(days=1) if part == "NI" else day
    if last > cx.published >= day:
        last = cx.published
    # TimeML: TempEval-3 annotators gave "Friday night" the day's date, "last night" a time (2016-12-20TNI)
    return _date_hit(day, last, "day", "published")


def _weekday_of_week(tokens: list[Token], cx: _Context) -> _Hit | None:
    unit = _sym(tokens, "U").value[0]
    if unit != "week":
        return None
    if cx.published is None:
        return _UNKNOWN
    role = _sym(tokens, "L").value
    offset = {"last": -1, "past": -1, "this": 0, "next": 1}[role]
    monday, _ = _unit_range(_shift(cx.published, "week", offset), "week")
    day = monday + timedelta(days=_sym(tokens, "W").value[0])
    return _date_hit(day, day, "day", "published")


def _relative_day(tokens: list[Token], cx: _Context) -> _Hit | None:
    relative = _sym(tokens, "R")
    day_part = _sym(tokens, "p")
    if relative is not None:
        first, last, part = relative.value
        part = day_part.value if day_part else part
    else:
        role = _sym(tokens, "L").value
        part = day_part.value
        if role == "this":
            first = last = 0
        elif role in ("last", "past"):
            first, last = (-1, 0) if part == "NI" else (-1, -1)
        else:
            return None
    if cx.published is None:
        return _Hit("date", None, "TIME" if part else "DATE", None)
    pub = cx.published
    return _date_hit(pub + timedelta(days=first), pub + timedelta(days=last), "day", "published", day_part=part)


def _night_of(tokens: list[Token], cx: _Context) -> _Hit | None:
    if tokens[0].value != "NI":
        return None
    first_day, second_day = tokens[1].value[0], tokens[2].value[0]
    if (first_day + 1) % 7 != second_day:
        return None
    if cx.published is None:
        return _UNKNOWN
    second = _weekday_date(cx.published, second_day, None)
    first = second - timedelta(days=1)
    return _Hit("date", DateValue(first, second, "day", "published"), "TIME", f"{first.isoformat()}TNI")


# Words after which "last" is the verb ("expect the battle to last weeks"), not "the previous".
_VERB_LAST_BEFORE = re.compile(r"\b(?:to|will|would|could|can|may|might|should|must|shall|did|does|do)\s+$", re.I)


def _deictic(tokens: list[Token], cx: _Context) -> _Hit | None:
    unit, plural = _sym(tokens, "U").value
    deictic = _sym(tokens, "L")
    role = deictic.value
    if cx.lower[deictic.start:deictic.end] == "last" and \
            _VERB_LAST_BEFORE.search(cx.lower, max(0, deictic.start - 12), deictic.start):
        return None
    counted = _sym(tokens, "Ndav")
    count = None if counted is None or counted.sym == "v" else counted.value
    vague = counted is not None and counted.sym == "v" or (counted is None and plural)
    edge = _sym(tokens, "TE")
    # "afgelopen weekend" is the last weekend, not the last seven days
    period = counted is not None or plural or (role == "past" and unit != "weekend")
    if period:
        # "de afgelopen twee weken", "the past two months", "recent weeks", "de komende dagen": a stretch that
        # ends (or, for "next", starts) at publication
        if role == "this" or edge is not None:
            return None
        n = PLURAL_COUNT if vague else (count or 1)
        tml_value = _duration(None if vague else n, unit)
        if cx.published is None:
            return _Hit("date", None, "DURATION", tml_value)
        pub = cx.published
        try:
            other = _shift(pub, unit, n if role == "next" else -n)
        except (ValueError, OverflowError):
            return None
        first, last = (pub, other) if role == "next" else (other, pub)
        return _Hit("date", _value(first, last, unit, "published"), "DURATION", tml_value)
    if cx.published is None:
        return _UNKNOWN
    offset = {"last": -1, "past": -1, "this": 0, "next": 1}[role]
    anchor = _shift(cx.published, unit, offset)
    if unit == "weekend" and role in ("last", "past"):
        # the most recent weekend that is over: its Sunday before publication
        anchor = cx.published - timedelta(days=cx.published.weekday() + 1)
    first, last = _unit_range(anchor, unit)
    if edge is not None:
        if edge.sym == "T":
            first, last = _part(first, last, unit, edge.value)
        elif edge.value == "before":          # "earlier this week": from its start up to publication
            last = max(first, min(last, cx.published))
        else:                                  # "later this year"
            first = min(last, max(first, cx.published))
    return _Hit("date", _value(first, last, unit, "published"), "DATE", _timeml(anchor, unit))


def _ago(tokens: list[Token], cx: _Context) -> _Hit | None:
    unit = _sym(tokens, "U").value[0]
    counted = _sym(tokens, "Ndav")
    if counted is None or counted.sym == "v":
        return _Hit("vague", None, "DATE", "PAST_REF")
    if cx.published is None:
        return _Hit("ago", None, "DATE", None)
    try:
        anchor = _shift(cx.published, unit, -counted.value)
    except (ValueError, OverflowError):
        return None
    if unit in ("hour", "minute"):
        return _date_hit(anchor, cx.published, "day", "published", kind="ago")
    first, last = _unit_range(anchor, unit)
    return _date_hit(first, min(last, cx.published), unit, "published", value_day=anchor, kind="ago")


def _shift_rule(tokens: list[Token], cx: _Context) -> _Hit | None:
    unit = _sym(tokens, "U").value[0]
    counted = _sym(tokens, "Ndav")
    direction = -1 if _sym(tokens, "E").value == "before" else 1
    if counted.sym == "v" or cx.published is None:
        return _Hit("shift", None, "DATE", None)
    # "twee dagen later" counts from another event, which Kroniek does not know here: the date is None; the
    # TimeML value counts from the document date, as TempEval annotators mostly did.
    try:
        anchor = _shift(cx.published, unit, direction * counted.value)
    except (ValueError, OverflowError):
        return None
    return _Hit("shift", None, "DATE", _timeml(anchor, unit))


def _since(tokens: list[Token], cx: _Context) -> _Hit | None:
    unit = _sym(tokens, "U").value[0]
    count = _count(tokens)
    opener = tokens[0]
    closing_now = tokens[-1].sym == "X"
    if opener.sym == "F" and _sym(tokens, "L") is None and not closing_now:
        return None       # plain "for two months": a duration, read by the duration rule
    if closing_now and tokens[-1].value != "PRESENT_REF":
        return None
    tml_value = _duration(count, unit)
    if cx.published is None:
        return _Hit("since", None, "DURATION", tml_value, trim_first=True, trim_last=closing_now)
    try:
        first = _shift(cx.published, unit, -count)
    except (ValueError, OverflowError):
        return None
    return _Hit("since", _value(first, cx.published, unit, "published"), "DURATION", tml_value,
                trim_first=True, trim_last=closing_now)


def _duration_rule(tokens: list[Token], cx: _Context) -> _Hit | None:
    unit, plural = _sym(tokens, "U").value
    number = _sym(tokens, "Nd")
    if number is not None and any(cx.lower.startswith(suffix, number.end) for suffix in cx.lexicon.age_suffixes):
        return None       # "a 6-year-old boy", "een 31-jarige man": an age
    counted = _sym(tokens, "Ndav")
    if counted is None:
        if unit == "weekend" and not plural and len(tokens) == 1:
            if cx.published is None:
                return _UNKNOWN
            saturday = cx.published - timedelta(days=(cx.published.weekday() - 5) % 7)
            last = min(saturday + timedelta(days=1), cx.published)
            return _Hit("date", _value(saturday, last, "weekend", "published"), "DATE",
                        _timeml(saturday, "weekend"))
        return _Hit("duration", None, "DURATION", _duration(None, unit)) if plural else None
    count = None if counted.sym == "v" else counted.value
    return _Hit("duration", None, "DURATION", _duration(count, unit))


def _quarter(tokens: list[Token], cx: _Context) -> _Hit | None:
    unit = _sym(tokens, "U").value[0]
    number = _sym(tokens, "Oe").value
    if unit != "quarter" or not 1 <= number <= 4:
        return None
    year = _sym(tokens, "y")
    if year is not None:
        year_number, resolved = year.value, "absolute"
    elif cx.published is None:
        return _UNKNOWN
    else:
        current = (cx.published.month - 1) // 3 + 1
        year_number = cx.published.year if number <= current else cx.published.year - 1
        resolved = "published"
    first = date(year_number, 3 * number - 2, 1)
    return _Hit("date", _value(first, _month_end(year_number, 3 * number), "quarter", resolved), "DATE",
                _timeml(first, "quarter"))


def _season_range(year: int, code: str) -> tuple[date, date]:
    first_month, last_month = _SEASON_MONTHS[code]
    if code == "WI":       # winter of a year: its December and the next January-February
        return date(year, 12, 1), _month_end(year + 1, 2)
    return date(year, first_month, 1), _month_end(year, last_month)


def _season(tokens: list[Token], cx: _Context) -> _Hit | None:
    code = _sym(tokens, "s").value
    year = _sym(tokens, "y")
    deictic = _sym(tokens, "L")
    part = _sym(tokens, "T")
    if year is None and deictic is None and part is None and not cx.lexicon.season_cue.search(
            cx.lower, max(0, tokens[0].start - 20), tokens[0].start):
        return None      # "the fall of Mosul", "een hete zomer" are no dates
    if year is not None:
        first, last = _season_range(year.value, code)
        resolved = "absolute"
    elif cx.published is None:
        return _UNKNOWN
    else:
        pub, role = cx.published, deictic.value if deictic else None
        candidates = [_season_range(y, code) for y in (pub.year - 2, pub.year - 1, pub.year, pub.year + 1)]
        if role in ("last", "past"):
            first, last = [c for c in candidates if c[1] < pub][-1]
        elif role == "next":
            first, last = [c for c in candidates if c[0] > pub][0]
        elif role == "this":    # the one we are in, else this year's
            first, last = next((c for c in candidates if c[0] <= pub <= c[1]), _season_range(pub.year, code))
        else:
            first, last = [c for c in candidates if c[0] <= pub][-1]
        resolved = "published"
    if part is not None:
        first, last = _part(first, last, "season", part.value)
    return _Hit("date", _value(first, last, "season", resolved), "DATE", f"{first.year:04d}-{code}")


def _holiday(tokens: list[Token], cx: _Context) -> _Hit | None:
    month, day = tokens[0].value
    year = _sym(tokens, "y")
    holiday = tokens[0]
    if year is None and not _stands_alone(cx.lower, holiday.end, cx.text, cx.lexicon):
        return None       # "a Christmas market": the holiday names a thing, not a day
    return _calendar_day(year.value if year else None, month, day, cx, holiday.start)


def _ref(tokens: list[Token], cx: _Context) -> _Hit | None:
    return _Hit("ref", None, "DATE", tokens[0].value)


def _set(tokens: list[Token], cx: _Context) -> _Hit | None:
    if tokens[0].sym == "G":
        return _Hit("set", None, "SET", tokens[0].value)
    return _Hit("set", None, "SET", _duration(1, tokens[-1].value[0]))


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    handler: Callable[[list[Token], _Context], _Hit | None]
    anchors: str                   # the rule cannot match unless one of these symbols occurs
    determiner: str = ""           # when the match starts with one of these symbols, a "the"/"de"/"het" right
                                   # before it belongs to the expression ("the third quarter", "de jaren negentig")


def _rule(name: str, pattern: str, handler: Callable[[list[Token], _Context], _Hit | None], anchors: str,
          determiner: str = "") -> _Rule:
    return _Rule(name, re.compile(pattern), handler, anchors, determiner)


# The grammar: symbol regexes (gap symbols: ' ' space, ',' comma, '-' dash, '~' filler words, '|' anything else).
RULES: tuple[_Rule, ...] = (
    _rule("numeric", r"(?:W[ ,])?n", _numeric, "n"),
    _rule("day_month", r"(?:[WL][ ,])?[de][ ~][Mm](?:[ ,]y)?", _day_month, "Mm"),
    _rule("month_day", r"(?:[WL][ ,])?[Mm] [de](?:[ ,]y)?", _day_month, "Mm"),
    _rule("day_range", r"[de]-[de] [Mm](?:[ ,]y)?|[Mm] [de]-[de](?:[ ,]y)?", _day_range, "Mm"),
    _rule("month", r"(?:[TL][ ~-])?[Mm](?:[ ,~]y)?", _month, "Mm", determiner="T"),
    _rule("year", r"(?:T[ ~-])?y", _year, "y", determiner="T"),
    _rule("decade", r"(?:T[ ~-])?c|U [Nd]", _decade, "cU", determiner="TcU"),
    _rule("weekday", r"(?:L )?W(?: p)?", _weekday, "W"),
    _rule("weekday_of_week", r"L U W|W L U", _weekday_of_week, "W"),
    _rule("relative_day", r"(?:T )?R(?: p)?|L p", _relative_day, "Rp"),
    _rule("night_of", r"p~W~W", _night_of, "p", determiner="p"),
    _rule("deictic", r"(?:[TE][ ~-])?L(?: Q)?(?: [Ndav])? U", _deictic, "L", determiner="LT"),
    _rule("ago", r"(?:Q )?(?:[Ndav] )?U A", _ago, "A"),
    _rule("shift", r"(?:Q )?[Ndav] U E", _shift_rule, "E"),
    _rule("since", r"S (?:Q )?[Nda] U|F[ ~](?:L )?(?:Q )?[Nda] U(?: X)?", _since, "SF"),
    _rule("duration", r"(?:O )?(?:Q )?[Ndav][ -]U", _duration_rule, "U", determiner="O"),
    _rule("unit", r"U", _duration_rule, "U"),   # "weeks" (a duration), "het weekend" (a date)
    _rule("quarter", r"[Oe][ -]U(?:[ ~]y)?", _quarter, "Oe", determiner="Oe"),
    _rule("season", r"(?:[LT][ ~])?s(?:[ ~]y)?", _season, "s", determiner="sT"),
    _rule("holiday", r"H(?:[ ,]y)?", _holiday, "H"),
    _rule("ref", r"X", _ref, "X"),
    _rule("set", r"G|K U", _set, "GK"),
)

_DETERMINER_BEFORE = re.compile(r"(\w+) $")


def find_timexes(text: str, language: str, published: date | None) -> tuple[Timex, ...]:
    """Every time expression in text, with its DateValue (or None) and its TimeML type and value.

    Args:
        text: the article text; offsets refer to it.
        language: "nl" or "en".
        published: the publication date that relative expressions are resolved against, or None.
    """
    return _find_timexes(text, lower_text(text), language, published)


@lru_cache(maxsize=4096)
def resolve_words(words: str, language: str, published: date) -> DateValue | None:
    """The date these words name when the article is published on ``published`` (the first expression in them);
    consolidation asks this of the date words of an undated article under assumed publication days."""
    found = _find_timexes(words, lower_text(words), language, published)
    return found[0].date if found else None


def _find_timexes(text: str, lower: str, language: str, published: date | None) -> tuple[Timex, ...]:
    lexicon = _lexicon(language)
    tokens = lexicon.scanner.scan(text, lower)
    if not tokens:
        return ()
    symbols = symbolize(tokens, lower, lexicon.gaps)
    present = set(symbols)
    # Every rule match, the longest first (then the earliest, then the rule listed first). A handler runs only
    # for a match that overlaps none already taken, so words inside a longer expression cost nothing more.
    matches: list[tuple[int, int, int, int, int]] = []
    for index, rule in enumerate(RULES):
        if present.isdisjoint(rule.anchors):
            continue
        for match in rule.pattern.finditer(symbols):
            first, last = match.start() >> 1, (match.end() - 1) >> 1
            matches.append((tokens[first].start - tokens[last].end, tokens[first].start, index, first, last))
    matches.sort()
    context = _Context(text, lower, published, lexicon)
    taken = bytearray(len(tokens))
    chosen: list[tuple[int, int, int, _Hit, _Rule]] = []
    for _, start, index, first, last in matches:
        if any(taken[first:last + 1]):
            continue
        rule = RULES[index]
        try:
            hit = rule.handler(tokens[first:last + 1], context)
        except (ValueError, OverflowError):      # a date outside the calendar (day 31 of a 30-day month)
            hit = None
        if hit is None:
            continue
        taken[first:last + 1] = b"\x01" * (last - first + 1)
        chosen.append((start, first, last, hit, rule))
    chosen.sort(key=lambda c: c[0])
    chosen = _years_from_earlier_days(chosen)
    timexes = []
    for start, first, last, hit, rule in chosen:
        end = tokens[last].end
        if tokens[first].sym in rule.determiner or (rule.name == "unit" and hit.kind == "date"):
            before = _DETERMINER_BEFORE.search(lower, max(0, start - 8), start)
            if before and before.group(1) in lexicon.determiners:
                start = before.start(1)
        core_start = tokens[first + 1].start if hit.trim_first else start
        core_end = tokens[last - 1].end if hit.trim_last else end
        timexes.append(Timex(start, end, text[start:end], hit.kind, hit.date, hit.timeml_type, hit.timeml_value,
                             (core_start, core_end)))
    return tuple(timexes)


def _years_from_earlier_days(chosen: list) -> list:
    """A day and month without a year that an earlier date of the article wrote with its year ("op 15 juni 2017
    ... op die 15de juni") is that day: the writer names the year once. Without such a date the year stays the
    one nearest publication (resolved_from "published")."""
    written: dict[tuple[int, int], date] = {}
    out = []
    for start, first, last, hit, rule in chosen:
        value = hit.date
        if value is not None and value.precision == "day" and value.start == value.end:
            key = (value.start.month, value.start.day)
            if value.resolved_from == "absolute":
                written[key] = value.start
            elif value.resolved_from == "published" and key in written and written[key] != value.start:
                day = written[key]
                hit = hit._replace(date=DateValue(day, day, "day", "context"),
                                   timeml_value=day.isoformat() + (hit.timeml_value or "")[10:])
        out.append((start, first, last, hit, rule))
    return out


_LABELS = {"date": "date", "shift": "shift", "since": "since", "ago": "ago"}


def find_dates(text: str, language: str, published: date | None) -> tuple[Span, ...]:
    """Dates and periods an event can be placed at, as spans with a DateValue (None where it cannot be resolved).

    label: "date" (a day or period), "since" (how long something has been going on: "al ruim twee maanden",
    "sinds 2013"; the value runs from its start to publication), "ago" ("twee maanden geleden"), "shift" (a day
    counted from another event: "een dag later", "the next day"; value None).
    Durations ("twee jaar cel"), "nu"/"now" and "daily" are not dates and are left out (see find_timexes).
    """
    spans: list[Span] = []
    lower = lower_text(text)
    for timex in _find_timexes(text, lower, language, published):
        label = _LABELS.get(timex.kind)
        if label is None:
            continue
        start, value = timex.start, timex.date
        if label == "date" and timex.kind == "date":
            # "sinds 2013", "since last week": a date that says since when
            since = _since_before(language).search(lower, max(0, start - 12), start)
            if since is not None:
                start, label = since.start(1), "since"
                if value is not None:
                    value = DateValue(value.start, published if published and published >= value.start
                                      else value.end, value.precision, value.resolved_from)
        spans.append(Span(start, timex.end, text[start:timex.end], label, value, PRODUCER))
    return tuple(_same_period(text, lower, language, spans))


# Characters back from "in dezelfde periode" within which the period it refers to must be named (a sentence or two).
SAME_PERIOD_REACH = 400


def _same_period(text: str, lower: str, language: str, spans: list[Span]) -> list[Span]:
    """ "in dezelfde tijd", "in the same period": the period the nearest earlier date names (data:
    time.<language>.json "same_period"), resolved_from "context"; nothing when no date comes before it in reach."""
    pattern = _same_period_pattern(language)
    if pattern is None or not spans:
        return spans
    out = list(spans)
    for m in pattern.finditer(lower):
        earlier = [s for s in spans if s.end <= m.start() and m.start() - s.end <= SAME_PERIOD_REACH
                   and s.label == "date" and s.value is not None]
        if not earlier or any(s.start < m.end() and m.start() < s.end for s in spans):
            continue
        # "in februari en maart": two months named together are one period, from the first to the last
        last = earlier[-1]
        first = next((s for s in earlier if 0 <= last.start - s.end <= 5), last)
        value = DateValue(first.value.start, last.value.end, last.value.precision, "context")
        out.append(Span(m.start(), m.end(), text[m.start():m.end()], "date", value, PRODUCER))
    out.sort(key=lambda s: s.start)
    return out


@lru_cache(maxsize=None)
def _same_period_pattern(language: str) -> re.Pattern[str] | None:
    words = read_json("lexicons", f"time.{language}.json").get("same_period", [])
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")(?!\w)")


@lru_cache(maxsize=None)
def _since_before(language: str) -> re.Pattern[str]:
    """The language's "since" words right before a date (sinds 2013, since May)."""
    data = read_json("lexicons", f"time.{language}.json")
    words = [w for w, role in data["since"].items() if role == "since"]
    return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, words)) + r") $") if words else re.compile("$^")
