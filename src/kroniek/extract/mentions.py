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
from ..ontology import (ARMED_KINDS, FRAME_TYPES, GENERIC_KINDS, PLACE_RANK, STATE_KINDS, VIOLENT_TYPES,
                        subtype_rank, subtypes_compatible)
from ..records import AnnotatedArticle, EventMention, Evidence, Span
from ..places.coordination import coordinated_elsewhere
from ..places.time_reference import WINDOW as TIME_REFERENCE_WINDOW, named_as_time_reference
from .clauses import clause_bounds, nearest, spans_within
from .modality import modality_of, suspected_attribution
from .aftermath import attackers_end, attackers_end_opens
from .state_forces import striking_state
from .people import arrest_targets, harmed_parties, protest_participants, unnamed_agent
from .roles import assign_roles, marker_before

__all__ = ["extract_mentions"]

SENTENCE_PRECEDENCE = ("remote_violence", "attack", "armed_clash")
TERRITORY_SUBTYPES = frozenset({"territory_taken", "territory_regained"})
# Targets (data/lexicons/targets.tsv) whose attack is a battle against combatants, not a change of territory or an
# attack on civilians (also read by consolidate/record.py against_combatants).
MILITARY_TARGETS = frozenset({"military base", "checkpoint", "military position", "convoy"})
_INFINITIVE_TRIGGER = re.compile(r"(?:to|te)\s", re.I)
RIOT_ACTS = frozenset({"arson", "unarmed_assault", "looting", None})    # what rioters do that is part of the riot
# What state forces do to protesters that is part of the protest (ACLED: excessive force against protesters).
FORCE_TYPES = frozenset({"attack", "killing"})
FORCE_KINDS = frozenset({"police", "state_forces"})
ONE_EVENT_TYPES = frozenset({"protest"})
SEIZED_ARMS = frozenset({"grenade", "remote_explosive", "missile", "shelling", "chemical", "bombing"})    # its words of several subtypes name one event (the strongest names it)
FORM_RANK = {"verb": 0, "participle": 0, "noun": 1, "infinitive": 2}
# Characters after a definite event noun in which a place or date is still its own ("de aanslag in Berlijn").
DEFINITE_DETAIL_GAP = 25
QUALIFIER_NOUN = 12      # characters from a demonym to the place it qualifies (" hoofdstad ", " city of ")
MAX_MODIFIERS = 2        # adjectives or names between a determiner and the event noun it makes definite
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
    if language == "nl":   # aanslagen, explosies, confrontaties; not opmars, proces, chloorgas
        return word.endswith("en") or (word.endswith("s") and word[-2:-1] in ("e", "a", "o", "u", "i", "y")
                                       and not word.endswith(("ss", "is", "us", "gas")))
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _counted(trigger: Span, quantities: list[Span], text: str) -> bool:
    """Whether an exact count stands right before the event noun ("acht aanslagen", "three bombings"): counted events
    are particular ones, not a kind of event (a range or a vague count, "tientallen aanslagen", is not exact)."""
    for q in quantities:
        gap = text[q.end:trigger.start]
        if 0 <= trigger.start - q.end and len(_WORDS.findall(gap)) <= 1 and not any(c in gap for c in ",.;:") \
                and q.value is not None and q.value.min is not None and q.value.min == q.value.max:
            return True
    return False


def _reference(doc: AnnotatedArticle, trigger: Span, sentence: Span, clause: tuple[int, int],
               has_details: bool) -> str:
    if trigger.label != "noun" or has_details:
        return "specific"
    if not sentence.text.rstrip()[-1:] in ".!?…\"'”’)":
        return "generic"     # a heading without details ("Gevolgen van de trage opmars") names a topic
    if _is_plural(trigger.text.split()[-1], doc.article.language or "en"):
        return "generic"
    # "the attack" refers back to an event named before it; opening the text, it introduces one ("The missile fired
    # by the army destroyed the warship")
    return "anaphoric" if _definite_noun(doc, trigger, clause) and _earlier_trigger(doc, trigger) else "specific"


def _earlier_trigger(doc: AnnotatedArticle, trigger: Span) -> bool:
    """Whether an event word of the same kind comes before `trigger` in the article (an antecedent it may name)."""
    kind = trigger.value.event_type
    family = VIOLENT_TYPES if kind in VIOLENT_TYPES else {kind}
    for t in doc.group("triggers"):
        if t.start >= trigger.start:
            return False
        if t.value.event_type in family:
            return True
    return False


def _definite_noun(doc: AnnotatedArticle, trigger: Span, clause: tuple[int, int]) -> bool:
    if trigger.label != "noun":
        return False
    language = doc.article.language or "en"
    before = [w.lower() for w in _WORDS.findall(doc.article.text[max(clause[0], trigger.start - 60):trigger.start])]
    determiners, endings = _DEFINITE.get(language, set()), _modifier_endings().get(language, ())
    # "de aanslag", and "de gruwelijke aanslag", "the deadly attack": up to two adjectives in between
    for word in reversed(before[-(MAX_MODIFIERS + 1):]):
        if word in determiners:
            return True
        if not word.endswith(endings):
            return False
    return False


