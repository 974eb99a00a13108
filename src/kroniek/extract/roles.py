"""Who did what to whom: actor roles for one trigger from the actors in its clause and sentence.

Role words before an actor ("door", "by", "tegen", "against", "onder leiding van") are data
(lexicons/role_markers.tsv); position relative to the trigger decides the rest, by event type.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence, TypeVar

from ..datafiles import read_json, read_tsv
from ..ontology import ACTOR_KINDS, ARMED_KINDS, GENERIC_KINDS
from ..annotate.lexicons import articles
from ..annotate.persons import closed_titles, is_title, title_among
from ..langid import function_words
from ..records import ActorRef, ActorRole, EventActor, Span
from .modality import denies_a_part

__all__ = ["assign_roles", "articles", "role_heads", "record_actors", "same_side", "ARMED_KINDS"]

# Kinds that carry arms and kinds that are organisations (ontology.toml actor_kinds).
ORGANISATION_KINDS = frozenset(ACTOR_KINDS) - GENERIC_KINDS - {"person"}
PEOPLE_KINDS = frozenset({"civilians", "person"})
# Kinds that in news about an attack mostly report, respond or condemn; they take a role only when a marker
# gives them one ("door de politie", "attack on the police").
BYSTANDER_KINDS = frozenset({"police", "government", "international_organisation", "media_platform", "intelligence"})
_WORDS = re.compile(r"[\w'’-]+")
R = TypeVar("R", ActorRole, EventActor)
_FORCE_TYPES = frozenset({"attack", "remote_violence", "killing", "armed_clash"})


@lru_cache(maxsize=None)
def _markers(language: str) -> dict[tuple[str, ...], str]:
    return {tuple(row["marker"].lower().split()): row["meaning"]
            for row in read_tsv("lexicons", "role_markers.tsv") if row["language"] == language}


@lru_cache(maxsize=None)
def _determiners(language: str) -> frozenset[str]:
    return frozenset(w for row in read_tsv("lexicons", "determiners.tsv") if row["language"] == language
                     for w in row["words"].split())


@lru_cache(maxsize=None)
def role_heads(language: str) -> dict[str, frozenset[str]]:
    """role_heads.tsv for one language: kind -> words."""
    kinds: dict[str, set[str]] = {}
    for row in read_tsv("lexicons", "role_heads.tsv"):
        if row["language"] == language:
            kinds.setdefault(row["kind"], set()).add(row["word"].lower())
    return {kind: frozenset(words) for kind, words in kinds.items()}


def _agent_head_after(text: str, end: int, language: str) -> bool:
    """Whether a violence noun follows the actor ("police firing", "army shelling", "de politie-inval")."""
    words = [w.lower() for w in _WORDS.findall(text[end:end + 30])]
    heads = role_heads(language).get("agent_head", frozenset())
    after = text[end:end + 1]
    if not words or after not in (" ", "-", "'", "’"):
        return False
    if after == "-" or text[end:end + 3] in ("'s ", "’s "):
        words = [w.lstrip("-") for w in words]
        if words[0] in ("s",):
            words = words[1:]
    return bool(words) and (words[0] in heads or " ".join(words[:2]) in heads)


def _passive(text: str, trigger: Span, start: int, language: str) -> bool:
    """Whether the trigger is a passive verb: an auxiliary in it or between `start` and it ("were killed",
    "werd dinsdag in Parijs gedood")."""
    auxiliaries = role_heads(language).get("passive", frozenset())
    return any(w.lower() in auxiliaries for w in _WORDS.findall(text[start:trigger.end]))


# Words between an inverted passive auxiliary and its subject ("werd [in Gent de 45-jarige journalist] Jan Peeters
# doodgeschoten"); set on tests/test_clause_roles.py.
INVERTED_REACH = 6


def _inverted_passive(text: str, trigger: Span, span: Span, language: str) -> bool:
    """Whether a passive auxiliary stands before the actor in its clause and the trigger is a participle after it: the
    inverted word order of "Op 22 mei wordt Martha vermoord", "Gisteren werd een agent neergeschoten", "Twintig jaar
    geleden werd de Italiaanse modeontwerper Gianni Versace doodgeschoten". The words between (a place, a date, the
    person's title) hold no clause break, no other verb's auxiliary and no role word."""
    if trigger.label not in ("participle", "verb") or trigger.start < span.end:
        return False
    before = text[max(0, span.start - 80):span.start]
    cut = max(before.rfind(c) for c in ",;:.()")
    words = [w.lower() for w in _WORDS.findall(before[cut + 1:])][-(INVERTED_REACH + 1):]
    passive = role_heads(language).get("passive", frozenset())
    markers = {m[-1] for m in _markers(language)}
    breaks = role_heads(language).get("inverted_break", frozenset())
    for k in range(len(words) - 1, -1, -1):
        if words[k] in passive:
            return True
        if words[k] in markers or words[k] in breaks:
            return False
    return False


def _reduced_passive(text: str, trigger: Span, span: Span, language: str) -> bool:
    """Whether the actor stands right before a participle that has no auxiliary in its sentence and no object after
    it: the passive of headlines and captions, "Jan Peeters doodgeschoten in Gent", "Mayor John Smith stabbed in
    Leeds" (not "Gunmen killed seven villagers", whose object follows; not "X heeft Y doodgeschoten")."""
    if trigger.label not in ("participle", "verb") or trigger.start < span.end or text[span.end:trigger.start].strip():
        return False
    start = max(text.rfind(c, 0, span.start) for c in ".!?\n") + 1
    heads = role_heads(language)
    auxiliaries = heads.get("passive", frozenset()) | heads.get("perfect", frozenset())
    if any(w.lower() in auxiliaries for w in _WORDS.findall(text[start:trigger.start])):
        return False
    rest = text[trigger.end:trigger.end + 40]
    if not rest.strip() or rest.lstrip()[:1] in ".,:;!?)":
        return True
    following = _WORDS.findall(rest)
    return bool(following) and following[0] in heads.get("reduced_passive_next", frozenset())


