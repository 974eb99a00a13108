"""People named by a common noun with a count or an article ("26 verdachten", "een 39-jarige man", "two suspects"):
who an arrest took, or who took to the streets ("duizenden betogers", "hundreds of protesters"), when the text gives
no name.

The person words are the casualty lexicon's (data/lexicons/casualties.tsv, kinds ``person`` and ``person_one``); the
counts are the article's quantity spans. Words of the forces that make arrests ("agenten", "police officers") are
left out (data/lexicons/role_heads.tsv, kind ``arresting_force``).
"""
from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from ..datafiles import read_tsv
from ..records import ActorRole, Span
from ..annotate.lexicons import articles
from ..langid import function_words
from .noun_phrases import Phrase, agent_phrase, patient_phrase
from .roles import role_heads

__all__ = ["people_phrases", "arrest_targets", "harmed_parties", "unnamed_agent", "protest_participants",
           "MODIFIER_WORDS"]

MODIFIER_WORDS = 2      # words between the count or article and the person word ("drie jonge Syrische mannen")
_WORD = re.compile(r"[^\W\d_][\w'-]*|\d[\w'-]*")


@lru_cache(maxsize=None)
def _person_words(language: str) -> frozenset[str]:
    return frozenset(row["phrase"].lower() for row in read_tsv("lexicons", "casualties.tsv")
                     if row["language"] == language and row["kind"] in ("person", "person_one"))


def _heads(language: str, kind: str) -> frozenset[str]:
    return role_heads(language).get(kind, frozenset())


def people_phrases(text: str, language: str, quantities: tuple[Span, ...] | list[Span], start: int,
                   end: int) -> list[tuple[int, int]]:
    """(start, end) of each count or article + up to MODIFIER_WORDS words + a person word in text[start:end]."""
    persons = _person_words(language)
    if not persons:
        return []
    openers = [(q.start, q.end, False) for q in quantities if start <= q.start and q.end <= end]
    for article in articles(language):
        for m in re.finditer(rf"(?<![\w-]){article}(?![\w-])", text[start:end], re.I):
            openers.append((start + m.start(), start + m.end(), True))
    function = function_words().get(language, frozenset())
    found: list[tuple[int, int]] = []
    for first, after, is_article in sorted(openers):
        words = list(_WORD.finditer(text, after, min(end, after + 80)))[:MODIFIER_WORDS + 1]
        for k, w in enumerate(words):
            if text[after if k == 0 else words[k - 1].end():w.start()].strip():
                break      # punctuation between: the phrase ended
            if is_article and w.group().lower() in function:
                break      # "the murder of journalist X" is no person phrase ("twee van de agenten", a count's, is)
            if w.group().lower() in persons:
                if not any(a <= first < b for a, b in found):
                    found.append((first, w.end()))
                break
    return found


def arrest_targets(text: str, language: str, trigger: Span, clause: tuple[int, int],
                   quantities: tuple[Span, ...] | list[Span], roles: tuple[ActorRole, ...],
                   taken: tuple[Span, ...] = (), bounds: tuple[Span, ...] = ()) -> tuple[ActorRole, ...]:
    """The people an arrest took, by a common noun in its clause, when no named target was found: "De politie heeft
    26 verdachten opgepakt", "Vier mannen zijn maandag aangehouden", "Police arrested two suspects". Not a phrase
    after a role word ("door", "by": who made the arrest), not the arresting force ("twee agenten"), not words that
    are part of a name or place already found (``taken``)."""
    if any(r.role == "target" for r in roles):
        return roles
    force = _heads(language, "arresting_force")
    agents = _heads(language, "arrest_agent_marker")
    added: list[ActorRole] = []
    for s, e in people_phrases(text, language, quantities, *clause):
        phrase = text[s:e]
        if phrase.split()[-1].lower() in force or any(t.start < e and s < t.end for t in taken):
            continue
        before = [w.lower() for w in _WORD.findall(text[max(clause[0], s - 20):s])]
        if before and before[-1] in agents:
            continue
        if trigger.start < e and s < trigger.end:
            continue
        added.append(ActorRole("target", phrase, None, "person", None, phrase))
    if not added:
        found = _unnamed_patient(text, language, trigger, clause, quantities, roles, taken, bounds)
        if found is not None:
            phrase = text[found[0]:found[1]]
            added.append(ActorRole("target", phrase, None, "person", None, phrase))
    return roles + tuple(added)


