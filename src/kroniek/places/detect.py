"""Finding place mentions in Dutch and English text: gazetteer names, demonyms and compass compounds.

The cascade, most trusted first: an exact cased abbreviation ('US', 'VS'), the longest gazetteer name at a
capitalised token (with a compass prefix or suffix: 'Oost-Mosoel', 'Mosoel-Oost'; with an article that belongs
to the name: 'het Westen'), a demonym ('Iraakse', 'Iraqi'), an AP/postal abbreviation after 'Place, '.
Capitalisation gates normal text; all-lower-case and all-upper-case text (MUC style) fall back to "strict"
names only (countries, regions, large cities) that are not ordinary words. A mention whose every candidate is
small or an ordinary word is marked weak: the resolver keeps it only with support from its context.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import (ADMIN1, ADMIN2, CITY, COUNTRY, REGION, STRICT_ALTERNATE_POPULATION, STRICT_CITY_POPULATION,
                        Gazetteer)
from .lexicon import common_words, cues, given_names, normalise

__all__ = ["Mention", "detect_mentions", "case_mode", "is_dateline", "is_strong_posting", "in_venue_name", "elliptic_postings"]

_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W\d_]+")
_UPPER = re.compile(r"[A-Z]")
_LOWER = re.compile(r"[a-z]")
_NOT_UPPER = bytes(c for c in range(256) if not ord("A") <= c <= ord("Z"))
_NOT_LOWER = bytes(c for c in range(256) if not ord("a") <= c <= ord("z"))
# What may stand between two tokens of one name: spaces, a hyphen, an apostrophe, or the dot of 'St. Louis'.
_JOIN = re.compile(r"^(?:[ \t]*[-'’‘`]?[ \t]*|\.[ \t]+)$")
_SENTENCE_END = frozenset(".!?:;\"“”‘’'(*•–—\n")
_ABBREVIATION_TITLE = re.compile(r"^\.\s+$")


@dataclass(slots=True)
class Mention:
    """A candidate place mention: a character span and the gazetteer postings its name matched."""
    start: int
    end: int
    postings: tuple[int, ...]        # entry * 2 + is_alternate_name
    label: str = "place"             # place | demonym
    compass: str | None = None       # English direction of a compass compound ('east' for Oost-Mosoel)
    weak: bool = False               # every candidate is small or an ordinary word: needs context
    common: bool = False             # the name is also an ordinary word ('Een', 'Reading'): needs a preposition
    locative: bool = False           # introduced by a locative preposition ('in', 'te', 'near')
    forced: bool = False             # supplied by the caller (gold toponyms), never dropped
    dateline: bool = False           # an all-capitals place at a line start ('WASHINGTON —'): a major place
    pinned: bool = False             # its reading fixed by the words after it ('New York Gov.'): see resolve.py


def case_mode(text: str) -> str:
    """'normal', 'lower' (no capitals to go by) or 'upper' (MUC-style all capitals)."""
    sample = text[:4000]   # the case of the first few thousand characters decides; counting all costs more
    # the ASCII letters A-Z and a-z (what _UPPER and _LOWER match), counted on its ASCII bytes without a list of them
    ascii_bytes = sample.encode("ascii", "ignore")
    upper = len(ascii_bytes.translate(None, _NOT_UPPER))
    lower = len(ascii_bytes.translate(None, _NOT_LOWER))
    if upper + lower == 0:
        return "lower"
    share = upper / (upper + lower)
    if share > 0.5:
        return "upper"
    return "lower" if share < 0.002 else "normal"


class _Tokens:
    """Word tokens of a text with their offsets and (computed on demand) normalised keys."""

    __slots__ = ("text", "spans", "words", "_keys")

    def __init__(self, text: str) -> None:
        self.text = text
        matches = list(_TOKEN.finditer(text))     # one pass for both (a second, findall, cost a third more)
        self.spans = list(map(re.Match.span, matches))
        self.words = list(map(re.Match.group, matches))
        self._keys: list[str | None] = [None] * len(self.spans)

    def key(self, i: int) -> str:
        """The normalised key of token i (most tokens are never looked up: keys are made lazily)."""
        found = self._keys[i]
        if found is None:
            word = self.words[i]
            found = word.lower() if word.isascii() and word.isalpha() else normalise(word)
            self._keys[i] = found
        return found

    def gap(self, i: int) -> str:
        """The text between token i-1 and token i."""
        return self.text[self.spans[i - 1][1]:self.spans[i][0]] if i > 0 else self.text[:self.spans[0][0]]

    def joined(self, i: int) -> bool:
        """Token i continues token i-1 inside one name (only spaces, a hyphen or an apostrophe between)."""
        return i > 0 and bool(_JOIN.match(self.gap(i)))

    def sentence_initial(self, i: int) -> bool:
        if i == 0:
            return True
        gap = self.gap(i)
        stripped = gap.strip(" \t")
        if not stripped:
            return False
        if stripped in ("-", "'", "’") and "\n" not in gap:
            return False
        return stripped[-1] in _SENTENCE_END or "\n" in gap

    def line_initial(self, i: int) -> bool:
        start = self.spans[i][0]
        line_start = self.text.rfind("\n", 0, start) + 1
        return not self.text[line_start:start].strip()


def is_dateline(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is an all-capitals place name opening a line ('WASHINGTON —', 'LONDON')."""
    word = text[start:end]
    return _is_all_caps(word.replace(" ", "")) and not text[text.rfind("\n", 0, start) + 1:start].strip()