def _dies_after(text: str, end: int, language: str) -> bool:
    """Whether the actor's own verb, right after it, says it died ("X died", "X overleed"; role_heads.tsv
    `suffer_verb`; an auxiliary between is skipped: "X is overleden")."""
    heads = role_heads(language)
    words = [w.lower() for w in _WORDS.findall(text[end:end + 30])[:2]]
    if words and words[0] in heads.get("passive", frozenset()) | heads.get("perfect", frozenset()):
        words = words[1:]
    return bool(words) and words[0] in heads.get("suffer_verb", frozenset()) and text[end:end + 1] in (" ", "")


_PRONOUN_REACH = 5    # words between a subject pronoun's verb and an actor that the verb's object may take


def _object_after_pronoun(text: str, span: Span, language: str, reactions: tuple[Span, ...]) -> bool:
    """Whether the actor comes after the verb of a subject pronoun that opens its sentence ("Ze hielden de priester,
    Jacques Hamel, ... gegijzeld", "They held the priest, Jacques Hamel, hostage"): the pronoun is the subject, the
    actor an object. Not across a clause opener or a conjunction ("Zij zeiden dat X ...": role_heads.tsv
    `inverted_break`) nor a verb of saying ("They said X carried out ...")."""
    start = max(text.rfind(c, 0, span.start) for c in ".!?\n") + 1
    words = [w.lower() for w in _WORDS.findall(text[start:span.start])]
    heads = role_heads(language)
    if len(words) < 2 or len(words) > _PRONOUN_REACH + 2 or words[0] not in heads.get("subject_pronoun", frozenset()):
        return False
    if any(w in heads.get("inverted_break", frozenset()) for w in words[1:]):
        return False
    return not any(start <= r.start and r.end <= span.start for r in reactions)


def _patient_head_after(text: str, end: int, language: str) -> bool:
    """Whether the actor is called the target or victim right after its name ("Martha is doelwit van een aanslag",
    "X was the target of an attack"): auxiliaries and articles between are skipped."""
    heads = role_heads(language)
    skip = heads.get("passive", frozenset()) | _determiners(language) | set(articles(language))
    for word in (w.lower() for w in _WORDS.findall(text[end:end + 30])[:4]):
        if word in heads.get("patient_head", frozenset()):
            return True
        if word not in skip:
            return False
    return False


def _patient_of(text: str, end: int, trigger_start: int, language: str) -> bool:
    """Whether the words before the event noun call the subject its target or victim: "Martha, ..., is op 27
    december doelwit van een mislukte aanslag", "X became the victim of an attack"."""
    words = [w.lower() for w in _WORDS.findall(text[end:trigger_start])][-6:]
    heads = role_heads(language).get("patient_head", frozenset())
    return any(w in heads and {"van", "of"} & set(words[i + 1:i + 3]) for i, w in enumerate(words))


def _force_of(text: str, span: Span, language: str) -> str | None:
    """A person's name as the leader of a side ("Khalifa Haftars leger", "Haftar's forces"): the name without its
    possessive; None if no force noun follows the name."""
    rest = text[span.end:span.end + 30]
    m = re.match(r"(?:'s|’s|')?\s+([\w-]+)", rest)
    if not m or m.group(1).lower() not in role_heads(language).get("force_head", frozenset()):
        return None
    name = span.text
    if language == "nl" and name.endswith("s") and not rest.startswith(("'", "’")) and len(name.split()[-1]) > 3:
        name = name[:-1]     # Dutch possessive: "Haftars leger" (not "Jones' leger")
    return name