def harmed_parties(text: str, language: str, trigger: Span, clause: tuple[int, int],
                   quantities: tuple[Span, ...] | list[Span], roles: tuple[ActorRole, ...],
                   taken: tuple[Span, ...] = (), bounds: tuple[Span, ...] = (),
                   weapons: tuple[Span, ...] = ()) -> tuple[ActorRole, ...]:
    """Who or what a violent verb acted on, by the verb's syntax, when no actor took that part: "De vrouw die zondag
    werd neergestoken", "het gemeentehuis werd getroffen door een granaat", "Gunmen attacked a police post". A
    phrase that names people (_names_people) is a victim, another a target. A name inside that phrase taken for the
    perpetrator by its place before the verb ("Onbekenden hebben een politie-inspecteur neergestoken") is the one
    acted on."""
    if any(r.role in ("victim", "target") for r in roles) and not any(r.role == "perpetrator" for r in roles):
        return roles       # nothing to add, nothing to correct
    places, names = _places_and_names(taken)
    found = patient_phrase(text, language, trigger, clause, quantities, places + bounds, names, forces=True)
    if found is None or any(w.start < found[1] and found[0] < w.end and (not found.is_object or w.value != "vehicle")
                            for w in weapons):
        return roles       # "Bom ontploft bij bank": the weapon went off; "detonated a car bomb": the weapon used
        #                    (but "een wagen beschoten": a car was hit)
    phrase = text[found[0]:found[1]]
    inside = {t.text for t in taken if found[0] <= t.start and t.end <= found[1]}
    if any(r.role == "perpetrator" and r.text in inside for r in roles):
        role = "victim" if _names_people(phrase, language) else "target"
        return tuple(dataclasses.replace(r, role=role) if r.role == "perpetrator" and r.text in inside else r
                     for r in roles)
    if any(r.role in ("victim", "target") for r in roles) or _holds_a_part(found, taken, roles):
        return roles
    if _names_people(phrase, language):
        return roles + (ActorRole("victim", phrase, None, "person", None, phrase),)
    return roles + (ActorRole("target", phrase, None, None, None, phrase),)


def unnamed_agent(text: str, language: str, trigger: Span, clause: tuple[int, int],
                  quantities: tuple[Span, ...] | list[Span], roles: tuple[ActorRole, ...], taken: tuple[Span, ...] = (),
                  bounds: tuple[Span, ...] = (), weapons: tuple[Span, ...] = ()) -> tuple[ActorRole, ...]:
    """The people a passive violent verb names as its agent when no perpetrator was found: "mishandeld door een
    voorbijrijdende motorrijder", "was stabbed by a man". Only a phrase that names people (_names_people; "door de
    explosie", "by a bomb" name none), without a name or weapon in it."""
    if any(r.role == "perpetrator" for r in roles):
        return roles
    # a demonym may be the phrase's noun ("by a Palestinian"): not a place that bounds or takes the phrase
    places = tuple(p for p in _places_and_names(taken)[0] if p.label != "demonym")
    found = agent_phrase(text, language, trigger, clause, quantities, places + tuple(bounds))
    if found is None or any(t.start < found[1] and found[0] < t.end and t.label != "demonym"
                            for t in tuple(taken) + tuple(weapons)):
        return roles
    phrase = text[found[0]:found[1]]
    demonym_noun = any(t.label == "demonym" and t.end == found[1] for t in taken)
    if not (_names_people(phrase, language) or demonym_noun):
        return roles
    return roles + (ActorRole("perpetrator", phrase, None, "person", None, phrase),)