@lru_cache(maxsize=1)
def _modifier_endings() -> dict[str, tuple[str, ...]]:
    return {row["language"]: tuple(row["endings"].split()) for row in read_tsv("lexicons", "modifier_forms.tsv")}


# "said on Wednesday", "zei dinsdag": a date this close to a verb of saying dates the saying, not the event.
REPORTING_DATE_GAP = 15


def _reporting_date(date: Span, head: Span, reactions: list[Span]) -> bool:
    for verb in reactions:
        gap = date.start - verb.end if date.start >= verb.end else verb.start - date.end
        if 0 <= gap <= REPORTING_DATE_GAP and not min(date.start, verb.start) <= head.start <= max(date.end, verb.end):
            return True
    return False


def _nearer_another_event(date: Span, head: Span, other_triggers: list[Span], sentence: Span) -> bool:
    """A date beside another event's word is that event's ("the Paris attacks of November 2015"); in the event's own
    clause only a word of that clause can take it away."""
    clause = clause_bounds(sentence, date.start)
    mine = _gap(date, head)
    same_clause = clause[0] <= head.start < clause[1]
    return any(_gap(date, t) < mine for t in other_triggers if not same_clause or clause[0] <= t.start < clause[1])


def _gap(a: Span, b: Span) -> int:
    return max(a.start - b.end, b.start - a.end, 0)


def _compared_part(doc: AnnotatedArticle, sentence: Span, head: Span) -> tuple[int, int]:
    """The side of a comparison ("doet denken aan", "recalls") the event word stands on: the words on the other side
    describe another event."""
    start, end = sentence.start, sentence.end
    for cue in spans_within(doc.group("comparison_cues"), sentence.start, sentence.end):
        if cue.end <= head.start:
            start = max(start, cue.end)
        elif cue.start >= head.end:
            end = min(end, cue.start)
    return start, end


def _separate_events(sentence: Span, event_type: str, group: list[Span]) -> list[list[Span]]:
    """A sentence's triggers of one type, as the events they name: one, unless kinds that cannot be one event stand in
    different clauses ("suspected of driving a truck into a market in Berlin on Monday, was shot dead by police near
    Milan on Friday": a ramming and a shooting)."""
    parts: list[tuple[tuple[int, int], str, list[Span]]] = []     # (clause, subtype, triggers)
    plain = []
    for t in sorted(group, key=lambda t: t.start):
        if t.value.subtype is None:
            plain.append(t)
            continue
        clause = clause_bounds(sentence, t.start)
        for part in parts:
            if part[0] == clause or subtypes_compatible(event_type, part[1], t.value.subtype):
                part[2].append(t)
                break
        else:
            parts.append((clause, t.value.subtype, [t]))
    if len(parts) <= 1 or event_type in ONE_EVENT_TYPES:
        return [group]
    for t in plain:     # a word that names no kind joins the kind named in its clause, else the first
        clause = clause_bounds(sentence, t.start)
        next((p for p in parts if p[0] == clause), parts[0])[2].append(t)
    return [sorted(p[2], key=lambda t: t.start) for p in parts]


def _head(triggers: list[Span]) -> Span:
    """The trigger that best names the event: a verb before a noun, a subtype before none, then the first."""
    return min(triggers, key=lambda t: (FORM_RANK.get(t.label, 1), t.value.subtype is None, t.start))


