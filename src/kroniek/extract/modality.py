"""Modality of a trigger (EVENTS.md MODALITIES) from the cues around it (data: lexicons/modality.tsv)."""
from __future__ import annotations

import re
from functools import lru_cache

from ..datafiles import read_tsv
from ..ontology import FRAME_TYPES
from ..records import Span
from .clauses import clause_bounds, spans_within

__all__ = ["modality_of", "only_casualties_denied", "PRIORITY"]

AFTER_CALL_CHARS = 40     # "aanslag op een groot evenement te plegen" still binds the infinitive to the noun
CALL_TYPES = FRAME_TYPES | {"claim"}   # the infinitive is their content
PRIORITY = ("negated", "hypothetical", "future", "uncertain", "generic")
_INFINITIVE = re.compile(r"^(?:te|to)\s|\s(?:te|to)\s", re.I)
# Words a determiner negation may skip to reach its noun ("geen grote aanslag", "no major terrorist attack"); set on
# tests/test_modality_scope.py and dutch_news_dev.
DETERMINER_REACH = 2
_WORD = re.compile(r"[\w'’-]+")


@lru_cache(maxsize=1)
def _scope_words() -> dict[str, frozenset[str]]:
    """negation_scope.tsv, both languages together (the words do not collide): kind -> phrases."""
    kinds: dict[str, set[str]] = {}
    for row in read_tsv("lexicons", "negation_scope.tsv"):
        kinds.setdefault(row["kind"], set()).update(w.strip().lower() for w in row["words"].split("|"))
    return {kind: frozenset(words) for kind, words in kinds.items()}


@lru_cache(maxsize=1)
def _articles() -> frozenset[str]:
    return frozenset(row["word"].lower() for row in read_tsv("lexicons", "articles.tsv"))


def negation_reaches(sentence: Span, cue: Span, trigger: Span) -> bool:
    """Whether a negation cue before the trigger governs it: a determiner ("geen", "no") only its own noun, a pronoun
    ("niemand", "nobody") only a verb it is an argument of, an adverb
    ("niet", "not") only up to the next clause boundary ("dat", "that", "waar", "where"), and not an event noun that a
    preposition after it makes part of the negated verb's clause ("niet betrokken bij de aanslag", "not involved in
    the attack")."""
    between = sentence.text[cue.end - sentence.start:trigger.start - sentence.start].lower()
    words = _WORD.findall(between)
    scope = _scope_words()
    if cue.text.lower() in scope.get("determiner", ()):
        if trigger.value.event_type == "claim":
            return True    # its noun is the claim's subject: "Geen (enkele) groep heeft de aanslag opgeëist"
        joined = " ".join(words)
        if any(joined.startswith(bridge) and len(words) - len(bridge.split()) <= DETERMINER_REACH + 1
               for bridge in scope.get("bridge", ())):
            return True
        # its own noun only: an article between opens another noun phrase ("heeft geen groep de aanslag opgeëist")
        return len(words) <= DETERMINER_REACH and not any(w in _articles() for w in words)
    if cue.text.lower() in scope.get("pronoun", ()):
        # "Niemand heeft de aanslag opgeëist", "De politie heeft niemand opgepakt na de schietpartij": nobody did the
        # verb's act; an event noun beside it still happened
        return trigger.label != "noun" and not any(w in scope.get("boundary", ()) for w in words)
    if cue.text.lower() not in scope.get("adverb", ()):
        # a denial verb negates the clause it governs, but denying a part in it denies no event ("ontkent
        # betrokkenheid bij de aanslag", "denied responsibility for the attack")
        return not denies_a_part(words, scope)
    if trigger.label == "noun" and any(w in scope.get("oblique", ()) for w in words):
        return False
    return not any(w in scope.get("boundary", ()) for w in words)


def denies_a_part(words: list[str], scope: dict[str, frozenset[str]] | None = None) -> bool:
    """Whether the words after a denial verb name a part in an event (negation_scope.tsv kind denied_part), with at
    most two words before it ("ontkent elke betrokkenheid", "denied any involvement")."""
    parts = (scope or _scope_words()).get("denied_part", ())
    return any(w in parts for w in words[:3])


def _opens_clause(sentence: Span, cue: Span) -> bool:
    before = sentence.text[:cue.start - sentence.start].rstrip()
    return not before or before[-1] in ",;:(–—-\"'‘“"


