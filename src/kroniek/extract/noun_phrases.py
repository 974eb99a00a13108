"""Noun phrases by the shape of the clause, without a parser and without a lexicon of nouns: the phrase an event verb
acted on (the subject of its passive, the phrase before a headline's participle, the object of its active form).

A phrase opens with an article, a count or a word of role_heads.tsv's kind ``phrase_opener`` and runs over modifiers
and its noun, through "van"/"of" (``phrase_joiner``) and "en"/"and" (``conjunction``), to a function word, a date,
punctuation, another article or count, or PHRASE_WORDS words. The auxiliaries are role_heads.tsv's ``passive`` and
``perfect``. Dutch puts its finite verb second: when a time, a place or a preposition opens the clause, the subject
follows the verb ("Zondag arresteerde de politie een man": the object is the second phrase after it). Checked on new
sentences in tests/test_clause_roles.py and on EventDNA train; EventDNA dev and MUC-4 dev were measured after, not
tuned on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from ..annotate.lexicons import articles
from ..langid import function_words
from ..records import Span
from .roles import role_heads

__all__ = ["patient_phrase", "agent_phrase", "verb_form", "Phrase", "PHRASE_WORDS"]

# Words of a noun phrase at most (an article or count, modifiers, the noun, "van"/"of" and what follows): "de
# vrouwelijke chauffeur van de schoolbus", "a senior leader of Hamas".
PHRASE_WORDS = 10
_WORD = re.compile(r"\d+(?:[.,]\d+)+|[^\W\d_][\w'-]*|\d[\w'-]*")     # "5,000 personnel": one count
_QUOTES = " '’‘\"“”"
AFTER_VERB = 160      # characters after an event verb in which its object is looked for (two phrases of ten words)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

# Participles: Dutch ones with "ge" (opgepakt, neergestoken); English regular ones and the irregular ones of violence
# and arrest.
_PARTICIPLE = {"nl": re.compile(r"(?:\w+)?ge\w+(?:d|t|en)|in hechtenis", re.I),
               "en": re.compile(r"\w+ed|held|shot|beaten|struck|hit|slain|stabbed|taken into custody|rounded up|"
                                r"picked up|remanded|shot dead|taken hostage|blown up", re.I)}
_FINITE = {"nl": re.compile(r"\w+(?:de|den|te|ten)|hield|hielden", re.I)}     # English past forms are participles too
# after the finite forms ("bestormden", "mishandelde" are past tenses): "vermoord", "beschoten", "ontvoerd"
_PREFIXED_PARTICIPLE = {"nl": re.compile(r"(?:be|her|ont|ver|mis)\w+(?:d|t|en)", re.I)}

Word = tuple[int, int, str]     # start, end, lower-cased


class Phrase(NamedTuple):
    start: int
    end: int
    is_object: bool     # the object of an active verb, not the subject of a passive or of a headline's participle


def _as(found: tuple[int, int] | None, is_object: bool) -> Phrase | None:
    return None if found is None else Phrase(found[0], found[1], is_object)


def verb_form(verb: str, language: str) -> str | None:
    """"participle" ("opgepakt", "gearresteerd", "arrested"), "finite" (an active past: "arresteerde", "schoot ...
    dood") or None for a noun ("arrestaties", "proces", "detention")."""
    first = verb.split()[0]
    if language in _PARTICIPLE and (_PARTICIPLE[language].fullmatch(first) or _PARTICIPLE[language].fullmatch(verb)):
        return "participle"
    if language in _FINITE and _FINITE[language].fullmatch(first):
        return "finite"
    if language in _PREFIXED_PARTICIPLE and _PREFIXED_PARTICIPLE[language].fullmatch(first):
        return "participle"
    if language == "nl" and len(verb.split()) > 2:
        return "finite"      # a verb with its particle apart: "schoot ... dood", "pakte drie mannen op"
    return None


def patient_phrase(text: str, language: str, trigger: Span, clause: tuple[int, int],
                   quantities: tuple[Span, ...] | list[Span], bounds: tuple[Span, ...] = (),
                   names: tuple[Span, ...] = (), forces: bool = False) -> Phrase | None:
    """(start, end) of the noun phrase an event verb acted on (who was arrested, stabbed, attacked), whatever its
    noun: the subject of a passive ("De dader werd zondag opgepakt", "Zaterdag zijn in Gent twaalf asielzoekers
    opgepakt", "The driver of the bus was arrested"), the phrase right before a participle without an auxiliary (a
    headline: "Gevaarlijke bende opgepakt"), else the object ("De politie heeft een leider van Hamas opgepakt",
    "pakte drie mannen op", "Police arrested a senior Hamas leader"). `bounds` (places and dates) never open a
    phrase, a date ends one; a name (`names`: actors, persons) opening the clause right before its verb is its
    subject ("Jihadisten vielen een legerkamp aan"). None where no phrase stands in its place. A phrase of the forces
    that make arrests ("twee agenten") is who arrested, not who was arrested; with `forces` it may be acted on too
    ("Onbekenden hebben een agent neergestoken")."""
    form = verb_form(trigger.text, language)
    if form is None:
        return None        # a noun ("de arrestatie", "zijn proces"): its person follows "van", "of"
    if clause[0] >= 2 and text[clause[0] - 1] == "," and text[clause[0] - 2].isdigit() and \
            text[clause[0]:clause[0] + 1].isdigit():
        return None        # the clause was cut inside a number ("5,000 personnel"): its start is unknown
    # the object follows within two phrases of the verb: the rest of a long clause is never read
    stop = min(clause[1], trigger.end + AFTER_VERB)
    words = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text, clause[0], stop)]
    clause_words = _Clause(text, language, tuple(quantities), bounds, names, forces)
    before = [w for w in words if w[1] <= trigger.start]
    inside = [w for w in words if trigger.start <= w[0] and w[1] <= trigger.end]
    after = [w for w in words if w[0] >= trigger.end]
    return clause_words.patient(before, inside, after, form, trigger)