def extract_mentions(doc: AnnotatedArticle) -> tuple[EventMention, ...]:
    """All event mentions in the article, in text order."""
    text = doc.article.text
    paragraphs = _paragraph_index(text, doc.sentences)
    triggers = doc.group("triggers")
    mentions: list[EventMention] = []
    previous: list[Span] = []        # the event words of the last sentence with any, for what happened to its attacker
    previous_index = -2
    for index, sentence in enumerate(doc.sentences):
        found = [t for t in spans_within(triggers, sentence.start, sentence.end) if t.value.event_type != "none"]
        if any(t.value.needs_violence for t in found) and not _violent_context(doc, sentence, found):
            found = [t for t in found if not t.value.needs_violence]
        if not found:
            continue
        found = _protest_clashes(doc, sentence, found)
        if any(t.value.event_type == "killing" for t in found) and _accident(doc, sentence):
            found = [t for t in found if t.value.event_type != "killing"]   # "Cyclone Idai killed 600 people"
            if not found:
                continue
        # "stabbed three people before he was shot dead by police", "... He was shot dead by police": the
        # attacker's end is not the attack
        ends = attackers_end(text, doc.article.language or "en", found)
        until = min(ends.values()) if ends else None
        opening = attackers_end_opens(text, doc.article.language or "en", sentence, found,
                                      previous if previous_index == index - 1 else [])
        previous, previous_index = found, index
        found = [t for t in found if t not in ends and t not in opening]
        frames = [t for t in found if t.value.event_type in FRAME_TYPES]
        content: set[Span] = set()
        absorbed: dict[Span, str] = {}     # a trigger that is part of an event of another type -> that type
        for frame in frames:
            inside = {t for t in found if t.start > frame.start and t.value.event_type not in FRAME_TYPES
                      and t.value.event_type != "claim"}
            if frame.value.subtype == "foiled" and not inside:
                # what was foiled stands before a verb-final "verijdeld" ("Een aanslag op het parlement werd
                # verijdeld", "An attack on parliament was foiled"), in its clause
                start, _ = clause_bounds(sentence, frame.start)
                inside = {t for t in found if start <= t.start < frame.start and t.value.event_type not in
                          FRAME_TYPES and t.value.event_type != "claim"}
            content |= inside
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
                # ACLED: where territory changes hands, the attack or strike that took it is that change
                # ("attacked and took over the town", "after an attack the army recovered the regions"); not an
                # attempt ("an attack to capture"), nor a position overrun ("overran several checkpoints": a battle)
                if _territory_changes(doc, here, clause):
                    order = ("armed_clash",)
                keep = next(kind for kind in order if any(t.value.event_type == kind for t in here))
                content |= {t for t in here if t.value.event_type != keep}
                absorbed.update({t: keep for t in here if t.value.event_type != keep})
        # Across the sentence's clauses too, a plain attack is named by territory changing hands beside it ("After an
        # attack on Monday, the army recaptured the villages") and by a chemical weapon ("chlorine was used ..., in a
        # rebel attack on the city": ACLED puts a chemical weapon before any other type)
        live = [t for t in found if t not in content]
        for owner, names_the_attack in (
                ("armed_clash", _territory_changes(doc, live, (sentence.start, sentence.end))),
                ("remote_violence", any(t.value.event_type == "remote_violence" and t.value.subtype == "chemical"
                                        for t in live))):
            if names_the_attack:
                plain = {t for t in found if t not in content and t.value.event_type == "attack"
                         and t.value.subtype is None}
                content |= plain
                absorbed.update({t: owner for t in plain})
                types_here = {t.value.event_type for t in found if t not in content}
        # A riot absorbs the protest it grew from and the fires and beatings of its rioters ("Masked rioters set fire
        # to cars ... as protests against the G20 summit turned violent"): one riot, unless armed actors attack.
        # (not a riot the protest is about: "protested following the riots")
        cut = _grievance_cut(doc, sentence, found)
        if any(t.value.event_type == "riot" and t not in content and t.start < cut for t in found) and not any(
                a.value.kind in ARMED_GROUP_KINDS for a in spans_within(
                doc.group("actors"), sentence.start, sentence.end)):
            # and the deaths at it ("demonstrators were killed by forces as protesters pelted them": its toll)
            riot_acts = {t for t in found if t not in content and (t.value.event_type == "protest" or (
                t.value.event_type == "killing" and t.start < cut) or (
                t.value.event_type == "attack" and t.value.subtype in RIOT_ACTS))}
            content |= riot_acts
            absorbed.update({t: "riot" for t in riot_acts})
        # "seized two landmines, three grenades and 2,000 rounds": the weapons seized are no attacks of their own
        if any(t.value.event_type == "strategic" and t.value.subtype == "weapons_seized" for t in found):
            arms = {t for t in found if t not in content and t.value.subtype in SEIZED_ARMS}
            content |= arms
            absorbed.update({t: "strategic" for t in arms})
        # ACLED's non-violent transfer of territory: a town taken "without a fight", "handed over", or taken after
        # the other side withdrew and with no fighting, weapon or casualty named in the text
        transfer = _non_violent_transfer(doc, sentence, [t for t in found if t not in content])
        if transfer:
            content |= transfer
            absorbed.update({t: "strategic" for t in transfer})
            types_here = {t.value.event_type for t in found if t not in content}
        # "Islamic State took Ramadi after Iraqi forces withdrew": a withdrawal beside fighting is part of it
        if types_here & {"attack", "armed_clash", "remote_violence"}:
            moves = {t for t in found if t not in content and t.value.event_type == "strategic"
                     and t.value.subtype == "group_change"}
            content |= moves
            owner = next(k for k in ("armed_clash", "remote_violence", "attack") if k in types_here)
            absorbed.update({t: owner for t in moves})
        # "activists were detained during protests": arrests at a protest are its intervention (ACLED); not the
        # arrests it is about ("took to the streets to decry the arrests": after a grievance cue)
        if "protest" in types_here:
            held = {t for t in found if t not in content and t.value.event_type == "arrest"
                    and t.value.subtype == "arrest" and t.start < cut}
            content |= held
            absorbed.update({t: "protest" for t in held})
        # "police opened fire on the protesters, killing two": the force state forces use against a protest is part
        # of it (ACLED's excessive force against protesters), not the deaths it protests (after a grievance cue)
        if "protest" in types_here and not any(a.value.kind in ARMED_GROUP_KINDS for a in spans_within(
                doc.group("actors"), sentence.start, sentence.end)) and any(
                a.value.kind in FORCE_KINDS for a in spans_within(doc.group("actors"), sentence.start, sentence.end)):
            force = {t for t in found if t not in content and t.value.event_type in FORCE_TYPES and t.start < cut
                     and t.value.subtype not in ("bombing", "suicide_bombing", "vehicle_ramming", "kidnapping")}
            content |= force
            absorbed.update({t: "protest" for t in force})
        by_type: dict[str, list[Span]] = {}
        for t in found:
            if t not in content:
                by_type.setdefault(t.value.event_type, []).append(t)
        groups = [(event_type, part) for event_type, group in by_type.items()
                  for part in _separate_events(sentence, event_type, group)]
        for event_type, group in groups:
            others = [t for _, g in groups if g is not group for t in g]
            own = [t for t, kind in absorbed.items() if kind == event_type]
            framed = [t for t in content if any(f.start < t.start for f in group)] if event_type in FRAME_TYPES \
                else []
            violent_content = [t for t in framed if t.value.event_type in VIOLENT_TYPES | {"plot", "riot"}]
            if event_type == "incitement" and not violent_content and not _violent_words(doc, sentence):
                continue   # a call for a ceasefire, for help, for a vote, for protests: not a call to violence
            mention = _mention(doc, index, paragraphs[index], sentence, event_type, group, framed, others, own,
                               cut if event_type == "protest" else sentence.end, until)
            if event_type != "claim" and "claim" in by_type:
                # "IS heeft de aanslag opgeëist": IS is the claimant, not a confirmed perpetrator
                mention = dataclasses.replace(mention, actors=())
            mentions.append(mention)
    return tuple(mentions)


