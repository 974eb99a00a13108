"""Event mentions: one per event type a sentence reports, with modality, arguments and evidence.

A sentence's triggers are grouped by type. A call, threat, plot or claim frames what follows it ("riep op om
aanslagen te plegen"): the framed triggers are its content, not events of their own. A death word next to an
attack word is the attack's toll, not a second event.
"""
from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from ..datafiles import read_tsv
from ..ontology import ARMED_KINDS, FRAME_TYPES, GENERIC_KINDS, PLACE_RANK, STATE_KINDS, VIOLENT_TYPES
from ..records import AnnotatedArticle, EventMention, Evidence, Span
from .clauses import clause_bounds, nearest, spans_within
from .modality import modality_of, suspected_attribution
from .roles import ARMED_KINDS, assign_roles

__all__ = ["extract_mentions"]

SENTENCE_PRECEDENCE = ("remote_violence", "attack", "armed_clash")
FORM_RANK = {"verb": 0, "participle": 0, "noun": 1, "infinitive": 2}
_DEFINITE = {"nl": {"de", "het", "deze", "die", "dit", "dat"}, "en": {"the", "this", "that", "these", "those"}}
_WORDS = re.compile(r"[\w'’-]+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _paragraph_index(text: str, sentences: tuple[Span, ...]) -> list[int]:
    breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(text)]
    out, b = [], 0
    for s in sentences:
        while b < len(breaks) and breaks[b] < s.start:
            b += 1
        out.append(b)
    return out


def _is_plural(word: str, language: str) -> bool:
    word = word.lower()
    if language == "nl":   # aanslagen, explosies, confrontaties; not opmars, proces
        return word.endswith("en") or (word.endswith("s") and word[-2:-1] in ("e", "a", "o", "u", "i", "y")
                                       and not word.endswith(("ss", "is", "us")))
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _reference(doc: AnnotatedArticle, trigger: Span, sentence: Span, clause: tuple[int, int],
               has_details: bool) -> str:
    if trigger.label != "noun" or has_details:
        return "specific"
    if not sentence.text.rstrip()[-1:] in ".!?…\"'”’)":
        return "generic"     # a heading without details ("Gevolgen van de trage opmars") names a topic
    if _is_plural(trigger.text.split()[-1], doc.article.language or "en"):
        return "generic"
    return "anaphoric" if _definite_noun(doc, trigger, clause) else "specific"


def _definite_noun(doc: AnnotatedArticle, trigger: Span, clause: tuple[int, int]) -> bool:
    if trigger.label != "noun":
        return False
    language = doc.article.language or "en"
    before = [w.lower() for w in _WORDS.findall(doc.article.text[max(clause[0], trigger.start - 30):trigger.start])]
    return bool(before) and before[-1] in _DEFINITE.get(language, set())


def _head(triggers: list[Span]) -> Span:
    """The trigger that best names the event: a verb before a noun, a subtype before none, then the first."""
    return min(triggers, key=lambda t: (FORM_RANK.get(t.label, 1), t.value.subtype is None, t.start))


def extract_mentions(doc: AnnotatedArticle) -> tuple[EventMention, ...]:
    """All event mentions in the article, in text order."""
    text = doc.article.text
    paragraphs = _paragraph_index(text, doc.sentences)
    triggers = doc.group("triggers")
    mentions: list[EventMention] = []
    for index, sentence in enumerate(doc.sentences):
        found = [t for t in spans_within(triggers, sentence.start, sentence.end) if t.value.event_type != "none"]
        if any(t.value.needs_violence for t in found) and not _violent_context(doc, sentence, found):
            found = [t for t in found if not t.value.needs_violence]
        if not found:
            continue
        frames = [t for t in found if t.value.event_type in FRAME_TYPES]
        content: set[Span] = set()
        for frame in frames:
            content |= {t for t in found if t.start > frame.start and t.value.event_type not in FRAME_TYPES
                        and t.value.event_type != "claim"}
        types_here = {t.value.event_type for t in found if t not in content}
        if types_here & {"attack", "armed_clash", "remote_violence"}:
            content |= {t for t in found if t.value.event_type == "killing"}
        # One clause, one violent event: "vielen het kamp aan ... er werd urenlang gevochten" is an attack
        # with fighting; "een aanval" next to "een luchtaanval" is the air strike.
        violent = [t for t in found if t not in content and t.value.event_type in SENTENCE_PRECEDENCE]
        for clause in {clause_bounds(sentence, t.start) for t in violent}:
            here = [t for t in violent if clause[0] <= t.start < clause[1]]
            if len({t.value.event_type for t in here}) > 1:
                plain_attack = all(t.value.subtype is None for t in here if t.value.event_type == "attack")
                order = SENTENCE_PRECEDENCE if plain_attack else ("attack", "remote_violence", "armed_clash")
                keep = next(kind for kind in order if any(t.value.event_type == kind for t in here))
                content |= {t for t in here if t.value.event_type != keep}
        by_type: dict[str, list[Span]] = {}
        for t in found:
            if t not in content:
                by_type.setdefault(t.value.event_type, []).append(t)
        for event_type, group in by_type.items():
            framed = [t for t in content if any(f.start < t.start for f in group)] if event_type in FRAME_TYPES \
                else []
            if event_type == "incitement" and not framed and not _violent_words(doc, sentence):
                continue   # a call for a ceasefire, for help, for a vote: not a call to violence
            mention = _mention(doc, index, paragraphs[index], sentence, event_type, group, framed)
            if event_type != "claim" and "claim" in by_type:
                # "IS heeft de aanslag opgeëist": IS is the claimant, not a confirmed perpetrator
                mention = dataclasses.replace(mention, actors=())
            mentions.append(mention)
    return tuple(mentions)