def agent_phrase(text: str, language: str, trigger: Span, clause: tuple[int, int],
                 quantities: tuple[Span, ...] | list[Span], bounds: tuple[Span, ...] = ()) -> tuple[int, int] | None:
    """(start, end) of the agent of a passive event verb: the noun phrase after "door"/"by" (role_heads.tsv
    arrest_agent_marker) in its clause, after its auxiliary ("werd door een man neergestoken", "werd neergestoken
    door een passerende fietser", "was stabbed by a man"). None for an active verb, a noun, or no such phrase."""
    if verb_form(trigger.text, language) != "participle":
        return None
    words = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text, clause[0], clause[1])]
    phrases = _Clause(text, language, tuple(quantities), bounds, ())
    passive, markers = phrases.heads("passive"), phrases.heads("arrest_agent_marker")
    aux = next((i for i in range(len(words) - 1, -1, -1) if words[i][1] <= trigger.start and words[i][2] in passive),
               None)
    if aux is None and any(w[2] in phrases.heads("perfect") for w in words if w[1] <= trigger.start):
        return None      # "heeft ... neergestoken": active
    for k, w in enumerate(words[(aux or 0) + 1:], start=(aux or 0) + 1):
        if w[2] in markers and k + 1 < len(words) and not phrases.bound(words[k + 1]):
            # an article or count opens the agent ("door een man"); a bare plural may be it too ("door herders")
            opened = phrases.opener(words[k + 1])
            rest = words[k + 1:]
            if w[1] <= trigger.start:      # "door een man neergestoken": the phrase ends before the participle
                rest = [x for x in rest if x[1] <= trigger.start]
            if not rest or (not opened and rest[0][2] in function_words().get(phrases.language, frozenset())):
                return None
            return phrases.extend(rest, skip_first=opened)
    return None