def only_casualties_denied(sentence: Span, cues: tuple[Span, ...], denials: tuple[Span, ...]) -> bool:
    """Whether every negation cue of the sentence lies inside a phrase that denies casualties ("no casualties",
    "geen gewonden"; data/lexicons/casualty_denials.tsv)."""
    denials = spans_within(denials, sentence.start, sentence.end)
    negations = [c for c in spans_within(cues, sentence.start, sentence.end) if c.label == "negated"]
    return bool(denials and negations) and all(any(d.start <= c.start < d.end for d in denials) for c in negations)


def modality_of(trigger: Span, sentence: Span, cues: tuple[Span, ...], denials: tuple[Span, ...] = ()) -> str:
    """asserted, negated, uncertain, hypothetical, future or generic for the trigger in its sentence.

    `denials`: phrases that deny casualties (the annotation group `casualty_denials`); a negation inside one of them
    does not negate the trigger ("No casualties were reported" after a bombing). Pass them for violent events only:
    "denied that it had bombed the village" stays negated, since that cue lies outside every denial."""
    c_start, c_end = clause_bounds(sentence, trigger.start)
    found: set[str] = set()
    attempt = False
    neutral = [c for c in spans_within(cues, sentence.start, sentence.end) if c.label == "neutral"]
    for cue in spans_within(cues, sentence.start, sentence.end):
        if cue.label == "neutral" or any(n.start <= cue.start and cue.end <= n.end for n in neutral):
            continue
        in_clause = c_start <= cue.start and cue.end <= c_end
        scope = cue.value
        if cue.label == "attempt":
            attempt = attempt or cue.start <= trigger.start   # "probeert ... in te nemen", "begonnen te schieten"
            continue
        if cue.label == "attribution":
            continue    # doubts the perpetrator, not the event (see suspected_attribution)
        if scope == "before" and in_clause and cue.end <= trigger.start:
            if cue.label != "negated" or negation_reaches(sentence, cue, trigger):
                found.add(cue.label)
        elif scope == "clause" and in_clause and not (trigger.label != "noun" and cue.start >= trigger.end and
                                                      _relative_between(sentence, trigger.end, cue.start)):
            # but not from a relative clause after a verb, about one of its people ("drie mannen opgepakt die een
            # aanslag zouden hebben voorbereid"); after a noun it may be about the event ("een moord die hij zou
            # hebben gepleegd")
            found.add(cue.label)
        elif scope == "clause_start" and cue.end <= trigger.start and _opens_clause(sentence, cue):
            found.add(cue.label)
        elif scope == "sentence":
            found.add(cue.label)
        elif scope == "after_call" and in_clause and trigger.value.event_type not in CALL_TYPES and (
                cue.start <= trigger.start < cue.end
                                                       or 0 <= cue.start - trigger.end <= AFTER_CALL_CHARS):
            found.add(cue.label)   # "een aanslag te plegen", "aan te vallen": what is to be done
    if _INFINITIVE.search(trigger.text) and not attempt:
        found.add("future")
    if sentence.text.rstrip().endswith("?"):
        found.add("hypothetical")
    if "negated" in found and denials and only_casualties_denied(sentence, cues, denials):
        found.discard("negated")
    for modality in PRIORITY:
        if modality in found:
            return modality
    return "asserted"


@lru_cache(maxsize=None)
def _relative_pronouns() -> frozenset[str]:
    """role_heads.tsv's relative pronouns, of every language (the cues carry none), without those that are also
    conjunctions ("dat", "that": "zei dat")."""
    return frozenset(row["word"] for row in read_tsv("lexicons", "role_heads.tsv")
                     if row["kind"] == "relative_pronoun" and row["word"] not in ("dat", "that"))


def _relative_between(sentence: Span, start: int, end: int) -> bool:
    """Whether a relative pronoun stands in the sentence between `start` and `end` (absolute offsets): a cue after it
    is in a clause about a noun, not about the event word before it."""
    words = {w.lower() for w in _WORD.findall(sentence.text[start - sentence.start:end - sentence.start])}
    return bool(words & _relative_pronouns())


def suspected_attribution(trigger: Span, sentence: Span, cues: tuple[Span, ...]) -> bool:
    """Whether the clause says who did it is only suspected ("verdacht van", "suspected of", "accused of")."""
    c_start, c_end = clause_bounds(sentence, trigger.start)
    return any(c.label == "attribution" and c_start <= c.start and c.end <= c_end
               for c in spans_within(cues, sentence.start, sentence.end))