def _mention(doc: AnnotatedArticle, index: int, paragraph: int, sentence: Span, event_type: str,
             group: list[Span], framed: list[Span]) -> EventMention:
    text, language = doc.article.text, doc.article.language or "en"
    head = _head(group)
    clause = clause_bounds(sentence, head.start)
    in_clause = lambda name: spans_within(doc.group(name), *clause)          # noqa: E731
    in_sentence = lambda name: spans_within(doc.group(name), sentence.start, sentence.end)  # noqa: E731
    modality = modality_of(head, sentence, doc.group("cues"))

    places = [p for p in in_clause("places") if p.label == "place"] or \
        [p for p in in_sentence("places") if p.label == "place"]
    location = None
    if event_type not in ("incitement", "claim", "threat") and places:
        location = _best_place(places, head.start, text, language)
    elif event_type in ("incitement", "threat") and places:
        # where a call or threat was made is named before it; places after it belong to what it calls for
        before = [p for p in places if p.end <= head.start]
        location = _best_place(before, head.start, text, language) if before else None
    dates = in_clause("dates") or in_sentence("dates")
    date = nearest([d for d in dates if d.value is not None], head.start)
    casualties = in_sentence("casualties") if event_type not in FRAME_TYPES | {"claim", "arrest"} else []
    fatalities = max((c for c in casualties if c.label == "fatalities"), key=_quantity_min, default=None)
    injuries = max((c for c in casualties if c.label == "injuries"), key=_quantity_min, default=None)
    scope = (sentence.start, sentence.end) if event_type in FRAME_TYPES | {"claim"} else clause
    weapons = {w for t in group + framed for w in t.value.weapons}
    weapons |= {w.value for w in spans_within(doc.group("weapons"), *scope)}
    targets = {t.value for t in spans_within(doc.group("targets"), *scope)}
    actors = sorted(in_sentence("actors") + in_sentence("persons"), key=lambda s: s.start)
    reactions = in_sentence("reaction_words")
    tolls = tuple(in_sentence("casualties"))
    suspected = modality == "uncertain" or suspected_attribution(head, sentence, doc.group("cues"))
    roles = assign_roles(text, language, event_type, head, actors, uncertain=suspected,
                         reactions=reactions, clause=clause if event_type not in FRAME_TYPES | {"claim"} else None,
                         casualties=tolls)

    if location is not None and _definite_noun(doc, head, clause) and not 0 <= location.start - head.end <= 25:
        location = None    # "Sinds de schietpartij zit T. in de gevangenis in Vught": Vught is the prison's place
    # A group alone does not make a noun specific ("de strijd tegen IS" names a war, not an event); a person
    # named right after it does ("de dood van al-Adnani").
    named_right_after = any(p.start >= head.end and p.start - head.end <= 25
                            for p in in_clause("persons"))
    has_details = bool((location and location.value.precision not in ("region", "country")) or date
                       or fatalities or injuries or targets or named_right_after)
    reference = _reference(doc, head, sentence, clause, has_details)
    if reference == "generic" and modality == "asserted":
        modality = "generic"
    subtype = next((t.value.subtype for t in sorted(group, key=lambda t: (t.value.subtype is None, t.start))
                    if t.value.subtype), None)
    if event_type == "armed_clash" and subtype == "territory_taken" and _is_attempt(head, sentence, doc):
        subtype = "offensive"
    refined = _refine_type(event_type, subtype, roles)
    if refined != (event_type, subtype):
        event_type, subtype = refined
        roles = assign_roles(text, language, event_type, head, actors, uncertain=suspected,
                             reactions=reactions, clause=clause, casualties=tolls)
    if event_type == "attack" and modality == "future" and _planned(doc, sentence) and (
            head.text.lower().split()[-1].startswith(("aanslag", "terr")) or weapons or _violent_words(doc, sentence)):
        event_type, subtype, modality = "plot", "planned", "asserted"

    doc_id = doc.article.doc_id
    evidence = [Evidence(doc_id, sentence.start, sentence.end, sentence.text, None)]
    for field, span in (("date", date), ("location", location), ("fatalities", fatalities), ("injuries", injuries)):
        if span is not None:
            evidence.append(Evidence(doc_id, span.start, span.end, span.text, field))
    confidence = {"specific": 0.7, "anaphoric": 0.55, "generic": 0.3}[reference]
    confidence += 0.1 * bool(date) + 0.1 * bool(location) + (0.05 if head.label != "noun" else 0.0)
    return EventMention(doc_id=doc_id, type=event_type, subtype=subtype, modality=modality, sentence=index,
                        trigger=head, date=date, location=location, actors=roles, weapons=tuple(sorted(weapons)),
                        targets=tuple(sorted(targets)), fatalities=fatalities, injuries=injuries,
                        evidence=tuple(evidence), confidence=round(min(confidence, 0.95), 2), reference=reference,
                        paragraph=paragraph)