@dataclass(frozen=True)
class _Clause:
    text: str
    language: str
    quantities: tuple[Span, ...]
    bounds: tuple[Span, ...]
    names: tuple[Span, ...]
    forces: bool = False        # a phrase of the forces ("agenten", "the troops") may be what the verb acted on

    def heads(self, kind: str) -> frozenset[str]:
        return role_heads(self.language).get(kind, frozenset())

    def patient(self, before: list[Word], inside: list[Word], after: list[Word], form: str,
                trigger: Span) -> Phrase | None:
        passive, perfect = self.heads("passive"), self.heads("perfect")
        aux = next((i for i in range(len(before) - 1, -1, -1) if before[i][2] in passive | perfect), None)
        english = self.language == "en"
        if aux is not None and before[aux][2] in perfect and not (aux + 1 < len(before)
                                                                  and before[aux + 1][2] in passive):
            # active: "heeft ... opgepakt" holds its object (after the subject where the clause opened otherwise);
            # "has arrested two men" has it after
            if english:
                return _as(self.first(after, directly=True), True)
            return _as(self.nth(before[aux + 1:], 0 if self.subject_opens(before[:aux], before[aux][0]) else 1), True)
        if aux is not None:
            if english:     # "Two men were arrested": the phrase right before the auxiliary
                return _as(self.ending(before[:aux], before[aux][0]), False)
            opening = self.subject_opens(before[:aux], before[aux][0])
            return _as(opening or self.first(before[aux + 1:]), False)
        gap = inside[1:-1]
        # after "en"/"and" a finite verb shares the subject of the verb before it ("bestormden een zaal en doodden
        # twintig mensen"): what follows is its object
        shared = bool(before) and before[-1][2] in self.heads("conjunction")
        if gap:             # "pakte drie mannen op"; "Vannacht reed een auto in op ...": its subject
            return _as(self.nth(gap, 0 if shared or self.subject_opens(before, trigger.start) else 1), True)
        if form == "finite" or (english and after and self.opener(after[0])):
            if english or shared or self.subject_opens(before, trigger.start):
                return _as(self.first(after, directly=True), True)
            return _as(self.nth(after, 1), True)      # "Dinsdag arresteerde de politie een man"
        # a participle without an auxiliary: a headline or a reduced relative ("Twee broers opgepakt in Gent"); in
        # English the same form is the past tense ("A bomb exploded"), whose subject acted
        return None if english else _as(self.subject_opens(before, trigger.start, headline=True), False)

    def opener(self, word: Word) -> bool:
        lower = word[2]
        return lower in articles(self.language) or lower in self.heads("phrase_opener") or self.count(word)

    def count(self, word: Word) -> bool:
        """A number ("17", "5,000") or the start of a count ("drie", "more than 5,000"); not "17-jarige"."""
        return _NUMBER.fullmatch(word[2]) is not None or any(q.start == word[0] for q in self.quantities)

    def bound(self, word: Word, producer: str | None = None) -> bool:
        return any(b.start <= word[0] < b.end and producer in (None, b.producer) for b in self.bounds)

    def subject_opens(self, words: list[Word], verb: int, headline: bool = False) -> tuple[int, int] | None:
        """The phrase that opens the clause and ends right before its verb at `verb` (or before a relative pronoun:
        "De vrouw die zondag werd neergestoken")."""
        if not words:
            return None
        first = words[0]
        name = next((n for n in self.names if n.start <= first[0] < n.end), None)
        if name is not None and not headline:
            rest = self.text[name.end:verb].strip(_QUOTES).split()
            return (name.start, name.end) if not rest or rest[0].lower() in self.heads("relative_pronoun") else None
        # a capitalised word: a headline's noun ("Verdachte aangehouden") or a bare plural subject ("Onbekenden
        # hebben ... neergestoken"), not an adverb ("Daarna heeft de politie ..."); not in English, whose past
        # tense looks like its participle ("Gunmen shot dead ...")
        capital = self.language != "en" and self.text[first[0]].isupper() and \
            first[2] not in function_words().get(self.language, ()) and \
            first[2] not in self.heads("clause_adverb") and not self.bound(first)
        if not (self.opener(first) and not self.bound(first)) and not capital:
            return None
        found = self.extend(words, skip_first=not capital)
        if found is None:
            return None
        rest = self.text[found[1]:verb].strip(_QUOTES).split()
        return found if not rest or rest[0].lower() in self.heads("relative_pronoun") else None

    def nth(self, words: list[Word], n: int) -> tuple[int, int] | None:
        """The n-th phrase (0 or 1) among `words`, the first only after dates and places ("in Gent")."""
        found = self.first(words, directly=True)
        if n == 0 or found is None:
            return found
        return self.first([w for w in words if w[0] >= found[1]], directly=True)

    def first(self, words: list[Word], directly: bool = False) -> tuple[int, int] | None:
        """The first noun phrase in `words`; with `directly`, only dates, places and their prepositions may stand
        before it."""
        function = function_words().get(self.language, frozenset())
        for k, w in enumerate(words):
            if self.bound(w):
                continue      # a time or place before the phrase: "arresteerde dinsdag in Gent een man"
            if directly and w[2] in function and not self.opener(w) and k + 1 < len(words) and \
                    self.bound(words[k + 1]):
                continue      # its preposition
            if self.opener(w):
                if k and words[k - 1][2] in function and not self.opener(words[k - 1]) and \
                        words[k - 1][2] not in self.heads("conjunction"):
                    continue      # a preposition's object ("door de politie", "bij de inval"), not the verb's
                found = self.extend(words[k:], skip_first=True)
                if found is not None or directly:
                    return found
            elif directly:
                return None
        return None

    def ending(self, words: list[Word], end: int) -> tuple[int, int] | None:
        """The noun phrase among `words` that ends right before `end` (only spaces between)."""
        for k, w in enumerate(words):
            if self.opener(w) and not self.bound(w):
                found = self.extend(words[k:], skip_first=True)
                if found is not None and not self.text[found[1]:end].strip():
                    return found
        return None

    def extend(self, words: list[Word], skip_first: bool) -> tuple[int, int] | None:
        """From an opening word, the words of one noun phrase: up to a function word (but "van"/"of" before another
        phrase, "en"/"and" before another count, article or word: "military and administrative personnel"), a date,
        punctuation, another article or count ("een man twee kapsters"), a verb of suspicion ("verdacht van",
        "suspected of") or PHRASE_WORDS words; a place inside it is an adjective's ("een Syrische vluchteling"), a
        place after a preposition ended it at the preposition. None where it holds no noun."""
        text = self.text
        function = function_words().get(self.language, frozenset())
        stops = self.heads("passive") | self.heads("perfect") | self.heads("suspect_verb") \
            | self.heads("arrest_agent_marker") | self.heads("phrase_stop")
        joiners, conjunctions = self.heads("phrase_joiner"), self.heads("conjunction")
        suspicion = self.heads("suspect_verb")    # "the suspected gunman", but "a man suspected of"
        start, end, nouns = words[0][0], None, 0
        count = next((q for q in self.quantities if q.start == start), None)     # "more than 5,000": one count
        for k, (a, b, lower) in enumerate(words):
            if count is not None and b <= count.end:
                continue
            if k >= PHRASE_WORDS + (0 if count is None else len(count.text.split()) - 1):
                break
            if k and text[words[k - 1][1]:a].strip(_QUOTES):
                break                                   # punctuation between: the phrase ended
            opening = k == 0 or words[k - 1][2] in joiners | conjunctions
            if k and (lower in joiners or lower in conjunctions):
                nxt = words[k + 1] if k + 1 < len(words) else None
                if nxt is None or not (self.opener(nxt) or (lower in joiners and text[nxt[0]].isupper()) or
                                       (lower in conjunctions and nxt[2] not in function)):
                    break
                continue
            if (lower in stops and not (k == 1 and lower in suspicion)) or (lower in function and not opening) \
                    or (k and self.bound((a, b, lower), "dates")) or \
                    (k and not opening and (lower in articles(self.language) or self.count((a, b, lower)))
                     and not (k == 1 and words[0][2] in articles(self.language))):     # "de twee aanvallers"
                break
            if not (k == 0 and skip_first) and not self.opener((a, b, lower)):
                nouns += 1
            end = b
        if end is None or not nouns or len(text[start:end].split()[-1]) < 2:
            return None      # no noun, or a letter of an abbreviation ("the u.s.")
        # the phrase's head: its last word, or the word before "van"/"of" ("een controlepost van het leger" is a post)
        spoken = [w.lower() for w in text[start:end].split()]
        head = next((spoken[i - 1] for i, w in enumerate(spoken) if i and w in joiners), spoken[-1])
        if not self.forces and (head in self.heads("arresting_force") or head in self.heads("force_head")):
            return None      # "agenten", "the troops": who made the arrest
        return start, end
