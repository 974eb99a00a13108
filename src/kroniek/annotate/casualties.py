"""Casualty counts: a quantity bound to words that say people died or were hurt.

"minstens twaalf doden", "tientallen gewonden", "kwamen twaalf mensen om het leven", "raakten gewond",
"at least 12 people were killed", "killing 12", "12 dead", "three wounded", "the death toll rose to 12".
Conservative: no count, no casualty; the exceptions are an explicit singular ("een dode", "a policeman was killed",
"één persoon kwam om het leven": 1) and an explicit zero ("geen doden", "no one was hurt": 0). A figure for dead
and injured together ("doden en gewonden", "casualties", "slachtoffers") is not split and gives no span.
The words are in data/lexicons/casualties.tsv; the grammar (below) combines them with the spans of
find_quantities, so "minstens twaalf" keeps its Quantity(12, None).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from ..datafiles import read_tsv
from ..records import Quantity, Span
from ._numbers import GapRules, Scanner, Token, lower_text, symbolize
from .quantities import find_quantities

__all__ = ["find_casualties"]

PRODUCER = "casualties"

# casualties.tsv kind -> grammar symbol
_SYMBOLS = {
    "fatal_noun": "f", "fatal_noun_one": "g", "injury_noun": "i", "injury_noun_one": "j",
    "fatal_pred": "V", "injury_pred": "I", "fatal_both": "L", "injury_both": "W",
    "fatal_head": "H", "fatal_tail": "T", "injury_head": "G", "fatal_verb": "K", "injury_verb": "k",
    "fatal_verb_final": "Y",
    "fatal_cost": "C", "fatal_toll": "D", "injury_toll": "E", "person": "P", "person_one": "p",
    "article": "a", "zero": "Z", "combined": "x",
}
# Words allowed between a count and its verb ("12 mensen zijn daarbij om het leven gekomen"). Set on the Dutch
# development articles (dutch_news_dev) and tests/test_casualties.py; re-run both after a change.
MAX_GAP_WORDS = 4
# No count of people dead or hurt is larger than the toll of the Second World War (~70–85 million dead): a bigger
# figure ("killing 3000000000 people") is a typo or a joke, not a casualty count, and is not read as one (it would
# not fit the database's INTEGER columns either, whose limit is 2^31 - 1).
MAX_CASUALTIES = 100_000_000


@dataclass(frozen=True, slots=True)
class _Lexicon:
    scanner: Scanner
    gaps: GapRules


@lru_cache(maxsize=None)
def _lexicon(language: str) -> _Lexicon:
    """casualties.tsv for one language as a scanner (built once)."""
    phrases: dict[str, tuple[str, object, bool]] = {}
    gap_words: dict[str, set[str]] = {"clause_break": set(), "auxiliary": set(), "filler": set()}
    for row in read_tsv("lexicons", "casualties.tsv"):
        if row["language"] != language:
            continue
        if row["kind"] in gap_words:
            gap_words[row["kind"]].add(row["phrase"].lower())
        else:
            phrases.setdefault(row["phrase"].lower(), (_SYMBOLS[row["kind"]], None, False))
    return _Lexicon(Scanner(language, phrases, numbers=False),
                    GapRules(fillers=frozenset(gap_words["filler"]), max_words=MAX_GAP_WORDS,
                             breakers=frozenset(gap_words["clause_break"]), light=frozenset(gap_words["auxiliary"])))


# Gap symbols (see _numbers.GapRules): ' ' none, '~' fillers, '^' only auxiliaries, '1' one other word, '_' more.
_GAP = "[ _^1]"                            # any short gap inside a clause
_NEAR = "[ ^1]"                            # at most one word besides auxiliaries
_COUNT = r"N(?:[ ~^1][Pp])?"               # "twaalf mensen", "twee andere leerlingen", "12 people", "tientallen"
# a count, then its verb: with a person noun the verb may be a few words on ("twaalf mensen kwamen bij de aanslag
# om het leven"); without one, at most one word between ("vijftig moslims werden gedood", "12 were killed") -- not
# "meerdere schoten te hebben gedood"
_SUBJECT = rf"N(?:[ ~^1][Pp]{_GAP}|{_NEAR})"
_ACTIVE_NEXT = r"(?![ ~][NaPpZ])"          # "gunmen killed 12" is not "12 killed": no object may follow
_FATAL_PRED = rf"(?:V|L{_ACTIVE_NEXT}|H{_GAP}[VLT])"
_INJURY_PRED = rf"(?:I|W{_ACTIVE_NEXT}|G{_GAP}I)"
# after "no one"/"a policeman", with the gap before it: "was killed" yes, "killed" (active) no
_FATAL_PRED_PASSIVE = rf"(?:{_GAP}V|[_^1]L|{_GAP}H{_GAP}[VLT])"
_INJURY_PRED_PASSIVE = rf"(?:{_GAP}I|[_^1]W|{_GAP}G{_GAP}I)"
_ONE = rf"a{_GAP}p"                        # "een agent", "a young policeman"

# (label, pattern, what the count is): "count" = the quantity in the match, "one" = 1, "zero" = 0
RULES: tuple[tuple[str, re.Pattern[str], str], ...] = tuple((label, re.compile(pattern), count) for label, pattern,
                                                             count in (
    ("fatalities", r"N[ ~][fg](?: [Pp])?", "count"),                        # twaalf doden, 12 dead
    ("fatalities", rf"{_SUBJECT}{_FATAL_PRED}", "count"),                   # 12 mensen kwamen om het leven
    ("fatalities", r"N[ ~][Pp] f", "count"),                                # 12 people dead
    ("fatalities", rf"H{_GAP}{_COUNT}{_GAP}T", "count"),                    # kwamen 12 mensen om het leven
    ("fatalities", rf"[KL][ ~]{_COUNT}", "count"),                          # killing 12, doodde er 3
    ("fatalities", rf"{_COUNT}{_GAP}Y", "count"),                           # die drie bezoekers doodschoot
    ("fatalities", rf"{_COUNT}{_GAP}K{_ACTIVE_NEXT}", "count"),             # dat de groep 128 herders vermoordde
    ("fatalities", rf"C[ ~]{_COUNT}{_GAP}T", "count"),                      # kostte 12 mensen het leven
    ("fatalities", r"D[ ~_^1]N", "count"),                                  # het dodental steeg tot 12
    ("fatalities", r"a[ ~]g", "one"),                                       # een dode
    ("fatalities", rf"{_ONE}{_FATAL_PRED_PASSIVE}", "one"),                 # a policeman was killed
    ("fatalities", rf"H{_GAP}{_ONE}{_GAP}T", "one"),                        # kwam een agent om het leven
    ("fatalities", r"Z[ ~][fg]", "zero"),                                   # geen doden, no deaths
    ("fatalities", rf"Z(?:[ ~][Pp])?{_FATAL_PRED_PASSIVE}", "zero"),        # no one was killed
    ("fatalities", r"Z[ ~]x", "zero"),                                      # geen doden of gewonden
    ("injuries", r"N[ ~][ijW](?: [Pp])?", "count"),                         # tientallen gewonden, 3 wounded
    ("injuries", rf"{_SUBJECT}{_INJURY_PRED}", "count"),                    # 12 mensen raakten gewond
    ("injuries", rf"G{_GAP}{_COUNT}{_GAP}I", "count"),                      # raakten 12 mensen gewond
    ("injuries", rf"[kW][ ~]{_COUNT}", "count"),                            # wounding 48
    ("injuries", r"E[ ~_^1]N", "count"),                                    # het aantal gewonden is 30
    ("injuries", r"a[ ~]j", "one"),                                         # een zwaargewonde
    ("injuries", rf"{_ONE}{_INJURY_PRED_PASSIVE}", "one"),                  # a man was injured
    ("injuries", rf"G{_GAP}{_ONE}{_GAP}I", "one"),                          # raakte een agent gewond
    ("injuries", r"Z[ ~][ijW]", "zero"),                                    # geen gewonden, no injuries
    ("injuries", rf"Z(?:[ ~][Pp])?{_INJURY_PRED_PASSIVE}", "zero"),         # nobody was hurt
    ("injuries", r"Z[ ~]x", "zero"),
))


def find_casualties(text: str, language: str, quantities: tuple[Span, ...] | None = None) -> tuple[Span, ...]:
    """Fatality and injury counts; label "fatalities" or "injuries", value Quantity, span = count + casualty words.

    Args:
        quantities: the spans of find_quantities for this text, if already computed (they are reused).
    """
    if quantities is None:
        quantities = find_quantities(text, language)
    lexicon = _lexicon(language)
    lower = lower_text(text)
    words = lexicon.scanner.scan(text, lower)
    tokens = _merge(words, quantities)
    if not tokens:
        return ()
    symbols = symbolize(tokens, lower, lexicon.gaps)
    candidates: list[tuple[int, int, int, int, str, Quantity]] = []
    for label, pattern, count in RULES:
        for match in pattern.finditer(symbols):
            first, last = match.start() // 2, (match.end() - 1) // 2
            if count == "count":
                quantity = next(t.value for t in tokens[first:last + 1] if t.sym == "N")
                if not _plausible(quantity):
                    continue
            else:
                quantity = Quantity(1, 1) if count == "one" else Quantity(0, 0)
            candidates.append((tokens[first].start, tokens[last].end, first, last, label, quantity))
    taken: dict[str, set[int]] = {"fatalities": set(), "injuries": set()}
    spans = []
    # longest first; a fatality and an injury span may share words ("geen doden of gewonden") but not a label
    for start, end, first, last, label, quantity in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        indices = range(first, last + 1)
        other = taken["injuries" if label == "fatalities" else "fatalities"]
        shared = _shares_count(tokens, indices, other) and not any(tokens[i].sym == "x" for i in indices)
        if any(i in taken[label] for i in indices) or shared:
            continue
        taken[label].update(indices)
        spans.append(Span(start, end, text[start:end], label, quantity, PRODUCER))
    spans.sort(key=lambda s: (s.start, s.label))
    return tuple(spans)


def _plausible(quantity: Quantity) -> bool:
    return all(v is None or 0 <= v <= MAX_CASUALTIES for v in (quantity.min, quantity.max))


def _shares_count(tokens: list[Token], indices: range, other: set[int]) -> bool:
    """Whether a candidate uses a count already given to the other label (one number is dead or injured)."""
    return any(i in other and tokens[i].sym in "NaZ" for i in indices)


def _merge(words: list[Token], quantities: tuple[Span, ...]) -> list[Token]:
    """Casualty words and quantity spans in one token list; where they overlap the longer one stays
    ("no one" beats the quantity "one"; the quantity "een paar" beats the article "een")."""
    if not quantities:
        return words
    starts = [w.start for w in words]
    dropped: set[int] = set()
    kept_quantities = []
    for quantity in quantities:
        if quantity.value is None:
            continue
        index = max(bisect_left(starts, quantity.start) - 1, 0)
        overlapping = []
        while index < len(words) and words[index].start < quantity.end:
            if words[index].end > quantity.start:
                overlapping.append(index)
            index += 1
        length = quantity.end - quantity.start
        if any(words[i].end - words[i].start > length for i in overlapping):
            continue
        dropped.update(overlapping)
        kept_quantities.append(Token(quantity.start, quantity.end, "N", quantity.value))
    tokens = [w for i, w in enumerate(words) if i not in dropped] + kept_quantities
    tokens.sort(key=lambda t: t.start)
    return tokens
