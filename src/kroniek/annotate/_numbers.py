"""Reading numbers in Dutch and English text, and the token scanner the date, quantity and casualty annotators share.

The three annotators work the same way: one regex pass over the lower-cased text finds the words of their lexicon,
digits and number words (``Scanner.scan``); each token gets a one-letter symbol, the text between two tokens a gap
symbol (``symbolize``); and each annotator's grammar is a set of regexes over that short symbol string. That keeps
the words in data files and the grammar in a few readable lines, and costs a fraction of a millisecond per article.

Symbols this module gives number tokens (annotators use other letters for their own words):
    n  numeric date (2016-12-19, 19-12-2016)           value (year, month, day)
    d  digits 0-31, no separators                     value int (a day of the month or a count)
    y  four digits 1000-2099, no separators           value int (a year or a count)
    N  any other number: 2.000 / 2,000 / twaalf / two thousand / 2 miljoen    value int or float
    c  a decade: 1990s, '90s                          value int (1990, 90)
    e  ordinal digits: 3rd, 3e, 22ste                 value int
    O  ordinal word: derde, third                     value int
    a  article that can mean one: een, a, an          value 1
    t  Dutch approximate "-tal": tiental, twintigtal  value int
    #  a number Kroniek cannot read (14.30 in Dutch: a clock time) value None
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Mapping, NamedTuple

from ..datafiles import read_tsv

__all__ = ["Token", "NumberWords", "number_words", "parse_digits", "phrase_pattern", "Scanner", "GapRules",
           "symbolize", "lower_text"]

_WORDS_SEEN_LIMIT = 10_000     # distinct number words remembered per scanner before the memo starts over


class Token(NamedTuple):
    """A word or number found by a Scanner (a NamedTuple: thousands are made per article, cheaply)."""
    start: int
    end: int
    sym: str          # one-letter symbol, see the module docstring
    value: Any


@dataclass(frozen=True, slots=True)
class NumberWords:
    """The rows of numbers.tsv for one language, by kind."""
    morphemes: Mapping[str, tuple[str, int]]      # word -> (kind, value): unit, teen, tens, factor, multiplier
    connectors: frozenset[str]
    articles: frozenset[str]
    ordinals: Mapping[str, int]
    approx_suffixes: tuple[str, ...]
    modifiers: Mapping[str, str]                  # phrase -> min | more | max | approx
    range_open: frozenset[str]
    range_join: frozenset[str]
    pair_join: frozenset[str]
    age_suffixes: tuple[str, ...]


@lru_cache(maxsize=None)
def number_words(language: str) -> NumberWords:
    """numbers.tsv for one language (loaded once)."""
    morphemes: dict[str, tuple[str, int]] = {}
    by_kind: dict[str, dict[str, str]] = {}
    for row in read_tsv("lexicons", "numbers.tsv"):
        if row["language"] != language:
            continue
        kind, phrase = row["kind"], row["phrase"].lower()
        if kind in ("unit", "teen", "tens", "factor", "multiplier"):
            morphemes[phrase] = (kind, int(row["value"]))
        by_kind.setdefault(kind, {})[phrase] = row["value"]
    get = lambda kind: by_kind.get(kind, {})  # noqa: E731
    return NumberWords(
        morphemes=morphemes,
        connectors=frozenset(get("connector")),
        articles=frozenset(get("article")),
        ordinals={k: int(v) for k, v in get("ordinal").items()},
        approx_suffixes=tuple(get("approx_suffix")),
        modifiers=dict(get("modifier")),
        range_open=frozenset(get("range_open")),
        range_join=frozenset(get("range_join")),
        pair_join=frozenset(get("pair_join")),
        age_suffixes=tuple(sorted(get("age_suffix"), key=len, reverse=True)),
    )


def phrase_pattern(phrases: Iterable[str]) -> str:
    """A regex source matching any of the phrases, longest first, written as a character trie.

    Python's regex engine tries alternatives one by one; a trie makes it test one branch per character instead
    of one per phrase (measured: 90 us instead of 2.8 ms for 400 phrases over a 600-word article).
    """
    trie: dict[str, dict] = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # greedy optional: a longer phrase is tried before the shorter one that ends here
        return "(?:" + body + ")?" if "" in node else body

    return emit(trie)


def parse_digits(digits: str, language: str) -> int | float | None:
    """Digits with separators as the language writes them: nl 2.000 / 2,5; en 2,000 / 2.5. None if unreadable."""
    thousands, decimal = (".", ",") if language == "nl" else (",", ".")
    if thousands in digits:
        groups = digits.split(decimal)[0].split(thousands)
        if len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
            return None            # "14.30" in Dutch is a clock time, not fourteen thousand and thirty
    if digits.count(decimal) > 1:
        return None
    plain = digits.replace(thousands, "").replace(decimal, ".")
    try:
        return float(plain) if "." in plain else int(plain)
    except ValueError:
        return None


def _accumulate(parts: list[tuple[str, float]]) -> float:
    """The value of number pieces in reading order: factors multiply, multipliers close a group."""
    total, current = 0.0, 0.0
    for kind, value in parts:
        if kind == "factor":
            current = (current or 1) * value
        elif kind == "multiplier":
            total += (current or 1) * value
            current = 0
        else:
            current += value
    return total + current


def _valid(parts: list[tuple[str, float]]) -> bool:
    """Whether number pieces form one number (vijf-en-twintig, twee-honderd; not tien-tien)."""
    values = [p for p in parts if p[0] != "connector"]
    if not values or parts[0][0] == "connector" or parts[-1][0] == "connector":
        return False
    for i in range(1, len(parts)):
        prev, cur = parts[i - 1], parts[i]
        if cur[0] == "connector":
            # Dutch puts the unit before the tens: vijf-en-twintig
            if not (prev[0] == "unit" and i + 1 < len(parts) and parts[i + 1][0] == "tens"):
                return False
            continue
        if prev[0] == "connector":
            continue
        if cur[0] in ("factor", "multiplier") or prev[0] in ("factor", "multiplier"):
            if prev[0] in ("factor", "multiplier") and cur[0] not in ("factor", "multiplier"):
                if cur[1] >= prev[1]:
                    return False
            continue
        if prev[0] == "tens" and cur[0] == "unit":
            continue
        return False
    return True


class Scanner:
    """Finds a lexicon's phrases, digits and number words in one regex pass over the lower-cased text.

    ``phrases`` maps a lower-case phrase to (symbol, value, cased); cased phrases count only where the text
    writes them with a capital (English month and weekday names). ``numbers`` adds digits and number words.
    ``numeric_dates``: "dmy" and/or "ymd" orders read as one date token. ``whole_compounds``: a phrase never
    matches inside a hyphenated compound ("IS-strijders" is one noun, not "strijders"); not for numbers, whose
    ranges are written "10-20".
    """

    def __init__(self, language: str, phrases: Mapping[str, tuple[str, Any, bool]], numbers: bool = True,
                 numeric_dates: Iterable[str] = (), whole_compounds: bool = False) -> None:
        self.language = language
        self.phrases = dict(phrases)
        self.words = number_words(language)
        # One alternation without capture groups (groups cost a quarter of the scan); what matched is told
        # apart afterwards by its first character and the phrase table.
        alternatives = []
        date_forms = []          # each with four groups: (y, m, d, "") or ("", d, m, y); see _year_month_day
        if numbers and "ymd" in numeric_dates:
            date_forms.append(r"(\d{4})-(\d{1,2})-(\d{1,2})()")
        if numbers and "dmy" in numeric_dates:
            date_forms += [rf"()(\d{{1,2}}){sep}(\d{{1,2}}){sep}(\d{{4}})" for sep in ("-", "/", r"\.")]
        self._numeric_date = re.compile("|".join(date_forms)) if date_forms else None
        if date_forms:    # the same forms without groups, for the scan
            alternatives.append("|".join(form.replace("()", "").replace("(", "(?:") for form in date_forms))
        if numbers:
            alternatives.append(r"\d+(?:[.,]\d+)*(?:st|nd|rd|th|ste|de|e|s)?")
        if self.phrases:
            alternatives.append(phrase_pattern(self.phrases))
        pieces: list[str] = []
        if numbers:
            pieces = list(self.words.morphemes) + list(self.words.connectors)
            suffix = "(?:" + phrase_pattern(self.words.approx_suffixes) + ")?" if self.words.approx_suffixes else ""
            alternatives.append("(?:" + phrase_pattern(pieces + list(self.words.articles)) + ")+" + suffix)
        edge = r"[\w-]" if whole_compounds else r"\w"
        self._pattern = re.compile(rf"(?<!{edge})(?:" + "|".join(alternatives) + rf")(?!{edge})")
        self._pieces = re.compile(phrase_pattern(sorted(pieces, key=len, reverse=True))) if pieces else None
        self._digit_parts = re.compile(r"(\d+(?:[.,]\d+)*)(\D*)")
        # number words recur ("een", "twee"); reading each once per scanner keeps the scan loop cheap. Bounded:
        # only words made of number pieces get here.
        self._words_seen: dict[str, tuple[str | None, Any, list | None]] = {}

    def scan(self, text: str, lower: str) -> list[Token]:
        """Tokens in text order (``lower`` = lower_text(text)); adjacent number words are merged (two thousand,
        2 miljoen, twenty-five)."""
        tokens: list[Token] = []
        parts_of: dict[int, list[tuple[str, float]]] = {}     # token index -> number pieces, for merging
        phrases, words_seen = self.phrases, self._words_seen
        for match in self._pattern.finditer(lower):
            found = match.group()
            start = match.start()
            entry = phrases.get(found)
            if entry is not None:
                sym, value, cased = entry
                if cased and not text[start].isupper():
                    continue
                tokens.append(Token(start, match.end(), sym, value))
            elif found[0].isdigit():
                date_match = self._numeric_date.fullmatch(found) if self._numeric_date else None
                if date_match is not None:
                    tokens.append(Token(start, match.end(), "n", _year_month_day(date_match.groups())))
                    continue
                digits, suffix = self._digit_parts.fullmatch(found).groups()
                token, parts = self._digits(digits, suffix, start, match.end())
                if parts:
                    parts_of[len(tokens)] = parts
                tokens.append(token)
            else:
                read = words_seen.get(found)
                if read is None:
                    if len(words_seen) >= _WORDS_SEEN_LIMIT:
                        words_seen.clear()
                    read = words_seen[found] = self._read_word(found)
                sym, value, parts = read
                if sym is None:
                    continue
                if parts:
                    parts_of[len(tokens)] = parts
                tokens.append(Token(start, match.end(), sym, value))
        return self._merge(tokens, parts_of, lower) if parts_of else tokens

    def _read_word(self, found: str) -> tuple[str | None, Any, list[tuple[str, float]] | None]:
        """A number word, with the Dutch "-tal" (tiental) split off first."""
        for suffix in self.words.approx_suffixes:
            if found.endswith(suffix) and len(found) > len(suffix):
                sym, value, _ = self._word(found[:-len(suffix)], suffix)
                if sym is not None:
                    return sym, value, None
        return self._word(found, None)

    def _digits(self, digits: str, suffix: str | None, start: int, end: int
                ) -> tuple[Token, list[tuple[str, float]] | None]:
        if suffix:
            if suffix == "s":
                if len(digits) in (2, 4) and digits.endswith("0"):
                    return Token(start, end, "c", int(digits)), None
                return Token(start, end, "#", None), None
            if digits.isdigit() and len(digits) <= 2:
                return Token(start, end, "e", int(digits)), None
            return Token(start, end, "#", None), None
        value = parse_digits(digits, self.language)
        if value is None:
            return Token(start, end, "#", None), None
        if digits.isdigit():
            if len(digits) <= 2 and value <= 31:
                return Token(start, end, "d", value), [("digits", value)]
            if len(digits) == 4 and 1000 <= value <= 2099:
                return Token(start, end, "y", value), [("digits", value)]
        return Token(start, end, "N", value), [("digits", value)]

    def _word(self, word: str, tal: str | None) -> tuple[str | None, Any, list[tuple[str, float]] | None]:
        """(symbol, value, pieces) of one number word; symbol None if it is not a number after all."""
        words = self.words
        if word in words.articles and not tal:
            return "a", 1, [("article", 1)]
        parts: list[tuple[str, float]] = []
        position = 0
        while position < len(word):
            piece = self._pieces.match(word, position)
            if piece is None or piece.end() == position:
                return None, None, None
            text = piece.group()
            if text in words.connectors:
                parts.append(("connector", 0))
            elif text in words.morphemes:
                parts.append(words.morphemes[text])
            else:
                return None, None, None
            position = piece.end()
        if not _valid(parts):
            return None, None, None
        value = int(_accumulate(parts))
        if tal:
            return "t", value, None
        return "N", value, parts

    def _merge(self, tokens: list[Token], parts_of: dict[int, list[tuple[str, float]]], lower: str) -> list[Token]:
        """Join number tokens that are one number: "two thousand", "2 miljoen", "twenty-five", "a hundred"."""
        merged: list[Token] = []
        merged_parts: list[list[tuple[str, float]] | None] = []
        for index, token in enumerate(tokens):
            parts = parts_of.get(index)
            if parts is not None and merged and merged_parts[-1] is not None:
                previous, previous_parts = merged[-1], merged_parts[-1]
                gap = lower[previous.end:token.start]
                joined = previous_parts + parts
                if self._joinable(previous_parts, parts, gap) and _valid(_as_pieces(joined)):
                    value = _accumulate([p for p in _as_pieces(joined) if p[0] != "connector"])
                    value = int(value) if float(value).is_integer() else value
                    merged[-1] = Token(previous.start, token.end, "N", value)
                    merged_parts[-1] = joined
                    continue
            merged.append(token)
            merged_parts.append(parts)
        # an article or a lone digit that merged with nothing keeps its own symbol (set when scanned)
        return merged

    @staticmethod
    def _joinable(left: list[tuple[str, float]], right: list[tuple[str, float]], gap: str) -> bool:
        if gap not in (" ", "-", "\u2011") and gap.strip(" ") not in ("and", "en"):
            return False
        and_gap = gap.strip(" ") in ("and", "en")
        if right[0][0] in ("digits", "article"):
            return False            # "2 3", "twee 3": two numbers
        if left[-1][0] == "article" and right[0][0] not in ("factor", "multiplier"):
            return False            # "een twee" is not a number; "een miljoen" is
        if left[-1][0] == "digits" and right[0][0] not in ("factor", "multiplier"):
            return False
        if and_gap:                 # "one hundred and twenty" but not "ten and twenty"
            return left[-1][0] in ("factor", "multiplier") and right[0][0] not in ("factor", "multiplier")
        return True


def _year_month_day(groups: tuple[str | None, ...]) -> tuple[int, int, int]:
    """(year, month, day) from the groups of the numeric-date forms: four each, (y, m, d, "") or ("", d, m, y)."""
    for i in range(0, len(groups), 4):
        chunk = groups[i:i + 4]
        if chunk[1] is not None:
            if chunk[0]:
                return int(chunk[0]), int(chunk[1]), int(chunk[2])
            return int(chunk[3]), int(chunk[2]), int(chunk[1])
    raise ValueError("no numeric date form matched")


def _as_pieces(parts: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Digits and articles count as units for validity and value (2 miljoen = 2 x 1000000)."""
    out = []
    for kind, value in parts:
        if kind in ("digits", "article"):
            out.append(("unit" if value < 10 else "number", value))
        else:
            out.append((kind, value))
    # "number" (a digit run >= 10) behaves like a unit before a factor/multiplier: 25 miljoen
    return [("unit", v) if k == "number" else (k, v) for k, v in out]