def is_strong_posting(gazetteer: Gazetteer, posting: int) -> bool:
    """A candidate sure enough to stand without support from the rest of the text."""
    entry = posting >> 1
    kind, population = gazetteer.kind[entry], gazetteer.population[entry]
    if kind == ADMIN1:
        return population >= STRICT_CITY_POPULATION
    if posting & 1 and kind == CITY:
        return population >= STRICT_ALTERNATE_POPULATION
    return gazetteer.is_strict(entry)


_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \t]+$")
_WORD_AFTER = re.compile(r"^[ \t]+([^\W\d_]+)")


def in_venue_name(text: str, start: int, end: int, cues) -> bool:
    """Whether text[start:end] is the place-name part of a venue's or a street's name: a capitalised venue word
    before it, perhaps through a link word ('Hotel Kyjev', 'Stade de France', 'Embassy of Armenia'), or a
    capitalised street word after it ('Oxford Street'). cues: the language's :class:`~.lexicon.Cues`."""
    after = _WORD_AFTER.match(text, end, min(len(text), end + 20))
    if after and after[1][:1].isupper() and after[1].casefold() in cues.streets:
        return True
    stop = start
    for _ in range(2):
        before = _WORD_BEFORE.search(text, max(0, stop - 20), stop)
        if not before:
            return False
        word = before[1]
        if word[:1].isupper() and word.casefold() in cues.venues:
            return True
        if word.casefold() not in cues.links:
            return False
        stop = before.start(1)
    return False


_ELLIPSIS = re.compile(r"-?[ \t]+(?:and|or|en|of)[ \t]+([^\W\d_]+)[- \t]+((?:[A-Z][^\W\d_]*[ \t]?){1,3})")