def _mention(doc: AnnotatedArticle, index: int, paragraph: int, sentence: Span, event_type: str,
             group: list[Span], framed: list[Span], others: list[Span], own: list[Span] = (),
             grievance: int | None = None, until: int | None = None) -> EventMention:
    """One event mention from its triggers (`group`); `others`: the triggers of the sentence's other events; `own`:
    words of other types that are part of this event (the protest a riot grew from); `grievance`: where a protest's
    sentence starts to name what the protest is about (its words and casualties from there on are not the protest's
    own); `until`: where the clause of what happened to the attacker opens (aftermath.py), for an event before it."""
    text, language = doc.article.text, doc.article.language or "en"
    head = _head(group)
    part = _compared_part(doc, sentence, head)
    if until is not None and head.end <= until:
        part = (part[0], min(part[1], until))      # the attacker's end (aftermath.py) is not this event's
    clause = clause_bounds(sentence, head.start)
    clause = (max(clause[0], part[0]), min(clause[1], part[1]))
    in_clause = lambda name: spans_within(doc.group(name), *clause)          # noqa: E731
    in_sentence = lambda name: spans_within(doc.group(name), *part)          # noqa: E731
    # "There were no casualties in the bombing": a violent event's casualties denied, not the event
    modality = modality_of(head, sentence, doc.group("cues"),
                           doc.group("casualty_denials") if event_type in VIOLENT_TYPES else ())
    if modality == "hypothetical" and _when_with_a_past_day(doc, sentence):
        modality = "asserted"     # "Als X in de nacht van 12 op 13 juli 2014 parkeert, wordt hij doodgeschoten"

    sentence_places = [p for p in in_sentence("places") if p.label == "place"]
    places = [p for p in in_clause("places") if p.label == "place"] or sentence_places
    location = None
    if event_type not in ("incitement", "claim", "threat") and places:
        location = _best_place(places, head.start, text, language, sentence_places)
    elif event_type in ("incitement", "threat") and places:
        # where a call or threat was made is named before it; places after it belong to what it calls for
        before = [p for p in places if p.end <= head.start]
        location = _best_place(before, head.start, text, language) if before else None
    # A definite noun ("na de aanslag", "after the attack") refers back to an event: a date in another clause of
    # its sentence is that clause's ("... is dinsdagavond weer vrijgelaten"), not the event's.
    # (but "De dodelijke aanslag op de garagehouder, die maandag in brand werd gestoken" opening an article introduces
    # the event: there is nothing before it to refer back to, and the date is its own)
    refers_back = _definite_noun(doc, head, clause) and _earlier_trigger(doc, head)
    dates = in_clause("dates") or ([] if refers_back else in_sentence("dates"))
    if refers_back:     # only "de aanslag van dinsdag", "the attack on 22 March": a date right after the noun
        dates = [d for d in dates if 0 <= d.start - head.end <= DEFINITE_DETAIL_GAP]
    reactions = in_sentence("reaction_words")
    # the words of the sentence's other events (not this one's own, nor a death word that is its toll)
    not_words = {*group, *framed, *own}   # a set: a list's `in` compares spans field by field, for every trigger
    words = [t for t in in_sentence("triggers") if t not in not_words and t.value.event_type != "none"
             and not (event_type in VIOLENT_TYPES and t.value.event_type == "killing")]
    own_dates = [d for d in dates if not _reporting_date(d, head, reactions)
                 and not _nearer_another_event(d, head, words, sentence)]
    date = nearest([d for d in own_dates if d.value is not None], head.start)
    # a date the publication date is missing to resolve ("afgelopen weekend" in an undated article) still says the
    # event is a particular one
    dated = date is not None or bool(own_dates)
    undated_words = None
    if date is None and doc.article.published is None:
        undated_words = nearest([d for d in own_dates if d.value is None and d.label == "date"], head.start)
    casualties = in_sentence("casualties") if event_type not in FRAME_TYPES | {"claim", "arrest"} else []
    if grievance is not None:
        casualties = [c for c in casualties if c.start < grievance]
    fatalities = max((c for c in casualties if c.label == "fatalities"), key=_quantity_min, default=None)
    injuries = max((c for c in casualties if c.label == "injuries"), key=_quantity_min, default=None)
    scope = (sentence.start, sentence.end) if event_type in FRAME_TYPES | {"claim"} else clause
    weapons = {w for t in group + framed for w in t.value.weapons}
    # a vehicle beside a verb that names another act is no weapon ("their vehicle was ambushed", "zittend in een auto
    # doodgeschoten"); the ramming verbs carry it themselves ("reed ... in op", "ploughed into"), and beside an event
    # noun it may be how the attack was done ("de aanslag ... reed een vrachtwagen"), as in a call or plot, and so it
    # is as a passive's agent ("werden aangereden door een auto en neergestoken")
    weapons |= {w.value for w in spans_within(doc.group("weapons"), *scope)
                if w.value != "vehicle" or head.label == "noun" or event_type not in VIOLENT_TYPES
                or marker_before(text, w.start, language) == "agent"}
    targets = {t.value for t in spans_within(doc.group("targets"), *scope)}
    actors = sorted(in_sentence("actors") + in_sentence("persons"), key=lambda s: s.start)
    tolls = _counted_people(in_sentence("casualties"), in_sentence("quantities"))
    suspected = modality == "uncertain" or suspected_attribution(head, sentence, doc.group("cues"))
    foreign = tuple(others)
    roles = assign_roles(text, language, event_type, head, actors, uncertain=suspected,
                         reactions=reactions, clause=clause if event_type not in FRAME_TYPES | {"claim"} else None,
                         casualties=tolls, other_triggers=foreign)
    taken = tuple(actors) + tuple(in_clause("places"))      # names and places: no common noun phrase of people
    if event_type == "arrest":
        roles = arrest_targets(text, language, head, clause, in_clause("quantities"), roles, taken,
                               tuple(in_clause("dates")))
    elif event_type in VIOLENT_TYPES and head.label != "noun":
        clause_dates, clause_weapons = tuple(in_clause("dates")), tuple(in_clause("weapons"))
        roles = harmed_parties(text, language, head, clause, in_clause("quantities"), roles, taken, clause_dates,
                               clause_weapons)
        roles = unnamed_agent(text, language, head, clause, in_clause("quantities"), roles, taken, clause_dates,
                              clause_weapons)
    elif event_type in ("protest", "riot"):
        roles = protest_participants(text, language, head, clause, in_clause("quantities"), roles, taken)

    if location is not None and _definite_noun(doc, head, clause) and \
            not 0 <= _detail_gap(head, location, actors, in_sentence("places")) <= DEFINITE_DETAIL_GAP and \
            not _place_verb_between(text, head.end, location.start, language):
        location = None    # "Sinds de schietpartij zit T. in de gevangenis in Vught": Vught is the prison's place
    # A group alone does not make a noun specific ("de strijd tegen IS" names a war, not an event); a person
    # named right after it does ("de dood van al-Adnani").
    named_right_after = any(p.start >= head.end and p.start - head.end <= 25
                            for p in in_clause("persons"))
    has_details = bool((location and location.value.precision not in ("region", "country")) or dated
                       or fatalities or injuries or targets or named_right_after
                       or _counted(head, in_clause("quantities"), text))
    reference = _reference(doc, head, sentence, clause, has_details)
    if reference == "generic" and modality == "asserted":
        modality = "generic"
    named = [t for t in group if grievance is None or t.start < grievance] or group
    subtype = next((t.value.subtype for t in sorted(named, key=lambda t: (
        subtype_rank(event_type, t.value.subtype), t.value.subtype is None, t.start)) if t.value.subtype), None)
    if event_type == "protest" and any(t.value.event_type in FORCE_TYPES for t in own):
        subtype = "excessive_force"
    elif event_type == "protest" and subtype_rank("protest", subtype) >= subtype_rank("protest", "with_intervention") \
            and any(t.value.event_type == "arrest" for t in own):
        subtype = "with_intervention"
    if event_type == "strategic" and any(t.value.subtype in TERRITORY_SUBTYPES for t in own):
        subtype = "territory_transfer"     # a town taken as the other side withdrew: _non_violent_transfer
    harmed = [w for w in in_sentence("serious_harm") if grievance is None or w.start < grievance]
    if event_type == "protest" and subtype == "with_intervention" and (fatalities or injuries or harmed):
        subtype = "excessive_force"   # ACLED: an intervention that kills or seriously injures is excessive force
    outcome = next((t.value.outcome for t in group if t.value.outcome), None)
    if event_type == "armed_clash" and subtype == "territory_taken" and _is_attempt(head, sentence, doc):
        subtype = "offensive"
    refined = _refine_type(event_type, subtype, roles)
    if refined == ("killing", None) and head.label == "verb" and _weapon_subject(text, head, in_clause("weapons")):
        refined = ("attack", None)    # "A bomb killed twelve people", "Een bom doodde twaalf mensen": a weapon used
    if refined != (event_type, subtype):
        event_type, subtype = refined
        roles = assign_roles(text, language, event_type, head, actors, uncertain=suspected,
                             reactions=reactions, clause=clause, casualties=tolls, other_triggers=foreign)
    if event_type == "remote_violence" and not any(r.role == "perpetrator" for r in roles):
        state = striking_state(text, head, in_sentence("places"))     # "Turkse bombardementen"
        if state is not None:
            roles = roles + (state,)
    if event_type == "attack" and modality in ("future", "uncertain") and _planned(doc, sentence) and (
            head.text.lower().split()[-1].startswith(("aanslag", "terr")) or weapons or _violent_words(doc, sentence)):
        # a planned attack is a plot that happened; one said to have been prepared ("die een aanslag zouden hebben
        # voorbereid") a plot only suspected
        event_type, subtype, modality = "plot", "planned", "asserted" if modality == "future" else "uncertain"

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
                        paragraph=paragraph, outcome=outcome, undated_words=undated_words)