ARMED_GROUP_KINDS = ARMED_KINDS - STATE_KINDS - GENERIC_KINDS     # non_state_armed_group, militia, rebel_group


def _refine_type(event_type: str, subtype: str | None, roles) -> tuple[str, str | None]:
    """EVENTS.md's definitions applied to what the roles say.

    An attack word aimed at an armed group ("een grote aanval op IS") is fighting between armed forces: an
    armed_clash (offensive). A death caused by someone named ("gedood door een schutter") describes an attack.
    """
    if event_type == "attack" and subtype is None and any(
            r.role in ("target", "victim") and r.kind in ARMED_GROUP_KINDS for r in roles):
        return "armed_clash", "offensive"
    if event_type == "killing" and any(r.role == "perpetrator" for r in roles):
        return "attack", None
    return event_type, subtype




@lru_cache(maxsize=None)
def _place_markers(language: str, position: str) -> tuple[tuple[str, ...], ...]:
    markers = {tuple(row["marker"].lower().split()) for row in read_tsv("lexicons", "place_markers.tsv")
               if row["language"] == language and row["position"] == position}
    return tuple(sorted(markers, key=len, reverse=True))


def not_event_place(text: str, place: Span, language: str) -> bool:
    """Whether the words around a place say it is a comparison, a border, an origin or a destination."""
    before = [w.lower() for w in _WORDS.findall(text[max(0, place.start - 30):place.start])]
    after = [w.lower() for w in _WORDS.findall(text[place.end:place.end + 20])]
    return any(tuple(before[-len(m):]) == m for m in _place_markers(language, "before")) or \
        any(tuple(after[:len(m)]) == m for m in _place_markers(language, "after"))


def _best_place(places: list[Span], position: int, text: str = "", language: str = "en") -> Span | None:
    """The most specific place not marked as a comparison, origin or destination; among equals, the nearest."""
    places = [p for p in places if not not_event_place(text, p, language)]
    if not places:
        return None
    best_rank = min(PLACE_RANK.get(p.value.precision, 6) for p in places)
    return nearest([p for p in places if PLACE_RANK.get(p.value.precision, 6) == best_rank], position)


def _quantity_min(span: Span) -> int:
    return span.value.min if span.value is not None and span.value.min is not None else -1


def _violent_context(doc: AnnotatedArticle, sentence: Span, triggers: list[Span]) -> bool:
    """Whether a sentence is about violence, so a word like "aanval" or "battle" names an act of it: an armed
    actor, a weapon, a word of violence, a trigger that needs no such support, or (except for deaths alone) a
    casualty count."""
    if any(not t.value.needs_violence for t in triggers):
        return True
    if _violent_words(doc, sentence):
        return True
    deaths_only = all(t.value.event_type == "killing" for t in triggers)
    if not deaths_only and spans_within(doc.group("casualties"), sentence.start, sentence.end):
        return True
    return any(a.value.kind in ARMED_KINDS for a in spans_within(doc.group("actors"), sentence.start, sentence.end))


def _violent_words(doc: AnnotatedArticle, sentence: Span) -> bool:
    if spans_within(doc.group("weapons"), sentence.start, sentence.end):
        return True
    return bool(spans_within(doc.group("violence_words"), sentence.start, sentence.end))


def _planned(doc: AnnotatedArticle, sentence: Span) -> bool:
    return bool(spans_within(doc.group("plan_cues"), sentence.start, sentence.end))


def _is_attempt(head: Span, sentence: Span, doc: AnnotatedArticle) -> bool:
    return any(c.label == "attempt" and c.end <= head.start
               for c in spans_within(doc.group("cues"), sentence.start, sentence.end))