def elliptic_postings(gazetteer: Gazetteer, compass_key: str, text: str, end: int, cues) -> tuple[int, ...]:
    """The postings of 'North Korea' for 'North' in "North and South Korea" (a compass word coordinated with a
    compass compound shares its name), or ()."""
    match = _ELLIPSIS.match(text, end, min(len(text), end + 60))
    if not match or match[1].casefold() not in cues.compass:
        return ()
    words = match[2].split()
    for size in range(len(words), 0, -1):       # the longest name: 'South Korea', 'Southern Europe'
        postings = gazetteer.postings(normalise(" ".join([compass_key] + words[:size])))
        if postings:
            return postings
    return ()


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _is_all_caps(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def detect_mentions(text: str, language: str, gazetteer: Gazetteer) -> list[Mention]:
    """Candidate place mentions in ``text``, sorted by start and not overlapping."""
    if not text:
        return []
    tokens = _Tokens(text)
    if not tokens.spans:
        return []
    return _Detector(tokens, language, gazetteer, case_mode(text)).run()


class _Detector:
    def __init__(self, tokens: _Tokens, language: str, gazetteer: Gazetteer, mode: str) -> None:
        self.tokens = tokens
        self.language = language if language in ("nl", "en") else "en"
        self.gazetteer = gazetteer
        self.mode = mode
        self.cues = cues(self.language)
        self.common = common_words(self.language)
        self.given = given_names(self.language)
        self.demonyms = gazetteer.demonyms[self.language]
        self._lower_starters = self.cues.articles | frozenset(self.cues.compass) | {"s"}

    # -- candidate names ---------------------------------------------------------------------------------

    def _longest(self, i: int) -> tuple[int, str, bool] | None:
        """The longest name starting at token i: (index after its last token, key, is_demonym)."""
        tokens, index, prefixes = self.tokens, self.gazetteer.index, self.gazetteer.prefixes
        key = tokens.key(i)
        best = None
        j = i
        while True:
            # A demonym of this language wins over a same-named town ('Canadian', Texas; 'Spanish', Ontario).
            if key in self.demonyms:
                best = (j + 1, key, True)
            elif key in index:
                best = (j + 1, key, False)
            if key not in prefixes or j + 1 >= len(tokens.spans) or not tokens.joined(j + 1):
                return best
            j += 1
            key = f"{key} {tokens.key(j)}"

    def _can_start(self, i: int) -> bool:
        word = self.tokens.words[i]
        if self.mode != "normal":
            return True
        if not _is_capitalised(word):
            # "'s-Hertogenbosch", "'s-Gravenhage": the Dutch genitive article starts the name.
            return word == "s" and self.tokens.gap(i).endswith(("'", "’")) and self._next_is_hyphen(i)
        if _is_all_caps(word) and "." not in word:
            # Acronyms ('IS', 'NAVO') are not places; a dateline ('WASHINGTON —') is.
            return len(word) >= 4 and self.tokens.line_initial(i)
        return True

    def _next_is_hyphen(self, i: int) -> bool:
        return i + 1 < len(self.tokens.spans) and self.tokens.gap(i + 1) == "-"

    # -- the scan ----------------------------------------------------------------------------------------

    def run(self) -> list[Mention]:
        tokens = self.tokens
        mentions: list[Mention] = []
        i = 0
        count = len(tokens.spans)
        words = tokens.words
        normal = self.mode == "normal"
        starters = self._lower_starters
        index, prefixes, demonyms, compass = (self.gazetteer.index, self.gazetteer.prefixes, self.demonyms,
                                              self.cues.compass)
        cased, key = self.gazetteer.cased, tokens.key
        while i < count:
            # Fast path: in normal text a name starts at a capital (or an article, a compass word, "'s"), and only
            # at a token that can start one (most capitalised words are no place: 'De', 'Volgens', 'Jan').
            if normal:
                if not words[i][:1].isupper() and words[i].lower() not in starters or not self._may_start(i):
                    i += 1
                    continue
            # Lower- and upper-case text: only a token that is a name, the first word of one, a demonym, a compass
            # word, a cased abbreviation or the word after 'Capitalised, ' can start a mention (as _mention_at finds).
            elif not (words[i] in cased or (i > 0 and words[i - 1][:1].isupper())):
                k = key(i)
                if k not in index and k not in prefixes and k not in demonyms and k not in compass:
                    i += 1
                    continue
            mention, after = self._mention_at(i)
            if mention is None:
                i += 1
                continue
            mentions.append(mention)
            i = after
        return mentions

    def _may_start(self, i: int) -> bool:
        """Whether _mention_at can find anything at token i of normal text: a cased abbreviation, a name or the
        first word of one, a demonym, a compass word, a division's fragment, or a word after a comma (a postal
        abbreviation). False means _mention_at(i) would return (None, i + 1)."""
        if self.tokens.words[i] in self.gazetteer.cased:
            return True
        k = self.tokens.key(i)
        gazetteer = self.gazetteer
        if k in gazetteer.index or k in gazetteer.prefixes or k in self.demonyms or k in self.cues.compass \
                or k in gazetteer.fragments:
            return True
        return i > 0 and self.tokens.gap(i).strip() == ","

    def _mention_at(self, i: int) -> tuple[Mention | None, int]:
        tokens, gazetteer = self.tokens, self.gazetteer
        word = tokens.words[i]
        # 1. An exact cased abbreviation: 'US', 'UK', 'VS' (never in all-capitals text, where 'US' is 'us').
        if self.mode != "upper" and word in gazetteer.cased and self._abbreviation_ok(i):
            return self._finish(i, i + 1, tuple(e * 2 for e in gazetteer.cased[word]), False, None), i + 1
        # 2. An AP/postal abbreviation after 'Place, ': 'Paris, Ky.'
        abbreviation = self._postal_abbreviation(i)
        if abbreviation is not None:
            return abbreviation, i + 1
        if not self._can_start(i):
            return None, i + 1
        # 3. An article that belongs to the name ('het Westen').
        if (self.mode == "normal" and i + 1 < len(tokens.spans) and tokens.key(i) in self.cues.articles
                and tokens.joined(i + 1)):
            found = self._longest(i)
            if found is not None and found[0] > i + 1:
                return self._finish(i, found[0], gazetteer.postings(found[1]), found[2], None), found[0]
        found = self._longest(i)
        # 4. A compass compound: 'Oost-Mosoel', 'East Aleppo' (unless the whole is a name: 'West Virginia').
        direction = self.cues.compass.get(tokens.key(i))
        if direction and i + 1 < len(tokens.spans) and tokens.joined(i + 1) and (
                self.mode != "normal" or _is_capitalised(tokens.words[i + 1])):
            inner = self._longest(i + 1)
            if inner is not None and not inner[2] and (found is None or inner[0] > found[0]):
                return self._finish(i, inner[0], gazetteer.postings(inner[1]), False, direction), inner[0]
        if found is None:
            return self._fragment(i), i + 1
        end, key, is_demonym = found
        if end == i + 1 and direction and not self._line_dateline(i):
            # A compass word alone ('South', 'Western', 'Central') is a direction, not the division that
            # GeoNames names so (South Governorate, Lebanon; Western Region, Uganda); in "North and South Korea",
            # "Eastern and Southern Europe" it shares the name after the next compass word.
            postings = elliptic_postings(self.gazetteer, tokens.key(i), tokens.text, tokens.spans[i][1], self.cues)
            if postings:
                return self._finish(i, i + 1, postings, False, None), i + 1
            return None, i + 1
        if is_demonym:
            entry = self.demonyms[key]
            if self.mode == "normal" and not _is_capitalised(tokens.words[i]):
                return None, i + 1
            return self._finish(i, end, (entry * 2,), True, None), end
        postings = gazetteer.postings(key)
        # 5. A compass suffix: 'Mosoel-Oost', 'Amsterdam-Noord'.
        direction = None
        if end < len(tokens.spans) and tokens.gap(end) == "-" and tokens.key(end) in self.cues.compass:
            direction = self.cues.compass[tokens.key(end)]
            end += 1
        mention = self._finish(i, end, postings, False, direction, key=key)
        return mention, end

    def _fragment(self, i: int) -> Mention | None:
        """'Pakhtunkhwa, Pakistan': a fragment of a division's name before ', Name' is a weak mention of the
        divisions it may be (the resolver keeps it only when the qualifier holds one of them)."""
        tokens = self.tokens
        if self.mode != "normal" or i + 1 >= len(tokens.spans) or tokens.gap(i + 1).strip(" ") != ",":
            return None
        divisions = self.gazetteer.fragments.get(tokens.key(i))
        if not divisions or not _is_capitalised(tokens.words[i + 1]) or tokens.sentence_initial(i):
            return None
        start, stop = tokens.spans[i]
        return Mention(start, stop, tuple(entry * 2 + 1 for entry in divisions), weak=True)

    def _abbreviation_ok(self, i: int) -> bool:
        # 'US' inside a hyphenated compound is fine ('VS-president'); inside an all-caps run it is not.
        before = self.tokens.words[i - 1] if i > 0 else ""
        after = self.tokens.words[i + 1] if i + 1 < len(self.tokens.words) else ""
        return not (_is_all_caps(before) and self.tokens.joined(i)) and not (
            _is_all_caps(after) and self.tokens.joined(i + 1))

    def _postal_abbreviation(self, i: int) -> Mention | None:
        tokens, gazetteer = self.tokens, self.gazetteer
        if i < 1 or tokens.gap(i).strip() != "," or not _is_capitalised(tokens.words[i - 1]):
            return None
        word = tokens.words[i]
        start, end = tokens.spans[i]
        dotted = word.endswith(".") or tokens.text[end:end + 1] == "."
        # Undotted only as a code in capitals ('Nelson, BC', 'Austin, TX'); 'Ky.' needs its dot.
        if not dotted and not (self.mode == "normal" and 2 <= len(word) <= 3 and word.isupper()):
            return None
        if dotted and not word.endswith("."):
            end += 1
        entries = gazetteer.abbrev.get(normalise(word))
        if not entries:
            return None
        return Mention(start, end, tuple(e * 2 for e in entries))

    # -- filters -----------------------------------------------------------------------------------------

    def _finish(self, i: int, end: int, postings: tuple[int, ...], is_demonym: bool, direction: str | None,
                key: str | None = None) -> Mention | None:
        """Apply the person, sentence-start and strength rules to the tokens [i, end); None = not a place."""
        tokens, gazetteer = self.tokens, self.gazetteer
        if not postings:
            return None
        start, stop = tokens.spans[i][0], tokens.spans[end - 1][1]
        if tokens.words[i] == "s":   # "'s-Hertogenbosch": the apostrophe belongs to the name
            start -= 1
        entries = [p // 2 for p in postings]
        kinds = {gazetteer.kind[e] for e in entries}
        common = key is not None and key in self.common and not kinds & {COUNTRY, REGION} \
            and not (self.mode == "normal" and self._names_a_facility(end))
        strong = bool(kinds & {COUNTRY, REGION, ADMIN2}) or any(self._strong(p) for p in postings)
        if self.mode != "normal":
            keep = [p for p in postings if gazetteer.is_strict(p // 2)]
            if is_demonym:
                keep = list(postings)
            if not keep or common:
                return None
            return Mention(start, stop, tuple(keep), "demonym" if is_demonym else "place", direction)
        if is_demonym:
            return Mention(start, stop, postings, "demonym")
        single = end - i == 1
        if tokens.sentence_initial(i) and single and (common or not strong) and not self._line_dateline(i):
            return None
        locative = i > 0 and not tokens.sentence_initial(i) and (tokens.key(i - 1) in self.cues.locatives or (
            i > 1 and tokens.key(i - 1) in self.cues.event_links and tokens.key(i - 2) in self.cues.events))
        # 'Paterson said' is a person; 'police in Mosul said' is not.
        if self._is_person(i, end) or (single and kinds == {CITY} and not locative and self._before_speech_verb(end)):
            return None
        # 'Hotel Kyjev', 'Stadion Feijenoord', 'Oxford Street': a venue or a street named after a city is not in it.
        if kinds == {CITY} and in_venue_name(tokens.text, start, stop, self.cues):
            return None
        return Mention(start, stop, postings, "place", direction, weak=common or not strong, common=common,
                       locative=locative, dateline=self._line_dateline(i))

    def _names_a_facility(self, end: int) -> bool:
        """Whether a capitalised site word follows ('Manchester Arena', 'Reading Station'): the name is then a
        proper name, not the ordinary word it also is (Dutch 'manchester', corduroy)."""
        tokens = self.tokens
        return end < len(tokens.spans) and tokens.gap(end) == " " and _is_capitalised(tokens.words[end]) \
            and not _is_all_caps(tokens.words[end]) and tokens.key(end) in self.cues.site_heads

    def _before_speech_verb(self, end: int) -> bool:
        return end < len(self.tokens.spans) and self.tokens.gap(end) == " " and self.tokens.key(end) in self.cues.speech

    def _strong(self, posting: int) -> bool:
        return is_strong_posting(self.gazetteer, posting)

    def _line_dateline(self, i: int) -> bool:
        return _is_all_caps(self.tokens.words[i]) and self.tokens.line_initial(i)

    def _is_person(self, i: int, end: int) -> bool:
        """'George Washington', 'President Washington', 'Mr. Reading', 'Paris Hilton' are people."""
        tokens = self.tokens
        if i > 0 and tokens.joined(i) or i > 0 and _ABBREVIATION_TITLE.match(tokens.gap(i)):
            previous = tokens.words[i - 1]
            if previous.lower() in self.cues.titles and (tokens.joined(i) or tokens.gap(i).startswith(".")):
                return True
            if (_is_capitalised(previous) and previous in self.given and tokens.gap(i) in (" ", "\u00a0")
                    and tokens.key(i - 1) not in self.cues.compass):
                return True
        if end - i == 1 and tokens.words[i] in self.given and end < len(tokens.spans) and tokens.gap(end) == " ":
            following = tokens.words[end]
            if (_is_capitalised(following) and not _is_all_caps(following)
                    and tokens.key(end) not in self.cues.org_heads
                    and tokens.key(end) not in self.cues.compass):
                return True
        return False
