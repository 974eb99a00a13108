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
from .lexicons import articles
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
    "article": "a", "zero": "Z", "combined": "x", "person_pronoun": "o",
}
# Words allowed between a count and its verb ("12 mensen zijn daarbij om het leven gekomen", "Drie mannen zijn
# zaterdag bij de beschieting omgekomen"), per language: Dutch puts its participle at the end of the clause. Set on
# the Dutch development articles (dutch_news_dev) and tests/test_casualties.py. Dutch 4 -> 6 in stop 34 changed two
# spans in all EventDNA train+dev and dutch_news_dev texts, both right ("Dodentol in Puerto Rico loopt op tot 34");
# English 6 would change two in CASE 2021 dev, MUC-4 dev and the demo texts, one wrong ("thousands of people queued
# to give blood for the injured"), so it stays 4. Re-run both after a change.
MAX_GAP_WORDS = {"nl": 6}
DEFAULT_GAP_WORDS = 4
# Words between a count (with its person word) and a hospital phrase: "375 mensen liggen nog in het ziekenhuis".
HOSPITAL_GAP_WORDS = 3
# No count of people dead or hurt is larger than the toll of the Second World War (~70–85 million dead): a bigger
# figure ("killing 3000000000 people") is a typo or a joke, not a casualty count, and is not read as one (it would
# not fit the database's INTEGER columns either, whose limit is 2^31 - 1).
MAX_CASUALTIES = 100_000_000


@dataclass(frozen=True, slots=True)
class _Lexicon:
    scanner: Scanner
    gaps: GapRules
    not_nouns: frozenset[str]     # words that end the noun of a list item ("drie vrouwen, ... en twee mannen")
    people_one: frozenset[str]    # person_one words ("a civilian", "een bewaker")
    conjunction: str              # "and" / "en"
    passive: frozenset[str]       # auxiliaries and words that may stand between "X and Y" and their verb
    hospital: frozenset[str] = frozenset()   # "in het ziekenhuis", "in hospital": the count there is wounded
    relative: frozenset[str] = frozenset()   # "die", "who": a relative clause about one person ("de vrouw die omkwam")
    object_pronouns: frozenset[str] = frozenset()   # "hem", "him": the person did it ("de man die hem doodschoot")
    instruments: frozenset[str] = frozenset()   # "schoten", "bullets": a count of these counts no people
    indefinite_articles: frozenset[str] = frozenset()   # "een", "a" (lexicons/articles.tsv): "een auto en een bus"
    ages: re.Pattern[str] | None = None   # ages after a person: never a count (see _age_pattern)


@lru_cache(maxsize=None)
def _lexicon(language: str) -> _Lexicon:
    """casualties.tsv for one language as a scanner (built once)."""
    phrases: dict[str, tuple[str, object, bool]] = {}
    gap_words: dict[str, set[str]] = {"clause_break": set(), "auxiliary": set(), "filler": set(),
                                      "list_stop": set(), "conjunction": set(), "passive": set(), "hospital": set(),
                                      "relative": set(), "object_pronoun": set(), "instrument": set(),
                                      "age_marker": set(), "age_unit": set()}
    for row in read_tsv("lexicons", "casualties.tsv"):
        if row["language"] != language:
            continue
        if row["kind"] in gap_words:
            gap_words[row["kind"]].add(row["phrase"].lower())
        else:
            phrases.setdefault(row["phrase"].lower(), (_SYMBOLS[row["kind"]], None, False))
    not_nouns = frozenset().union(*(gap_words[k] for k in ("clause_break", "auxiliary", "filler", "list_stop")))
    people_one = frozenset(p for p, (sym, _, _) in phrases.items() if sym == "p")
    max_words = MAX_GAP_WORDS.get(language, DEFAULT_GAP_WORDS)
    return _Lexicon(Scanner(language, phrases, numbers=False, whole_compounds=True),
                    GapRules(fillers=frozenset(gap_words["filler"]), max_words=max_words,
                             breakers=frozenset(gap_words["clause_break"]), light=frozenset(gap_words["auxiliary"])),
                    not_nouns, people_one, min(gap_words["conjunction"] or {"and"}),
                    frozenset(gap_words["passive"]), frozenset(gap_words["hospital"]), frozenset(gap_words["relative"]),
                    frozenset(gap_words["object_pronoun"]), frozenset(gap_words["instrument"]),
                    frozenset(articles(language, "indefinite")),
                    _age_pattern(gap_words["age_marker"], gap_words["age_unit"],
                                 gap_words["auxiliary"] | gap_words["passive"] | {
                                     p for p, (sym, _, _) in phrases.items() if sym in "VIYLWHGKk"}))