@dataclass(frozen=True, slots=True)
class GapRules:
    """How the text between two tokens is written as one symbol.

    ' ' only spaces (or one apostrophe: jaren '90); ',' a comma; '-' a dash; '/' a slash; '~' only filler words
    (of, van, the, de); specials: exact gap words with their own symbol (tot -> 'r'); then, up to ``max_words``
    plain words with no punctuation and no clause break: '^' only light words (were, werden, daarbij) and fillers,
    '1' one other word besides those ("moslims werden"), '_' more; '|' anything else (a sentence end, a long
    stretch).
    """
    fillers: frozenset[str] = frozenset()
    specials: Mapping[str, str] | None = None
    max_words: int = 0
    breakers: frozenset[str] = frozenset()
    light: frozenset[str] = frozenset()


# Words separated by single spaces; a hyphen may join the parts of one word ("anti-IS-coalitie").
_PLAIN_WORDS = re.compile(r"[\w']+(?:-[\w']+)*(?: [\w']+(?:-[\w']+)*)*")
_PUNCTUATION_GAPS = {"-": "-", "\u2013": "-", "\u2014": "-", "\u2011": "-", ",": ",", "/": "/", "'": " "}


def symbolize(tokens: list[Token], lower: str, rules: GapRules) -> str:
    """The symbol string: token i at position 2i, the gap after it at 2i+1 (the last gap is '|')."""
    out: list[str] = []
    fillers, specials, max_words, breakers = rules.fillers, rules.specials or {}, rules.max_words, rules.breakers
    light = rules.light
    longest = max(60, 12 * max_words)
    previous_end = None
    for token in tokens:
        if previous_end is not None:
            gap = lower[previous_end:token.start]
            if gap == " ":
                out.append(" ")
            elif len(gap) > longest or "\n\n" in gap:
                out.append("|")
            else:
                stripped = gap.strip()
                words = stripped.split()
                joined = " ".join(words)
                if not stripped:
                    out.append(" ")
                elif joined in specials:
                    out.append(specials[joined])
                elif joined in _PUNCTUATION_GAPS:
                    out.append(_PUNCTUATION_GAPS[joined])
                elif fillers and len(words) <= 3 and all(w in fillers for w in words):
                    out.append("~")
                elif (max_words and len(words) <= max_words and _PLAIN_WORDS.fullmatch(joined)
                      and not any(w in breakers for w in words)):
                    content = sum(1 for w in words if w not in light and w not in fillers)
                    out.append("^" if content == 0 else "1" if content == 1 and light else "_")
                else:
                    out.append("|")
        out.append(token.sym)
        previous_end = token.end
    out.append("|")
    return "".join(out)


def lower_text(text: str) -> str:
    """Lower-cased text with the same length (offsets stay valid)."""
    lower = text.lower()
    if len(lower) != len(text):
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lower