ARMED_GROUP_KINDS = ARMED_KINDS - STATE_KINDS - GENERIC_KINDS     # non_state_armed_group, militia, rebel_group
MILITARY_KINDS = (ARMED_KINDS & STATE_KINDS) - {"intelligence"}     # state_forces, coalition


def _protest_clashes(doc: AnnotatedArticle, sentence: Span, found: list[Span]) -> list[Span]:
    """"Clashes broke out between police and protesters": fighting at a protest without armed groups is a riot
    (ACLED's violent demonstration), not an armed clash."""
    if not any(t.value.event_type == "protest" for t in found) or any(
            a.value.kind in ARMED_GROUP_KINDS | {"generic_armed"}
            for a in spans_within(doc.group("actors"), sentence.start, sentence.end)):
        return found
    return [dataclasses.replace(t, value=dataclasses.replace(t.value, event_type="riot", subtype=None))
            if t.value.event_type == "armed_clash" and t.value.subtype == "clash" else t for t in found]


def _territory_changes(doc: AnnotatedArticle, triggers: list[Span], bounds: tuple[int, int]) -> bool:
    """Whether territory changes hands in these triggers: not an attempt ("an attack to capture"), nor a position
    overrun ("overran several checkpoints": a battle, by the targets in `bounds`)."""
    return any(t.value.event_type == "armed_clash" and t.value.subtype in TERRITORY_SUBTYPES
               and not _INFINITIVE_TRIGGER.match(t.text) for t in triggers) and not (
        {x.value for x in spans_within(doc.group("targets"), *bounds)} & MILITARY_TARGETS)