_NAME_WORDS = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:[ -][A-ZÀ-ÖØ-Þ][\w'’.-]*){0,3}")
_OFFICE_REACH = 8     # words after an office title within which ", Name" is its apposition ("de minister van ..., X")
_APPOSITION_WORDS = 10   # the most words of a noun phrase a name in apposition after it may take its role word from


@lru_cache(maxsize=None)
def _offices(language: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """role_heads.tsv `office` titles and the ones a Dutch closed compound may end in ("defensieminister")."""
    offices = role_heads(language).get("office", frozenset())
    return offices, closed_titles(offices)


@lru_cache(maxsize=32)
def _officials(text: str, language: str) -> frozenset[str]:
    """The last words (lower case) of the names the article gives an office title: "President Barack Obama", "premier
    Rutte", "de Franse minister van Binnenlandse Zaken, Bernard Cazeneuve," (a name in apposition within
    _OFFICE_REACH words of the title). A later "Obama" is the same office holder."""
    offices, closed = _offices(language)
    found: set[str] = set()
    for m in _WORDS.finditer(text):
        if not title_among(m.group().lower(), offices, closed, language):
            continue
        rest = text[m.end():m.end() + 160]
        name = _NAME_WORDS.match(rest, 1) if rest[:1] == " " else None
        if name is None:      # an apposition: "minister van Binnenlandse Zaken, Bernard Cazeneuve,"
            comma = rest.find(", ")
            if 0 <= comma and len(_WORDS.findall(rest[:comma])) <= _OFFICE_REACH and not any(
                    c in rest[:comma] for c in ".;:!?"):
                name = _NAME_WORDS.match(rest, comma + 2)
                if name is not None and rest[name.end():name.end() + 1] not in (",", ")", ""):
                    name = None
        if name is not None:
            found.add(re.split(r"[ -]", name.group())[-1].lower())
    return frozenset(found)


def _official(text: str, span: Span, language: str) -> bool:
    """Whether a person actor is an office holder or commentator the article names with its title (_officials)."""
    words = re.split(r"[ -]", span.text.strip())
    return span.value.kind == "person" and words[-1].lower() in _officials(text, language)


def _suspected_between(text: str, start: int, end: int, language: str, other_triggers: tuple[Span, ...] = ()) -> bool:
    """Whether a word saying the actor is suspected or accused of the event stands between it and the event word,
    and no other event's word stands after it ("Amri, suspected of driving a truck into a market, was shot dead by
    police": he is suspected of the ramming, not of his own shooting)."""
    words = role_heads(language).get("suspect_verb", frozenset())
    said = [w.start() + start for w in _WORDS.finditer(text[start:end]) if w.group().lower() in words]
    return bool(said) and not any(said[0] < t.start and t.end <= end for t in other_triggers)


def _stopped_between(text: str, start: int, end: int, language: str) -> bool:
    """Whether a word that says the actor ended or stopped the event stands between it and the event noun."""
    stoppers = role_heads(language).get("stopper", frozenset())
    return any(w.lower() in stoppers for w in _WORDS.findall(text[start:end]))


def _denied_between(text: str, start: int, end: int, language: str) -> bool:
    """Whether the actor denies its part in the event between it and the event word: a denial verb (role_heads.tsv
    kind denier) with a part in the event right after it ("De Taliban ontkennen betrokkenheid bij de aanslag",
    "The Taliban denied any involvement in the attack"; negation_scope.tsv kind denied_part)."""
    deniers = role_heads(language).get("denier", frozenset())
    words = [w.lower() for w in _WORDS.findall(text[start:end])]
    return any(w in deniers and denies_a_part(words[i + 1:]) for i, w in enumerate(words))


def _reference_start(text: str, trigger: Span, language: str) -> int | None:
    """Where a preposition that makes an event noun a reference from another clause starts ("na de nieuwe aanval",
    "over de schietpartij", "after the attacks"): articles and up to two modifiers between are skipped. None if the
    trigger is no noun or no such word stands before it."""
    if trigger.label != "noun":
        return None
    words = list(_WORDS.finditer(text[max(0, trigger.start - 60):trigger.start]))
    offset = max(0, trigger.start - 60)
    prepositions = role_heads(language).get("reference", frozenset())
    skip = _determiners(language) | set(articles(language))
    modifiers = 0
    for w in reversed(words):
        word = w.group().lower()
        if word in prepositions:
            return offset + w.start()
        if word in skip:
            continue
        modifiers += 1
        if modifiers > 2 or not w.group()[:1].islower():
            return None
    return None


def _attribution_before(text: str, start: int, language: str) -> bool:
    """Whether a word just before the actor says it is only suspected ("suspected Lashkar-e-Taiba militants")."""
    words = [w.lower() for w in _WORDS.findall(text[max(0, start - 30):start])]
    return bool(words) and words[-1] in role_heads(language).get("attribution", frozenset())


DESCRIPTOR_WORDS = 2    # "de Russische ex-spion", "Slovak journalist": words between a role marker and the name


def marker_before(text: str, start: int, language: str, window: int = 40) -> str | None:
    """The role meaning of the words just before offset `start`, skipping articles; None if no marker."""
    words = [w.lower() for w in _WORDS.findall(text[max(0, start - window):start])]
    skip = _determiners(language)
    while words and words[-1] in skip:
        words.pop()
    if words and is_title(words[-1], language):    # "op bevel van president Trump": the title is no role word
        words.pop()
        while words and words[-1] in skip:
            words.pop()
    markers = _markers(language)
    for n in (3, 2, 1):
        if len(words) >= n and tuple(words[-n:]) in markers:
            return markers[tuple(words[-n:])]
    # a descriptor between the marker and the name, as a title is ("de vergiftiging van de Russische ex-spion Sergej
    # Skripal", "gepleegd door de Syrische jihadist X", "the murder of Slovak journalist Jan Kuciak"): up to
    # DESCRIPTOR_WORDS content words, no function word and no punctuation between
    if not text[start:start + 1].isupper():
        return None     # only before a name: a common noun's words before it are its own ("the fmln urban ...")
    function = function_words().get(language, frozenset())
    for skipped in range(1, DESCRIPTOR_WORDS + 1):
        if len(words) <= skipped or words[-skipped] in function or words[-skipped] in skip:
            break
        rest = words[:-skipped]
        while rest and rest[-1] in skip:
            rest.pop()
        for n in (3, 2, 1):
            if len(rest) >= n and tuple(rest[-n:]) in markers:
                stretch = text[max(0, start - window):start].lower()
                if not re.search(r"[,;:.!?()\"“”]", stretch[stretch.rfind(rest[-1]):]):
                    return markers[tuple(rest[-n:])]
    return None


def _apposition_marker(text: str, span: Span, language: str) -> str | None:
    """The role word that opens the noun phrase a name stands in apposition to: "Volgens de minister van Binnenlandse
    Zaken, Bernard Cazeneuve, is ..." (source), "shot dead by a police officer, John Miller, ..." (agent); None when
    the name is no apposition (it must stand between commas) or the phrase has no role word."""
    before = text[max(0, span.start - 120):span.start]
    if not re.search(r",\s*$", before) or text[span.end:span.end + 1] != ",":
        return None
    head = before.rstrip()[:-1]
    phrase = head[max(head.rfind(c) for c in ",.;:!?()\n") + 1:]
    words = [w.lower() for w in _WORDS.findall(phrase)]
    if len(words) > _APPOSITION_WORDS:
        return None
    markers = _markers(language)
    for n in (3, 2, 1):
        if len(words) > n and tuple(words[:n]) in markers:      # a role word and the noun after it, at least
            return markers[tuple(words[:n])]
    return None


def _role_for(event_type: str, actor: ActorRef, marker: str | None, before_trigger: bool,
              taken: set[str], verb_trigger: bool = False, passive: bool = False,
              auxiliary_passive: bool = False, subject: bool = False, of_the_noun: bool = True,
              object_here: bool = False) -> str | None:
    """`subject`: the actor is the active verb's subject right before it (or, in Dutch, right after it: "Gisteren
    doodde de politie twee verdachten"); `of_the_noun`: an actor after an event noun stands in that noun's own phrase
    ("een aanslag van IS"), not in what a verb after it acted on ("een luchtaanval trof een kamp van Hamas");
    `object_here`: the actor is the object right after an active verb ("Gunmen attacked a policeman")."""
    kind = actor.kind
    if marker == "source":        # "volgens de politie", "according to X": who says so, not who took part
        return None
    if marker == "taken_from":    # "recaptured Fallujah from Islamic State": the side that lost it
        if event_type == "armed_clash":
            return "opponent"
        marker = None             # "fighters from Syria": no role word for any other event
    if event_type == "claim":
        # a news agency ("via het persbureau Amaq") stays on the claim: EVENTS.md has no channel role, and
        # `kroniek analyse` shows media platforms among a claim's claimants as its channel ("via")
        return "claimant" if kind in ORGANISATION_KINDS or kind in ("person", "generic_armed") else None
    if event_type in ("incitement", "threat"):
        if kind == "media_platform":
            return None          # "op Telegram": where the call was made, not who made it
        if kind == "civilians" or (kind == "person" and not before_trigger and marker != "agent"):
            return "addressee"
        if before_trigger or marker == "agent" or kind in ORGANISATION_KINDS:
            return "instigator"  # "riep IS zijn aanhangers op": a group is the caller wherever it stands
        return None
    if marker == "between" and event_type != "armed_clash":
        marker = None             # "een aanslag tussen twee verkiezingen": no side of anything
    if event_type == "armed_clash":
        if marker in ("agent", "leader", "between"):
            return "perpetrator"
        if passive and marker is None and kind not in PEOPLE_KINDS:
            return "opponent"     # "the militants were pushed back from their strongholds": the side that lost
        if marker in ("against", "patient"):
            return "opponent"     # "tegen IS", "heroverd op IS", "offensive on the militants": the other side
        if kind in PEOPLE_KINDS:
            return "victim"
        return "perpetrator"      # the other side is only named by a marker ("tegen IS", "with Kurdish forces")
    if event_type == "arrest":
        if kind in ("police", "state_forces", "intelligence", "government") and marker != "patient":
            return "perpetrator"
        return "target" if kind == "person" else None
    # attack, remote_violence, killing, plot, riot, protest
    if marker in ("agent", "leader"):
        return "perpetrator"
    if marker in ("patient", "against"):
        return "victim" if kind in PEOPLE_KINDS else "target"
    if kind == "civilians" and event_type in ("protest", "riot") and before_trigger and marker is None:
        return "perpetrator"    # "Protesters clashed with police", "Betogers bekogelden de politie": they took part
    if kind == "civilians":
        return "victim"
    if event_type == "killing":
        if before_trigger and verb_trigger and kind not in PEOPLE_KINDS and (kind not in BYSTANDER_KINDS or subject):
            return "perpetrator"    # "gunmen killed five people", "de schutter doodde twintig mensen", "police killed"
        if before_trigger and verb_trigger and kind in BYSTANDER_KINDS:
            return None             # "police said gunmen killed five": who reports it, neither side
        return "victim"
    if kind == "government" and event_type == "remote_violence" and before_trigger:
        return "perpetrator"   # "De VS voerden luchtaanvallen uit": states strike from a distance
    if (passive and kind in PEOPLE_KINDS) or (auxiliary_passive and (kind in ARMED_KINDS or kind == "police")
                                              and event_type in _FORCE_TYPES):
        return "victim"        # "Op 22 mei wordt Martha vermoord", "the attackers were shot dead", "a police officer
        #                        was stabbed": it suffered it
    if kind in BYSTANDER_KINDS and object_here and event_type in _FORCE_TYPES:
        return "victim" if kind == "police" else "target"     # "Gunmen attacked a policeman": acted on
    if kind in BYSTANDER_KINDS and not (subject and verb_trigger and event_type in _FORCE_TYPES):
        return None        # "police said", "the president condemned", "Police foiled an attack": reporters and
        #                    responders, not attackers (but the subject of a violent verb did it: "Police killed")
    if event_type in ("protest", "riot"):   # who took to the streets: people and movements, not armed groups
        return "perpetrator" if kind in ("civilians", "person", "political_group") else None
    if before_trigger:
        return "perpetrator"
    if verb_trigger:    # the object of "ambushed", "bestormden": who was attacked
        return "victim" if kind in PEOPLE_KINDS else "target"
    return "victim" if kind == "person" else "perpetrator" if kind in ARMED_KINDS and of_the_noun else None


def _of_the_noun(text: str, trigger: Span, span: Span, language: str) -> bool:
    """Whether only articles, determiners and "van"/"of" stand between an event noun and the actor after it: the
    actor is the noun's complement ("de aanslag van de terreurgroep IS", "the attack of the militants"), not a word
    of another phrase ("An air strike hit a Hamas training camp": Hamas did not strike)."""
    allowed = _determiners(language) | set(articles(language)) | role_heads(language).get("phrase_joiner", frozenset())
    return all(w.lower() in allowed for w in _WORDS.findall(text[trigger.end:span.start]))


def _ends_phrase(text: str, span: Span, language: str) -> bool:
    """Whether the actor is the head of its noun phrase, not a modifier of a noun after it ("a policeman in Kano",
    "a policeman.", not "a police patrol"): punctuation, the end, or a function word follows it."""
    after = text[span.end:span.end + 30]
    if not after.strip() or after.lstrip()[:1] in ",;:.!?()\"":
        return True
    word = _WORDS.match(after.lstrip())
    return word is not None and word.group().lower() in function_words().get(language, frozenset())


_STATEMENT_TYPES = frozenset({"claim", "incitement", "threat"})


def _prepositional_relative_between(text: str, start: int, end: int, language: str) -> bool:
    """Whether a relative clause opened by a preposition ("waarin", "waarop", "in which", "where") stands between an
    actor and a statement's verb: the statement is the thing's ("a letter in which ... claimed"), its speaker is named
    inside that clause, not before it."""
    words = " ".join(w.lower() for w in _WORDS.findall(text[start:end]))
    return any(f" {r} " in f" {words} " for r in role_heads(language).get("prepositional_relative", frozenset()))


def _second_sides(text: str, actors: list[Span], language: str) -> set[int]:
    """The actors (by id()) after "en"/"and" that close a "tussen A en B" / "between A and B": the other side. A's own
    words ("soldaten van Khalifa Haftars leger") may hold more actors; the second side is the first actor after the
    conjunction that follows them."""
    out: set[int] = set()
    ordered = sorted(actors, key=lambda s: s.start)
    conjunctions = role_heads(language).get("conjunction", frozenset())
    for i, first in enumerate(ordered):
        if marker_before(text, first.start, language) != "between":
            continue
        for later in ordered[i + 1:]:
            gap = text[first.end:later.start]
            words = [w.lower() for w in _WORDS.findall(gap)]
            if conjunctions.intersection(words) and not any(c in gap for c in ".;:"):
                out.add(id(later))
                break
    return out


def _gap(a: Span, b: Span) -> int:
    return max(a.start - b.end, b.start - a.end, 0)


def assign_roles(text: str, language: str, event_type: str, trigger: Span, actors: list[Span],
                 uncertain: bool = False, clause: tuple[int, int] | None = None,
                 reactions: tuple[Span, ...] = (), casualties: tuple[Span, ...] = (),
                 other_triggers: tuple[Span, ...] = ()) -> tuple[ActorRole, ...]:
    """Roles for the actor spans (already limited to the trigger's clause or sentence), in text order.

    `other_triggers`: the words of the sentence's other events; a role word ("door", "by") marks an argument of the
    event word nearest to it ("driving a truck into a market ..., was shot dead by police": the police shot).
    """
    roles: list[ActorRole] = []
    taken: set[str] = set()
    # The sentence's first actor, when it opens the sentence, is its subject ("Gunmen stormed a hotel in Bamako,
    # Mali, on Friday and took 170 people hostage") even across the commas of an apposition.
    subject = min(actors, key=lambda s: s.start, default=None)
    # ... and a name in apposition to it is the same subject ("A gunman, John Smith, opened fire")
    apposition = next((s for s in actors if subject is not None and s is not subject and
                       re.fullmatch(r",\s*", text[subject.end:s.start]) and text[s.end:s.end + 1] == ","), None)
    # "Trump reageerde na de aanval", "the trial over the shooting": the event noun is only referred to from another
    # clause, whose actors are not its participants
    reference = _reference_start(text, trigger, language)
    second_sides = _second_sides(text, actors, language) if event_type == "armed_clash" else set()
    inverted_subject = _verb_second_subject(text, trigger, actors, clause, casualties, language)
    for span in sorted(actors, key=lambda s: s.start):
        actor: ActorRef = span.value
        if span.start < trigger.end and span.end > trigger.start and event_type != "killing" \
                and not any(c.isspace() for c in trigger.text):
            continue   # the actor is part of the trigger word ("IS-aanslag"), not of a gap ("riep IS ... op")
        marker = marker_before(text, span.start, language) or _apposition_marker(text, span, language)
        if marker is None and reference is not None and span.end <= reference:
            continue   # an actor of the clause that refers to the event, not of the event
        if marker is None and event_type in _STATEMENT_TYPES and span.end <= trigger.start and \
                _prepositional_relative_between(text, span.end, trigger.start, language):
            continue   # "De politie vond een brief waarin een groep de aanslag opeiste": the group claimed, not the police
        if marker is None and event_type == "claim" and span.start >= trigger.end and \
                re.search(r"[,;:]", text[trigger.end:span.start]):
            continue   # "No group claimed the attack, but Boko Haram has ...": another clause's subject
        if marker is not None and any(_gap(t, span) < _gap(trigger, span) for t in other_triggers):
            continue   # another event's word is nearer ("... inreed, is door de politie doodgeschoten"): it is that one's
        if marker is not None and ";" in text[min(span.end, trigger.end):max(span.start, trigger.start)]:
            continue   # a role word across a semicolon belongs to the clause after it ("killing three policemen;
            #            the attackers were later killed by soldiers": the soldiers did not attack)
        counted = any(c.start <= span.start and span.end <= c.end for c in casualties)
        if marker is None and clause is not None and not (clause[0] <= span.start and span.end <= clause[1]) \
                and not ((span is subject or span is apposition) and span.start < trigger.start) and not counted:
            continue   # without a role word, only an actor in the trigger's clause (or the subject, or one counted
            #            among the event's dead or wounded: "attacked a checkpoint, killing four soldiers") takes a role
        if marker is None and any(min(span.end, trigger.end) <= r.start and r.end <= max(span.start, trigger.start)
                                  for r in reactions):
            continue   # "Theresa May veroordeelde de aanslag": a speaker, not a participant
        before = span.start < trigger.start
        # a passive with its auxiliary ("were shot dead", "werden doodgeschoten"), or a headline's without one
        auxiliary_passive = trigger.label in ("verb", "participle") and before and marker is None and (
            _passive(text, trigger, span.end, language) or _inverted_passive(text, trigger, span, language))
        passive = auxiliary_passive or (trigger.label in ("verb", "participle") and before and marker is None
                                        and _reduced_passive(text, trigger, span, language))
        active = trigger.label in ("verb", "participle") and not passive and not (
            before and _passive(text, trigger, span.end, language))
        # a person's name, or a name no dictionary knows (the learned tagger's organisations)
        named = actor.kind == "person" or (actor.id is None and span.producer == "names")
        leader = _force_of(text, span, language) if named and event_type in _FORCE_TYPES else None
        if leader is not None and marker not in ("against", "patient", "source"):
            if not any(r.role == "perpetrator" and r.name == leader for r in roles):
                roles.append(ActorRole("perpetrator", leader, actor.id, actor.kind, None, span.text))
            continue       # "soldaten van Khalifa Haftars leger": Haftar leads the side that fought
        if id(span) in second_sides and marker is None:
            role = "opponent"      # "gevechten tussen het leger en de rebellen": the other side
        elif _agent_head_after(text, span.end, language) and event_type in _FORCE_TYPES:
            role = "perpetrator"   # "killed in police firing": the police fired, they are not among the dead
        elif marker not in ("agent", "leader") and counted:
            role = "victim"    # "kwamen achttien militairen om": counted among the dead or wounded
        elif marker is None and before and event_type in _FORCE_TYPES and trigger.label in ("verb", "participle") \
                and actor.kind not in BYSTANDER_KINDS and _suspected_between(text, span.end, trigger.start, language,
                                                                                      other_triggers):
            role = "perpetrator"   # "E. werd ervan verdacht de zestienjarige te hebben gedood"
            if not any(r.role == role and (r.id or r.name) == (actor.id or actor.name) for r in roles):
                roles.append(ActorRole(role, actor.name, actor.id, actor.kind, "suspected", span.text))
            continue
        elif marker is None and event_type in _FORCE_TYPES and (_patient_head_after(text, span.end, language) or (
                before and _patient_of(text, span.end, trigger.start, language))):
            role = "victim" if actor.kind in PEOPLE_KINDS else "target"   # "Martha is doelwit van een aanslag"
        elif marker is None and before and event_type in _FORCE_TYPES and actor.kind in PEOPLE_KINDS | ARMED_KINDS \
                and _dies_after(text, span.end, language):
            role = "victim"    # "Major General X died after a roadside bomb detonated": who died, not who set it off
        elif marker is None and before and event_type in _FORCE_TYPES and actor.kind in PEOPLE_KINDS \
                and _object_after_pronoun(text, span, language, reactions):
            role = "victim"    # "Ze hielden de priester, Jacques Hamel, ... gegijzeld": "ze" did it
        elif marker is None and before and trigger.label == "noun" and event_type in _FORCE_TYPES and \
                _stopped_between(text, span.end, trigger.start, language):
            role = None        # "Het leger wist een eind aan de aanslag te maken": it responded
        elif marker is None and before and _denied_between(text, span.end, trigger.start, language):
            role = None        # "De Taliban ontkennen betrokkenheid bij de aanslag": a denial, no perpetrator
        else:
            subject_here = span is inverted_subject or (
                before and active and marker is None and _directly_before(text, span, trigger, language))
            # only articles, determiners and "van"/"of" between the event word and the actor after it
            adjoining = not before and _of_the_noun(text, trigger, span, language)
            role = _role_for(event_type, actor, marker, before or span is inverted_subject, taken,
                             verb_trigger=active, passive=passive, auxiliary_passive=auxiliary_passive,
                             subject=subject_here,
                             of_the_noun=before or trigger.label != "noun" or adjoining,
                             object_here=active and adjoining and span is not inverted_subject
                             and _ends_phrase(text, span, language))
        if role is None:
            continue
        if role == "perpetrator" and marker not in ("agent", "leader") and event_type in _FORCE_TYPES | {"plot"} \
                and _official(text, span, language):
            continue   # "President Barack Obama called the shooting an act of terror": who responds, not who attacked
        attribution = "suspected" if role == "perpetrator" and (
            uncertain or _attribution_before(text, span.start, language)) else None
        if any(r.role == role and (r.id or r.name) == (actor.id or actor.name) for r in roles):
            continue
        taken.add(role)
        roles.append(ActorRole(role, actor.name, actor.id, actor.kind, attribution, span.text))
    return _consistent(roles)


# Languages whose main clause puts the subject right after the finite verb when another phrase opens it (verb
# second: "Gisteren doodde de politie twee verdachten", "In Kabul doodden IS-strijders twaalf mensen").
VERB_SECOND = frozenset({"nl"})
SUBJECT_GAP_WORDS = 3    # words (a day, a place) that may stand between a finite verb and its subject after it


def _directly_before(text: str, span: Span, trigger: Span, language: str) -> bool:
    """Whether the actor stands right before the verb, with at most a day or an adverb between and no clause mark:
    the verb's subject ("Police killed", "de politie doodde dinsdag"), not one who reports it ("police said gunmen
    killed")."""
    gap = text[span.end:trigger.start]
    return not any(c in gap for c in ",;:.()\"“”") and len(_WORDS.findall(gap)) <= SUBJECT_GAP_WORDS - 1


def _verb_second_subject(text: str, trigger: Span, actors: list[Span], clause: tuple[int, int] | None,
                         casualties: tuple[Span, ...], language: str) -> Span | None:
    """In a verb-second language, the actor right after a finite verb whose clause opens with another phrase and
    holds no actor before the verb: its subject ("Bij een inval doodde de politie twee verdachten"). Not one counted
    among the dead ("Daarbij doodde hij twee agenten")."""
    if language not in VERB_SECOND or trigger.label != "verb":
        return None
    start = clause[0] if clause is not None else max(text.rfind(c, 0, trigger.start) for c in ".!?\n") + 1
    if not _WORDS.findall(text[start:trigger.start]) or any(start <= a.start < trigger.start for a in actors):
        return None
    after = next((a for a in sorted(actors, key=lambda a: a.start) if a.start >= trigger.end), None)
    if after is None or any(c.start <= after.start and after.end <= c.end for c in casualties):
        return None
    gap = text[trigger.end:after.start]
    if any(c in gap for c in ",;:.()") or len(_WORDS.findall(gap)) > SUBJECT_GAP_WORDS:
        return None
    return after


def _same_actor(a: ActorRole | EventActor, b: ActorRole | EventActor) -> bool:
    """One actor: the same id or name, or persons sharing a name part ("Gökmen T." and "Tanis" do not; "John Smith"
    and "Smith" do; "een jongen" and "een passerende fietser" share only a function word)."""
    if (a.id or a.name) == (b.id or b.name):
        return True
    if a.kind == b.kind == "person":
        return bool(_name_parts(a.name) & _name_parts(b.name))
    return False


def _name_parts(name: str) -> set[str]:
    function = function_words()
    return {w for w in name.lower().replace(".", " ").split()
            if len(w) > 2 and w not in function.get("nl", ()) and w not in function.get("en", ())}


@lru_cache(maxsize=1)
def _descriptive_words() -> frozenset[str]:
    """Dictionary aliases written all in lower case ("rebels", "troops", "militants"): descriptions, not names."""
    return frozenset(alias.lower() for entry in read_json("actors.json") for aliases in entry["aliases"].values()
                     for alias in aliases if alias == alias.lower())


def _is_name(role: ActorRole) -> bool:
    """Whether the actor's words are a proper name ("Lashkar-e-Taiba", "John Smith"), not a description."""
    text = role.text or ""
    return any(c.isupper() for c in text) and text.lower() not in _descriptive_words()


def one_side_each(actors: Sequence[R]) -> list[R]:
    """The actors (ActorRole or a record's EventActor) without the victims and targets that are one of the event's
    perpetrators (_same_actor): whoever did it is not among those it was done to. Within a sentence (_consistent)
    and, for a record, across the mentions and reports merged into it ("attackers" that carried out the attack and
    were shot dead by police in another sentence are its perpetrators, not its victims; and the attackers killed in an
    attack by gunmen are the gunmen: same_side)."""
    perpetrators = [a for a in actors if a.role == "perpetrator"]
    return [a for a in actors if a.role not in ("victim", "target") or not any(same_side(a, p) for p in perpetrators)]


def same_side(a: ActorRole | EventActor, b: ActorRole | EventActor) -> bool:
    """One actor (_same_actor), or two words for unnamed armed men ("gunmen", "attackers": generic_armed)."""
    return _same_actor(a, b) or a.kind == b.kind == "generic_armed"


def _consistent(roles: list[ActorRole]) -> tuple[ActorRole, ...]:
    """Roles that do not contradict each other: a perpetrator is never also a victim or target of the same event
    (a named gunman is not among his own victims; the target of a strike is not its striker), and a named group or
    person wins over a generic word for the same side ("Lashkar-e-Taiba militants": the group, not "militants")."""
    return tuple(named_over_generic(one_side_each(roles)))


def named_over_generic(actors: Sequence[R], confirmed: bool = False) -> list[R]:
    """The actors without the generic words for the perpetrators ("militants", "gunmen") when a perpetrator is named
    (a group or a person): who did it, by name, as ACLED and GTD code it. Within a sentence (_consistent: "suspected
    Lashkar-e-Taiba militants" are the group) and, with `confirmed`, for a record across its mentions and reports,
    where only a name without attribution does it ("Gunmen stormed a hotel ... Al-Mourabitoun said it carried out
    the attack": the gunmen stay beside the group that claimed it)."""
    named = any(a.role == "perpetrator" and a.kind not in GENERIC_KINDS and a.kind not in BYSTANDER_KINDS
                and _is_name(a) and not (confirmed and a.attribution) for a in actors)
    return [a for a in actors if not (named and a.role == "perpetrator" and a.kind in GENERIC_KINDS)]


def record_actors(actors: Sequence[R]) -> tuple[R, ...]:
    """A record's actors, gathered from its mentions (consolidate/record.py) or its reports (consolidate/across.py),
    made consistent as a sentence's are: one side each, a confirmed name over the generic words, and the first of
    several generic words for the unnamed armed men standing for them all ("gunmen", then "attackers": gunmen, once;
    they are one side: same_side)."""
    kept = named_over_generic(one_side_each(actors), confirmed=True)
    first = next((a for a in kept if a.role == "perpetrator" and a.kind == "generic_armed"), None)
    return tuple(a for a in kept if a is first or not (a.role == "perpetrator" and a.kind == "generic_armed"))