def _names_people(phrase: str, language: str) -> bool:
    """Whether a noun phrase names people: a person word in it (casualties.tsv), or a head noun (the last word before
    "van"/"of") with a suffix of persons (role_heads.tsv person_suffix: "kapsters", "politie-inspecteur")."""
    words = [w.lower() for w in _WORD.findall(phrase)]
    if any(w in _person_words(language) for w in words):
        return True
    joiners = _heads(language, "phrase_joiner")
    head = next((words[i - 1] for i, w in enumerate(words) if i and w in joiners), words[-1] if words else "")
    return head.endswith(tuple(_heads(language, "person_suffix")))


def _places_and_names(taken: tuple[Span, ...]) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """The places (gazetteer spans) and the names (actors, persons) among the spans already found."""
    return tuple(t for t in taken if t.producer == "gazetteer"), tuple(t for t in taken if t.producer != "gazetteer")


def _holds_a_part(found: tuple[int, int], taken: tuple[Span, ...], roles: tuple[ActorRole, ...]) -> bool:
    """Whether a phrase holds a name that already has a part in the event."""
    named = {r.text for r in roles}
    return any(t.start < found[1] and found[0] < t.end and t.text in named for t in taken)


def _unnamed_patient(text: str, language: str, trigger: Span, clause: tuple[int, int],
                     quantities: tuple[Span, ...] | list[Span], roles: tuple[ActorRole, ...],
                     taken: tuple[Span, ...], bounds: tuple[Span, ...]) -> Phrase | None:
    """patient_phrase, unless the phrase holds a name that already has a part in the event."""
    places, names = _places_and_names(taken)
    found = patient_phrase(text, language, trigger, clause, quantities, places + bounds, names)
    return None if found is None or _holds_a_part(found, taken, roles) else found


def protest_participants(text: str, language: str, trigger: Span, clause: tuple[int, int],
                         quantities: tuple[Span, ...] | list[Span], roles: tuple[ActorRole, ...],
                         taken: tuple[Span, ...] = ()) -> tuple[ActorRole, ...]:
    """Who took to the streets, by a common noun in the protest's clause, when no participant was found: "Duizenden
    betogers trokken door Barcelona", "honderden mensen protesteerden", "Hundreds of protesters gathered" (the
    trigger word may be the noun itself). Not what they protested against (a phrase after "tegen", "against" in the
    clause), not the police."""
    if any(r.role == "perpetrator" for r in roles):
        return roles
    force = _heads(language, "arresting_force")
    against = _heads(language, "protest_object_marker")
    # the trigger may be the people's own noun ("duizenden betogers"): a name found in it is no other actor
    taken = tuple(t for t in taken if not (t.start < trigger.end and trigger.start < t.end))
    added: list[ActorRole] = []
    for s, e in people_phrases(text, language, quantities, *clause):
        phrase = text[s:e]
        if phrase.split()[-1].lower() in force or any(t.start < e and s < t.end for t in taken):
            continue
        if any(w.lower() in against for w in _WORD.findall(text[clause[0]:s])):
            continue    # "tegen de arrestatie van twee studenten": what they protested against
        added.append(ActorRole("perpetrator", phrase, None, "civilians", None, phrase))
    if not added:
        # a bare plural person word opening the clause, or naming the protest itself: "Actievoerders protesteerden
        # zaterdag", "Betogers eisen ontslag van de regering"
        first = next(_WORD.finditer(text, clause[0], clause[1]), None)
        words = [w for w in (first,) if w is not None] + ([] if trigger.text.lower() not in _person_words(language)
                                                           else [None])
        for w in words:
            phrase = trigger.text if w is None else w.group()
            lower = phrase.lower()
            if lower in _person_words(language) and lower not in force and lower.endswith(("s", "en", "ers")):
                added.append(ActorRole("perpetrator", phrase, None, "civilians", None, phrase))
                break
    return roles + tuple(added)
