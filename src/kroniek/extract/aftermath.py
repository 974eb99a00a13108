"""What happened to the attacker, told in the attack's own sentence: "A man stabbed three people before he was shot
dead by police", "Een schutter doodde vier mensen, waarna hij door agenten werd doodgeschoten". That clause is not
the attack: its violent word does not name the event, and its actors and casualties (the police, the attacker's own
death) are not the attack's perpetrators and victims.

The clause opens with a conjunction (role_heads.tsv ``end_opener``) and has the attacker as the subject of a passive:
a word for the attacker (``end_subject``), a pronoun (``end_pronoun``), or, after "and"/"en", the attack's own subject
("and was shot dead"); English also "before being shot". An active clause ("before he blew himself up") is the
attack's own end and stays part of it. The next sentence may tell it too, opening with the pronoun ("A man stabbed
three people. He was shot dead by police."): attackers_end_opens.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..records import Span
from .roles import role_heads

__all__ = ["attackers_end", "attackers_end_opens"]

END_WORDS = 4        # words at most between the clause's subject and its auxiliary ("door de politie", "later")
VIOLENT_ENDS = frozenset({"attack", "killing"})
_WORDS = r"(?:[\w'’-]+\s+)"


def _alternatives(words) -> str:
    """One regex alternative of the words, longest first, a space matching any whitespace; a pattern that never
    matches where there are none."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)) or "(?!)"


def _passive(aux: frozenset[str]) -> str:
    """A passive's auxiliary with up to END_WORDS words on either side, up to the violent word."""
    return rf"{_WORDS}{{0,{END_WORDS}}}(?:{_alternatives(aux)})\s+{_WORDS}{{0,{END_WORDS}}}"


@lru_cache(maxsize=None)
def _pattern(language: str) -> re.Pattern[str] | None:
    """The end of a clause that opens the attacker's end inside the attack's sentence, right before its violent word."""
    heads = role_heads(language)
    openers, aux = heads.get("end_opener"), heads.get("passive")
    subjects, pronouns = heads.get("end_subject", frozenset()), heads.get("end_pronoun", frozenset())
    if not openers or not aux or not (subjects or pronouns):
        return None
    coordinating = {"and", "en"} & set(openers)
    forms = [rf"(?:{_alternatives(openers)})\s+(?:(?P<noun>{_alternatives(subjects)})|{_alternatives(pronouns)})"
             rf"\s+{_passive(aux)}"]
    if coordinating:      # "and was shot dead": the subject is the attack's own
        forms.append(rf"(?:{_alternatives(coordinating)})\s+(?:{_alternatives(aux)})\s+{_WORDS}{{0,{END_WORDS}}}")
    if language == "en":  # "before being shot dead"
        forms.append(rf"(?:{_alternatives(set(openers) - coordinating)})\s+being\s+{_WORDS}{{0,2}}")
    return re.compile(rf"(?i)(?<![\w-])(?:{'|'.join(forms)})$")


@lru_cache(maxsize=None)
def _opening(language: str) -> re.Pattern[str] | None:
    """A sentence that opens with a pronoun for the attacker as the subject of a passive: "He was shot dead by
    police", "Hij werd door agenten doodgeschoten". (A word for the attacker, "The attacker was shot dead", stays a
    mention: it names the attack's perpetrator, and its record keeps that side, roles.py one_side_each.)"""
    heads = role_heads(language)
    aux, pronouns = heads.get("passive"), heads.get("end_pronoun")
    if not aux or not pronouns:
        return None
    return re.compile(rf"(?i)\s*(?:{_alternatives(pronouns)})\s+{_passive(aux)}$")


def attackers_end_opens(text: str, language: str, sentence: Span, found: list[Span],
                        previous: list[Span]) -> set[Span]:
    """The violent triggers of a sentence that opens with a pronoun for the attacker of the violence told in the
    sentence before it (`previous`: that sentence's violent triggers) as the subject of a passive: "A man stabbed three
    people. He was shot dead by police." Only after an active verb there (not "Two men were shot. He was ...": a
    victim)."""
    pattern = _opening(language)
    violent_before = [t for t in previous if t.value.event_type in VIOLENT_ENDS | {"remote_violence"}]
    if pattern is None or not violent_before:
        return set()
    aux = role_heads(language).get("passive", frozenset())
    active_before = [t for t in violent_before if not _after_auxiliary(text, t, aux)]
    out = set()
    for t in found:
        if t.value.event_type not in VIOLENT_ENDS or t.label not in ("verb", "participle"):
            continue
        if active_before and pattern.match(text, sentence.start, t.start):
            out.add(t)
    return out


def attackers_end(text: str, language: str, found: list[Span]) -> dict[Span, int]:
    """The violent triggers of one sentence (`found`, in text order) that tell what happened to the attacker of an
    earlier one, each with where its clause opens."""
    pattern = _pattern(language)
    if pattern is None:
        return {}
    aux = role_heads(language).get("passive", frozenset())
    ends: dict[Span, int] = {}
    violent = [t for t in found if t.value.event_type in VIOLENT_ENDS | {"remote_violence"}]
    for t in violent:
        if t.value.event_type not in VIOLENT_ENDS or t.label not in ("verb", "participle"):
            continue
        m = pattern.search(text, max(0, t.start - 160), t.start)
        if m is None:
            continue
        earlier = [e for e in violent if e.end <= m.start() and e not in ends]
        if m.group("noun") is None:
            # a pronoun or no subject: the attacker only where the earlier event's verb is active ("stabbed three
            # people before he was ..."; not "were ambushed ... after they were ...": they are its victims)
            earlier = [e for e in earlier if not _after_auxiliary(text, e, aux)]
        if earlier:
            ends[t] = m.start()
    return ends


def _after_auxiliary(text: str, trigger: Span, aux: frozenset[str]) -> bool:
    """Whether a passive auxiliary stands among the three words before the trigger ("were shot dead", "werden
    doodgeschoten"), or inside it ("werd ... doodgeschoten" as one pattern)."""
    before = re.findall(r"[\w'’-]+", text[max(0, trigger.start - 40):trigger.start])[-3:]
    return any(w.lower() in aux for w in before + trigger.text.split())