def _grievance_cut(doc: AnnotatedArticle, sentence: Span, found: list[Span]) -> int:
    """Where the sentence of a protest starts naming what it protests ("to mourn", "to decry", "uit protest tegen"
    after the first protest word; data/lexicons/grievance_cues.tsv), else the sentence's end."""
    protests = [t.start for t in found if t.value.event_type == "protest"]
    if not protests:
        return sentence.end
    cues = [c.start for c in spans_within(doc.group("grievance_cues"), sentence.start, sentence.end)
            if c.start > min(protests)]
    return min(cues, default=sentence.end)


def _non_violent_transfer(doc: AnnotatedArticle, sentence: Span, found: list[Span]) -> set[Span]:
    """The territory changes (and withdrawals) of a sentence that are a non-violent transfer of territory: a
    transfer word beside them ("took control of the towns without a fight", "handed authority over"), or a
    withdrawal of the other side with no fighting word, weapon or casualty in the whole text ("recaptured Palmyra
    after the army pulled out"). Their words join the transfer; a withdrawal alone stays a change to a group."""
    changes = [t for t in found if t.value.event_type == "armed_clash" and t.value.subtype in TERRITORY_SUBTYPES]
    transfers = [t for t in found if t.value.event_type == "strategic" and t.value.subtype == "territory_transfer"]
    withdrawals = [t for t in found if t.value.event_type == "strategic" and t.value.subtype == "group_change"]
    if not changes and not transfers:
        return set()
    if not transfers:
        # the whole text must be free of fighting: "captured Ramadi after Iraqi forces pulled out" stays a capture
        # where the article goes on to the suicide car bombs and the days of fighting that came before
        fighting = [t for t in doc.group("triggers") if t.value.event_type in VIOLENT_TYPES
                    and t.value.subtype not in TERRITORY_SUBTYPES]
        if not withdrawals or fighting or doc.group("weapons") or doc.group("casualties"):
            return set()
        # the withdrawal stands in for the transfer: it names the event
        return set(changes)
    return set(changes) | set(withdrawals)


def _weapon_subject(text: str, head: Span, weapons: list[Span]) -> bool:
    """Whether a weapon word is the subject of the killing verb right after it ("A bomb killed", "explosives killed",
    "een bom doodde"): at most one word (an adverb, a day) between, and no punctuation."""
    for w in weapons:
        gap = text[w.end:head.start]
        if w.end <= head.start and not any(c in gap for c in ",;:.()\"“”") and len(gap.split()) <= 1:
            return True
    return False