# An age: 0-120 (a larger figure after "van" or between commas is a count or something else).
_AGE = r"(?:1[01]\d|120|\d{1,2})(?!\d)"


# How far before and after a figure an age form may reach ("Palestijnen van 13 en 24 jaar", "aged 23 and 25")
_AGE_REACH_BEFORE, _AGE_REACH_AFTER = 24, 48


def _ages(lower: str, tokens: list[Token], pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """The spans of ages (_age_pattern), searched only around the text's figures of two or three digits (a search
    of the whole text cost as much as the rest of find_casualties)."""
    found: list[tuple[int, int]] = []
    for token in tokens:
        if token.sym != "N" or not lower[token.start:token.end].isdigit() or token.end - token.start > 3 or (
                found and token.start < found[-1][1]):
            continue
        end = lower.find(" ", token.end + _AGE_REACH_AFTER)     # a window that ends between words
        for m in pattern.finditer(lower, max(0, token.start - _AGE_REACH_BEFORE), len(lower) if end < 0 else end):
            if m.start() <= token.start < m.end():
                found.append(m.span())
                break
    return found


def _age_pattern(markers: set[str], units: set[str], verbs: set[str]) -> re.Pattern[str]:
    """Ages written after a person: "(13)"; ", 23 and 25,"; "aged 23"; "van 13 en 24" followed by a unit ("jaar"),
    a clause mark, an auxiliary or a casualty verb, not by a noun ("een groep van 13 mensen" is a count)."""
    def words(options: set[str]) -> str:
        return "|".join(sorted(map(re.escape, options), key=len, reverse=True))
    ages = rf"{_AGE}(?:\s*(?:,|en|and|&)\s*{_AGE})*"
    forms = [rf"(?<=[^\W\d_])\s*\(\s*{_AGE}\s*\)", rf"(?<=[^\W\d_]),\s*{ages}\s*,"]
    if markers:
        ends = [r"(?=\s*[,.;:()]|\s*$)"]
        if units:
            ends.append(rf"\s+(?:{words(units)})\b")
        if verbs:
            ends.append(rf"(?=\s+(?:{words(verbs)})\b)")
        forms.append(rf"\b(?:{words(markers)})\s+{ages}(?:{'|'.join(ends)})")
    return re.compile("|".join(f"(?:{form})" for form in forms))


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
# after "no one"/"a policeman", with the gap before it: "was killed" yes, "killed" (active) no, nor a verb with a
# count after it ("a man kidnapped and killed three caregivers": the man is the killer, the three the dead)
_COUNTED_OBJECT = r"(?![ ~]N)"
_FATAL_PRED_PASSIVE = rf"(?:{_GAP}V|[_^1]L{_COUNTED_OBJECT}|{_GAP}H{_GAP}[VLT])"
_INJURY_PRED_PASSIVE = rf"(?:{_GAP}I|[_^1]W{_COUNTED_OBJECT}|{_GAP}G{_GAP}I)"
_AN_ONE = rf"a{_GAP}p"                     # "een agent", "a young policeman"
_ONE = rf"(?:{_AN_ONE}|o)"                 # ... or "hij", "he" as the subject ("Hij raakte zwaargewond")
_INVERTED = "(?:[ ~]o)?"                   # the Dutch subject pronoun after its verb ("doodde hij twee mensen")
# the Dutch middle field between a split verb and its subject may hold a phrase with an article ("kwamen bij een
# aanslag in Istanboel 39 mensen om"); an article right before the count is no such phrase
_MIDDLE = rf"(?:{_GAP}a(?=_))?{_GAP}"

# (label, pattern, what the count is): "count" = the quantity in the match, "one" = 1, "zero" = 0
RULES: tuple[tuple[str, re.Pattern[str], str], ...] = tuple((label, re.compile(pattern), count) for label, pattern,
                                                             count in (
    ("fatalities", r"N[ ~][fg](?: [Pp])?", "count"),                        # twaalf doden, 12 dead
    ("fatalities", rf"{_SUBJECT}{_FATAL_PRED}", "count"),                   # 12 mensen kwamen om het leven
    ("fatalities", r"N[ ~][Pp] f", "count"),                                # 12 people dead
    ("fatalities", rf"H{_MIDDLE}{_COUNT}{_GAP}T", "count"),                 # kwamen 12 mensen om het leven
    ("fatalities", rf"[KL]{_INVERTED}[ ~]{_COUNT}", "count"),               # killing 12, doodde er 3, doodde hij 3
    ("fatalities", rf"K{_INVERTED}{_GAP}N[ ~^1][Pp]", "count"),
    ("fatalities", r"V N[ ~^1][Pp]", "count"),                              # shot dead four people                        # doodde drie jaar geleden 20 mensen
    ("fatalities", rf"{_COUNT}{_GAP}Y", "count"),                           # die drie bezoekers doodschoot
    ("fatalities", rf"{_COUNT}{_GAP}K{_ACTIVE_NEXT}", "count"),             # dat de groep 128 herders vermoordde
    ("fatalities", rf"C(?:[ ~]|{_MIDDLE}){_COUNT}{_GAP}T", "count"),        # kostte (zondag) 12 mensen het leven
    ("fatalities", r"D[ ~_^1]N", "count"),                                  # het dodental steeg tot 12
    ("fatalities", r"a[ ~]g", "one"),                                       # een dode
    ("fatalities", rf"{_ONE}{_FATAL_PRED_PASSIVE}", "one"),                 # a policeman was killed
    ("fatalities", rf"H{_GAP}{_ONE}{_GAP}T", "one"),                        # kwam een agent om het leven
    ("fatalities", rf"K[ ~^]{_AN_ONE}", "one"),                             # doodde (ook) een agent, killing a soldier
    ("fatalities", rf"V[ ~]{_AN_ONE}", "one"),                              # shot dead a policeman
    ("fatalities", r"Z[ ~][fg]", "zero"),                                   # geen doden, no deaths
    ("fatalities", rf"Z(?:[ ~][Pp])?{_FATAL_PRED_PASSIVE}", "zero"),        # no one was killed
    ("fatalities", r"Z[ ~]x", "zero"),                                      # geen doden of gewonden
    ("injuries", r"N[ ~][ijW](?: [Pp])?", "count"),                         # tientallen gewonden, 3 wounded
    ("injuries", rf"{_SUBJECT}{_INJURY_PRED}", "count"),                    # 12 mensen raakten gewond
    ("injuries", rf"G{_MIDDLE}{_COUNT}{_GAP}I", "count"),                   # raakten 12 mensen gewond
    ("injuries", rf"[kW]{_INVERTED}[ ~]{_COUNT}", "count"),                 # wounding 48, verwondde hij 3
    ("injuries", rf"k[ ~^]{_AN_ONE}", "one"),                               # verwondden (ook) een agent
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
    merged = _merge(words, quantities)
    ages = _ages(lower, merged, lexicon.ages) if lexicon.ages is not None else []
    if ages:    # an age is no count, and the people's verb is read across it: blanked out (offsets stay valid)
        merged = [t for t in merged if not any(a <= t.start < b for a, b in ages)]
        for a, b in ages:
            lower = lower[:a] + " " * (b - a) + lower[b:]
    tokens = _sum_lists(merged, lower, lexicon)
    if not tokens:
        return ()
    symbols = symbolize(tokens, lower, lexicon.gaps)
    candidates: list[tuple[int, int, int, int, str, Quantity]] = []
    for label, pattern, count in RULES:
        for match in pattern.finditer(symbols):
            first, last = match.start() // 2, (match.end() - 1) // 2
            if count == "count":
                number = next(t for t in tokens[first:last + 1] if t.sym == "N")
                quantity = number.value
                if not _plausible(quantity) or _counts_instruments(lower, number.end, lexicon):
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
    spans.extend(_unnumbered(text, lower, tokens, lexicon, taken, spans, language))
    spans.extend(_in_hospital(text, lower, tokens, lexicon, spans))
    spans.extend(_relative_one(text, lower, tokens, lexicon, spans))
    spans.sort(key=lambda s: (s.start, s.label))
    return tuple(spans)


_NEXT_WORD = re.compile(r"\s+([^\W\d_][\w-]*)(?:\s+([^\W\d_][\w-]*))?")


def _counts_instruments(lower: str, end: int, lexicon: _Lexicon) -> bool:
    """Whether the count ending at `end` counts shots, bullets or blows ("met meerdere schoten gedood": one victim,
    not several), i.e. the word or two words after it are an instrument noun ("twaalf messteken", "three stab
    wounds")."""
    found = _NEXT_WORD.match(lower, end)
    if found is None:
        return False
    one = found.group(1)
    return one in lexicon.instruments or (found.group(2) is not None and f"{one} {found.group(2)}" in lexicon.instruments)


# One list item after a count: its noun (one to three words), e.g. "vier kinderen", "two rubber tappers".
_ITEM_NOUN = re.compile(r" ([^\W\d_][\w'-]*)(?: ([^\W\d_][\w'-]*))?(?: ([^\W\d_][\w'-]*))?")


def _item_end(lower: str, at: int, lexicon: _Lexicon) -> int | None:
    """Where the noun of a list item that starts with a count ending at `at` ends; None if no noun follows."""
    m = _ITEM_NOUN.match(lower, at)
    if not m:
        return None
    end = None
    for group in range(1, 4):
        word = m.group(group)
        if word is None or word in lexicon.not_nouns or word == lexicon.conjunction:
            break
        end = m.end(group)
    return end


def _sum_lists(tokens: list[Token], lower: str, lexicon: _Lexicon) -> list[Token]:
    """Counts of a list as one count: "three women, four children and two men" = 9, "vier soldaten en een burger" = 5.

    A list is counts, each with its noun, joined by commas and closed by "and"/"en" before the last item (a count or
    "a"/"een" with a person word). "12 people, including two foreigners" is no list (no item after the comma
    starts with a count), so the 12 stands. The merged token spans the first count to the last one (or its article),
    so the last item's person word still follows it for the grammar.
    """
    numbers = [i for i, t in enumerate(tokens) if t.sym == "N"]
    if not numbers:
        return tokens
    replaced: dict[int, Token] = {}
    dropped: set[int] = set()
    conj = lexicon.conjunction
    index_of = {t.start: i for i, t in enumerate(tokens)}
    for first in numbers:
        if first in dropped:
            continue
        items = [first]
        closed = False
        at = _item_end(lower, tokens[first].end, lexicon)
        while at is not None and not closed:
            sep = re.match(rf",? {conj} |, ", lower[at:at + len(conj) + 3])
            if not sep:
                break
            nxt = index_of.get(at + sep.end())
            if nxt is None:
                break
            if any(t.sym not in "Pp" for t in tokens[items[-1] + 1:nxt]):
                break   # "12 doden en 30 gewonden": an item's noun is a casualty word, two figures, no list
            token = tokens[nxt]
            last_item = sep.group().strip(", ") == conj
            if token.sym == "N" or (token.sym == "a" and last_item):
                items.append(nxt)
                at = _item_end(lower, token.end, lexicon)
            else:
                break
            closed = last_item
        if not closed or len(items) < 2 or at is None:
            continue
        last = tokens[items[-1]]
        following = [t for t in tokens[items[-1] + 1:] if t.start < at]
        stop = next((t for t in following if t.sym not in "Pp"), None)
        if stop is not None:
            # the last item's noun ends where the verb starts ("twee militairen en een burger kwamen om")
            at = len(lower[:stop.start].rstrip())
            following = [t for t in following if t.start < at]
            if at <= last.end:
                continue
        low = sum(tokens[i].value.min or 0 if tokens[i].sym == "N" else 1 for i in items)
        highs = [tokens[i].value.max if tokens[i].sym == "N" else 1 for i in items]
        high = None if any(h is None for h in highs) else sum(highs)
        # the last item's noun joins the count unless it is a person word, which the grammar reads after the count
        end = last.end if following else at
        replaced[first] = Token(tokens[first].start, end, "N", Quantity(low, high))
        dropped.update(range(first + 1, items[-1] + 1))
    if not replaced:
        return tokens
    return [replaced.get(i, t) for i, t in enumerate(tokens) if i not in dropped]


# "Juan Perez and his friend were killed", "Jan en zijn vriend werden doodgeschoten": named people joined by
# "and" before a passive casualty verb, counted one each. A name is two capitalised words, or one that does not open
# the sentence; a common noun needs a possessive or a person word ("his friend", "a guard").
_NAME = r"(?:[A-Z][\w'-]+\.?)(?: (?:[A-Z][\w'-]+\.?|[a-z]{1,3} [A-Z][\w'-]+))*"
_POSSESSED = r"(?:[Hh]is|[Hh]er|[Tt]heir|[Zz]ijn|[Hh]aar|[Hh]un|[Aa]|[Aa]n|[Ee]en) [a-z][\w'-]+"
_BARE = r"[a-z][\w'-]+"     # "Moeder en dochter vermoord": a bare person word (_names_ok asks that it be one)
LISTED_MIDDLE = 3   # words between the auxiliary and the verb: Dutch puts time and place there (werden maandag in X ...)


@lru_cache(maxsize=None)
def _listed_pattern(conj: str, passive_words: frozenset[str]) -> re.Pattern[str]:
    """ "X, Y and Z were": the people named before a passive casualty verb (built once per language)."""
    item = rf"(?:{_POSSESSED}|{_NAME}|{_BARE})"
    passive = "|".join(sorted(map(re.escape, passive_words), key=len, reverse=True)) or "were"
    # after an auxiliary, up to LISTED_MIDDLE words of the middle field ("werden maandag in Amsterdam doodgeschoten")
    middle = rf"(?:(?:{passive}) (?:[\w'-]+ ){{1,{LISTED_MIDDLE}}})?"
    return re.compile(rf"({item})((?:, {item})*),? {conj} ({item}) (?:(?:{passive}) )*{middle}$")


def _unnumbered(text: str, lower: str, tokens: list[Token], lexicon: _Lexicon, taken: dict[str, set[int]],
                spans: list[Span], language: str = "en") -> list[Span]:
    """Casualties without a numeral: "X and Y were killed" (2) and an active verb's single object ("injuring a
    watchman", "doodde een bewaker": 1) where the person word is not in the lexicon."""
    out = []
    covered = [(s.start, s.end, s.label) for s in spans]
    conj = lexicon.conjunction
    listed = _listed_pattern(conj, lexicon.passive)
    for i, token in enumerate(tokens):
        label = {"V": "fatalities", "L": "fatalities", "I": "injuries", "W": "injuries"}.get(token.sym)
        if label and _the_last_of_a_list(text, token, label, spans, lexicon, listed):
            covered = [(s.start, s.end, s.label) for s in spans]
        if label and not any(a <= token.start < b and lab == label for a, b, lab in covered):
            before = text[max(0, token.start - 120):token.start]
            clause_start = max(before.rfind(". "), before.rfind("; "), before.rfind(": "))
            if clause_start >= 0:
                before = before[clause_start + 2:]
            m = listed.search(before)
            if m and _names_ok(m, before, lexicon):
                count = 2 + m.group(2).count(", ")
                start = token.start - len(before) + m.start()
                out.append(Span(start, token.end, text[start:token.end], label, Quantity(count, count), PRODUCER))
                covered.append((start, token.end, label))
                continue
            one = _named_one(before, lexicon, language)
            if one is not None:
                start = token.start - len(before) + one
                out.append(Span(start, token.end, text[start:token.end], label, Quantity(1, 1), PRODUCER))
                covered.append((start, token.end, label))
                continue
        label = {"K": "fatalities", "k": "injuries", "W": "injuries", "L": "fatalities"}.get(token.sym)
        if not label or any(a <= token.start < b and lab == label for a, b, lab in covered):
            continue
        m = re.match(r" (?:a|an|een) ([a-z][\w'-]*)(?: ([a-z][\w'-]*))?(?=[ ,.;]|$)", lower[token.end:token.end + 60])
        if not m or i + 1 < len(tokens) and tokens[i + 1].start == token.end + 1 and tokens[i + 1].sym in "NZ":
            continue
        words = [w for w in m.groups() if w]
        if any(w in lexicon.not_nouns or w == conj for w in words) or re.match(r" \d", lower[token.end + m.end():]):
            continue    # "a number of people", "a further 20"
        if token.sym in "LW" and not _active_before(lower, token.start, lexicon):
            continue    # "killed a ..." only as an active verb after its subject ("gunmen killed a guard")
        end = token.end + m.end()
        out.append(Span(token.start, end, text[token.start:end], label, Quantity(1, 1), PRODUCER))
        covered.append((token.start, end, label))
    return out


def _the_last_of_a_list(text: str, token: Token, label: str, spans: list[Span], lexicon: _Lexicon,
                       listed: re.Pattern[str]) -> bool:
    """ "A man and a woman were killed": the rule for one person took only "a woman were killed"; when the people
    before the verb are a list, that span is dropped from ``spans`` (in place) so the list is counted. True if one was
    dropped."""
    ones = [s for s in spans if s.label == label and s.start <= token.start < s.end and s.value == Quantity(1, 1)]
    if len(ones) != 1:
        return False
    before = text[max(0, token.start - 120):token.start]
    clause_start = max(before.rfind(". "), before.rfind("; "), before.rfind(": "))
    if clause_start >= 0:
        before = before[clause_start + 2:]
    m = listed.search(before)
    if not m or not _names_ok(m, before, lexicon) or token.start - len(before) + m.start() >= ones[0].start:
        return False
    spans.remove(ones[0])
    return True


@lru_cache(maxsize=None)
def _named_one_pattern(passive_words: frozenset[str]) -> re.Pattern[str]:
    passive = "|".join(sorted(map(re.escape, passive_words), key=len, reverse=True)) or "was"
    # "militair Rostami is zaterdag gedood": up to two lower-case words (a date, an adverb) after the auxiliary
    return re.compile(rf"([\w'-]+) ({_NAME}) (?:(?:{passive}) )+(?:[a-z][\w'-]* ){{0,2}}$")


def _named_one(before: str, lexicon: _Lexicon, language: str) -> int | None:
    """Where "militair Soleimani is" / "General Smith was" starts in `before` (the clause up to a passive casualty
    verb): one named person after a title, counted 1; None if the words before the verb are not that."""
    from .persons import is_title    # persons imports actors, which this module must not load at import

    m = _named_one_pattern(lexicon.passive).search(before)
    if not m or not is_title(m.group(1), language):
        return None
    return m.start(2)


# Words between the relative pronoun and the casualty verb: "die gisteren werd doodgeschoten" (at most this many;
# set on tests/test_casualties.py, not on an article).
RELATIVE_GAP_WORDS = 3
_WORD = re.compile(r"[^\W\d_][\w'-]*")


def _relative_one(text: str, lower: str, tokens: list[Token], lexicon: _Lexicon, spans: list[Span]) -> list[Span]:
    """One person a relative clause says died or was hurt: "De 19-jarige vrouw die omkwam", "de agent die werd
    neergeschoten", "the woman who died", "an officer who was wounded" = 1. Not the doer: a verb that is also active
    ("killed") needs a passive word ("who was killed", not "the man who killed"), and no person, count, name or object
    pronoun may stand between ("de man die twee mensen doodde", "de man die hem doodschoot")."""
    if not lexicon.relative:
        return []
    out: list[Span] = []
    covered = [(s.start, s.end) for s in spans]
    for i, token in enumerate(tokens):
        label = {"V": "fatalities", "L": "fatalities", "I": "injuries", "W": "injuries"}.get(token.sym)
        if not label or any(a <= token.start < b for a, b in covered):
            continue
        # the person word: the nearest person_one token before the verb, then the relative pronoun after it
        person = next((t for t in reversed(tokens[max(0, i - RELATIVE_GAP_WORDS - 2):i]) if t.sym == "p"), None)
        if person is None:
            continue
        words = _WORD.findall(lower[person.end:token.start])
        if not words or words[0] not in lexicon.relative or len(words) - 1 > RELATIVE_GAP_WORDS:
            continue
        between = words[1:]
        gap_tokens = [t for t in tokens if person.end <= t.start and t.end <= token.start]
        if any(t.sym in "NPpaZ" for t in gap_tokens) or any(w in lexicon.object_pronouns for w in between) \
                or any(w[:1].isupper() for w in _WORD.findall(text[person.end:token.start])[1:]):
            continue
        if token.sym in "LW" and not any(w in lexicon.passive for w in between):
            continue
        if any(a < token.end and person.start < b for a, b in covered):
            continue
        out.append(Span(person.start, token.end, text[person.start:token.end], label, Quantity(1, 1), PRODUCER))
        covered.append((person.start, token.end))
    return out


def _in_hospital(text: str, lower: str, tokens: list[Token], lexicon: _Lexicon, spans: list[Span]) -> list[Span]:
    """ "ongeveer 375 mensen liggen in het ziekenhuis", "40 people remain in hospital": a count of people in
    hospital is a count of wounded, unless the count already says they died ("zijn in het ziekenhuis overleden")."""
    if not lexicon.hospital:
        return []
    phrase = "|".join(sorted(map(re.escape, lexicon.hospital), key=len, reverse=True))
    after = re.compile(rf"(?: [\w'-]+){{0,{HOSPITAL_GAP_WORDS}}}? (?:{phrase})(?![\w-])")
    out = []
    for i, token in enumerate(tokens):
        if token.sym != "N" or any(s.start <= token.start < s.end for s in spans):
            continue
        end = token.end
        if i + 1 < len(tokens) and tokens[i + 1].sym in "Pp" and tokens[i + 1].start == end + 1:
            end = tokens[i + 1].end
        else:
            continue     # "in 2019 in het ziekenhuis": only a count of people
        m = after.match(lower, end)
        if m is None:
            continue
        tail = lower[m.end():m.end() + 12]
        if re.match(r"\s*(?:overleden|overleed|gestorven|died|dead)", tail):
            continue
        if not _plausible(token.value):
            continue
        out.append(Span(token.start, m.end(), text[token.start:m.end()], "injuries", token.value, PRODUCER))
    return out


def _names_ok(m: re.Match[str], before: str, lexicon: _Lexicon) -> bool:
    """The items of "X and Y were killed" are people: no plural person word, no name opening a sentence alone."""
    items = [m.group(1), m.group(3)] + [x for x in m.group(2).split(", ") if x]
    possessed = any(item.split()[0].lower() in ("his", "her", "zijn", "haar") for item in items)
    for item in items:
        words = item.split()
        if len(words) == 2 and words[0].lower() in lexicon.indefinite_articles:
            if words[1].lower() not in lexicon.people_one:
                return False    # "een auto en een bus": a thing, not a person
            continue
        if item[0].isupper():
            if len(words) == 1 and m.start() == 0 and not possessed and item.lower() not in lexicon.people_one:
                return False   # "Police and soldiers were killed": a lone capital opening the clause is no name
        elif words[-1].lower() not in lexicon.people_one and words[0] not in ("his", "her", "zijn", "haar"):
            return False
    return True


def _active_before(lower: str, start: int, lexicon: _Lexicon) -> bool:
    """Whether "killed"/"wounded" at `start` is active: a word that is not an auxiliary stands right before it, light
    words that are no passive auxiliary skipped ("the bomb also killed a child"; "was also killed" stays passive)."""
    m = re.search(r"(?:[\w'-]+ )+$", lower[max(0, start - 60):start])
    words = m.group().split() if m else []
    while words and words[-1] in lexicon.not_nouns and words[-1] not in lexicon.passive and len(words) > 1:
        words.pop()
    return bool(words) and words[-1] not in lexicon.not_nouns and words[-1] not in lexicon.passive


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