def _refine_type(event_type: str, subtype: str | None, roles) -> tuple[str, str | None]:
    """EVENTS.md's definitions applied to what the roles say.

    An attack word aimed at an armed group ("een grote aanval op IS") is fighting between armed forces: an
    armed_clash (offensive). A death caused by someone named ("gedood door een schutter") describes an attack.
    (An attack on soldiers or a military position stays an attack; ACLED's "Armed clash" for it is the
    crosswalk's: consolidate/record.py `with_codes`.)
    """
    if event_type == "attack" and subtype is None and any(
            r.role in ("target", "victim") and r.kind in ARMED_GROUP_KINDS for r in roles):
        return "armed_clash", "offensive"
    # "The army killed scores of terrorists": armed state forces against armed men, two armed organised sides
    # (ACLED's armed clash); not police against an attacker, who are no military side
    harmed = [r.kind for r in roles if r.role in ("target", "victim")]
    if event_type in ("attack", "killing") and subtype is None and harmed and all(
            k in ARMED_KINDS and k not in STATE_KINDS for k in harmed) and any(
            r.role == "perpetrator" and r.kind in MILITARY_KINDS for r in roles):
        return "armed_clash", "clash"
    if event_type == "killing" and any(r.role == "perpetrator" for r in roles):
        return "attack", None
    return event_type, subtype




@lru_cache(maxsize=None)
def _place_verbs(language: str) -> re.Pattern[str]:
    phrases = [row["phrase"].lower() for row in read_tsv("lexicons", "place_verbs.tsv") if row["language"] == language]
    if not phrases:
        return re.compile("(?!)")
    # "vond ... plaats": a separable verb with up to four words between its parts ("vond dit weekend plaats")
    alternatives = [r"(?:\s+\S+){0,4}?\s+".join(re.escape(part.strip()) for part in p.split("...")) for p in phrases]
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(alternatives, key=len, reverse=True)) + r")(?!\w)")


def _detail_gap(head: Span, place: Span, names: list[Span], places: list[Span] = ()) -> int:
    """Characters between an event noun and a place after it, not counting the names between them, nor the place's own
    qualifier (a demonym or a country, and the noun after it): in "de moord op journalist Peter Bakker in Utrecht" and
    "de aanslag op de moskee in de Nieuw-Zeelandse stad Christchurch" the place is the event's, as in "de moord in
    Utrecht"."""
    gap = place.start - head.end
    for name in names:
        if head.end <= name.start and name.end <= place.start:
            gap -= name.end - name.start
    qualifier = next((p for p in places if (p.label == "demonym" or getattr(p.value, "precision", None) == "country")
                      and head.end <= p.start and p.end <= place.start
                      and place.start - p.end <= QUALIFIER_NOUN), None)
    if qualifier is not None:
        gap -= place.start - qualifier.start
    return gap


def _place_verb_between(text: str, start: int, end: int, language: str) -> bool:
    """Whether a verb that says where something happened ("vond plaats", "took place") stands in text[start:end]."""
    return bool(_place_verbs(language).search(text[start:end].lower()))


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


def _reference_point(text: str, place: Span, language: str) -> bool:
    """A place named to locate another ("vlakbij Luik") or as part of a name or object ("de Bende van Nijvel")."""
    before = [w.lower() for w in _WORDS.findall(text[max(0, place.start - 40):place.start])]
    if any(tuple(before[-len(m):]) == m for m in _place_markers(language, "reference")):
        return True
    # "de Bende van Nijvel", "de erkenning van Jeruzalem"; not "de luchthaven van Orly" (a part of the place)
    parts = _place_markers(language, "part")
    for m in _place_markers(language, "modifier"):
        if tuple(before[-len(m):]) == m:
            noun = tuple(before[-len(m) - 1:-len(m)])
            return noun not in parts
    return False


def _dates_another_event(text: str, place: Span, position: int, language: str) -> bool:
    """A place named only to date the sentence by an earlier event ("een jaar na de aanslagen in Madrid"), unless
    the event word itself is that earlier event's (it stands in the phrase, just before the place)."""
    if place.start - TIME_REFERENCE_WINDOW <= position < place.start:
        return False
    return named_as_time_reference(text, place.start, place.end, language)


def _best_place(places: list[Span], position: int, text: str = "", language: str = "en",
                neighbours: list[Span] = ()) -> Span | None:
    """The most specific place not marked as a comparison, origin or destination; among equals, the nearest; none
    when that place is one of several in different countries named side by side ("in België, maar ook in
    Duitsland en Frankrijk werden verdachten gearresteerd": arrests in three countries, no one place). `neighbours`:
    the places of the whole sentence, for that check (a comma ends a clause but not a list)."""
    places = [p for p in places if not not_event_place(text, p, language)
              and not _dates_another_event(text, p, position, language)]
    # "in Verviers, vlakbij Luik": a place named as a point of reference is the event's only when there is no other
    located = [p for p in places if not _reference_point(text, p, language)]
    places = located or places
    if not places:
        return None
    best_rank = min(PLACE_RANK.get(p.value.precision, 6) for p in places)
    best = nearest([p for p in places if PLACE_RANK.get(p.value.precision, 6) == best_rank], position)
    if best is not None and text and coordinated_elsewhere(text, best, list(neighbours) or places, language):
        return None
    return best


def _quantity_min(span: Span) -> int:
    return span.value.min if span.value is not None and span.value.min is not None else -1


def _violent_context(doc: AnnotatedArticle, sentence: Span, triggers: list[Span]) -> bool:
    """Whether a sentence is about violence, so a word like "aanval" or "battle" names an act of it: an armed
    actor, a weapon, a word of violence, a trigger that needs no such support, or (except for deaths alone) a
    casualty count or a place attacks are made on ("in Nairobi werd een hotel aangevallen"; not "Trump valt
    bondgenoten aan"). In a sentence that names an accident (data/lexicons/accident_words.tsv) a vehicle, a casualty
    count and the word of violence inside it are no support ("Zeker 8 doden bij botsing tussen truck en
    bestelwagen"). A trigger's own weapon word is: "een enorme explosie" before the sentence that calls it a
    suicide bombing (leaving it out lost more such events on EventDNA train than it saved)."""
    if any(not t.value.needs_violence for t in triggers):
        return True
    start, end = sentence.start, sentence.end
    accident = bool(spans_within(doc.group("accident_words"), start, end))
    if any(not (accident and w.value == "vehicle") for w in spans_within(doc.group("weapons"), start, end)):
        return True
    counts = spans_within(doc.group("casualties"), start, end)
    if any(not (accident and any(c.start <= w.start < c.end for c in counts))
           for w in spans_within(doc.group("violence_words"), start, end)):
        return True
    deaths_only = all(t.value.event_type == "killing" for t in triggers)
    if not deaths_only and not accident and (counts or spans_within(doc.group("targets"), start, end)):
        return True
    return any(a.value.kind in ARMED_KINDS for a in spans_within(doc.group("actors"), start, end))


def _when_with_a_past_day(doc: AnnotatedArticle, sentence: Span) -> bool:
    """Whether the sentence's only hypothetical cue is a clause-opening "als"/"wanneer"/"when" and the sentence
    names a calendar day written out with its year, before publication: a narrative "when", not an "if"."""
    hypothetical = [c for c in spans_within(doc.group("cues"), sentence.start, sentence.end)
                    if c.label == "hypothetical"]
    if not hypothetical or any(c.value != "clause_start" for c in hypothetical) or \
            sentence.text.rstrip().endswith("?"):
        return False
    published = doc.article.published
    return any(d.value is not None and d.value.precision == "day" and d.value.resolved_from == "absolute"
               and (published is None or d.value.end <= published)
               for d in spans_within(doc.group("dates"), sentence.start, sentence.end))


def _counted_people(casualties: list[Span], quantities: list[Span]) -> tuple[Span, ...]:
    """The casualty spans from their count on: the people counted ("doodde de politie dinsdag twee verdachten": the
    suspects, not the police before the count). A span without a count ("een agent werd gedood") stays whole."""
    out = []
    for c in casualties:
        count = next((q for q in quantities if c.start <= q.start and q.end <= c.end), None)
        out.append(c if count is None or count.start == c.start else Span(
            count.start, c.end, c.text[count.start - c.start:], c.label, c.value, c.producer))
    return tuple(out)


def _accident(doc: AnnotatedArticle, sentence: Span) -> bool:
    """Whether a sentence names a disaster or an accident as a cause of death, and no weapon (a vehicle is none),
    word of violence or armed actor (data/lexicons/accident_words.tsv): "Eight people were killed in a collision
    between a truck and a bus". The death's own words ("killing") are no support."""
    if not spans_within(doc.group("accident_words"), sentence.start, sentence.end):
        return False
    deaths = [t for t in spans_within(doc.group("triggers"), sentence.start, sentence.end)
              if t.value.event_type == "killing"]
    words = [w for w in spans_within(doc.group("weapons"), sentence.start, sentence.end) if w.value != "vehicle"] + \
        spans_within(doc.group("violence_words"), sentence.start, sentence.end)
    if any(not any(d.start <= w.start < d.end for d in deaths) for w in words):
        return False
    return not any(a.value.kind in ARMED_KINDS for a in spans_within(doc.group("actors"), sentence.start,
                                                                        sentence.end))


def _violent_words(doc: AnnotatedArticle, sentence: Span) -> bool:
    if spans_within(doc.group("weapons"), sentence.start, sentence.end):
        return True
    return bool(spans_within(doc.group("violence_words"), sentence.start, sentence.end))


def _planned(doc: AnnotatedArticle, sentence: Span) -> bool:
    return bool(spans_within(doc.group("plan_cues"), sentence.start, sentence.end))


def _is_attempt(head: Span, sentence: Span, doc: AnnotatedArticle) -> bool:
    return any(c.label == "attempt" and c.end <= head.start
               for c in spans_within(doc.group("cues"), sentence.start, sentence.end))
