"""One article, one record per event: mentions of the same event are merged, and the merge says why.

Rules, in order, for each mention (text order):
  1. a death without an attack word ("werden gedood", "were killed") joins the violent event at the same place
     (or, without a place, in the same or the previous sentence): it is that event's toll;
  2. an anaphoric mention ("de aanslag", "the attack") joins the latest event of its type, else the next one,
     else it is dropped (it refers to nothing the article describes);
  3. a mention joins an earlier one of the same type and modality when nothing conflicts (date, place, casualty
     figures), preferring the strongest link (same place or date, then closeness); a plain attack word may join a
     strike or clash;
  4. otherwise it is a new event.
Then a sentence that gives casualties but names no event gives them to the event just before it; a claim is linked
to the event it claims; and a claim or call without a date of its own takes the date of the event it reacts to.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from typing import Any

from ..records import ActorRole, AnnotatedArticle, Article, Event, EventMention, Evidence, Quantity, Span
from ..extract.clauses import spans_within
from ..extract.mentions import VIOLENT_TYPES

__all__ = ["consolidate_article"]

PRECISION_RANK = {"site": 0, "city": 1, "admin2": 2, "admin1": 3, "country": 4, "region": 5, "unknown": 6}
DATE_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}
GENERIC_KINDS = frozenset({"generic_armed", "civilians", None})   # "gunmen", "militants": a claim names them
REFINES = {"suicide_bombing": "bombing", "assassination": "shooting", "offensive": "clash"}
REACTION_TYPES = frozenset({"claim", "incitement", "threat"})
LINK_DISTANCE = 2      # sentences apart that still link two mentions of one event
TOLL_DISTANCE = 2      # sentences after an event whose bare casualty figures are its toll


@dataclass
class _Cluster:
    mentions: list[EventMention]
    reasons: list[str] = field(default_factory=list)
    extra_evidence: list[Evidence] = field(default_factory=list)
    extra_fatalities: list[Span] = field(default_factory=list)
    extra_injuries: list[Span] = field(default_factory=list)
    context_date: Span | None = None
    context_place: Span | None = None
    context_actors: list[ActorRole] = field(default_factory=list)
    claims: int | None = None          # index of the claimed cluster

    @property
    def head(self) -> EventMention:
        # The mention that started the event (deaths and references that joined it later do not change its type).
        return self.mentions[0]

    @property
    def type(self) -> str:
        return self.head.type

    @property
    def modality(self) -> str:
        return self.head.modality

    @property
    def last_sentence(self) -> int:
        return max(m.sentence for m in self.mentions)

    def date(self) -> Span | None:
        dated = [m.date for m in self.mentions if m.date is not None]
        return min(dated, key=lambda d: DATE_RANK.get(d.value.precision, 4)) if dated else self.context_date

    def location(self) -> Span | None:
        placed = [m.location for m in self.mentions if m.location is not None]
        return min(placed, key=lambda p: PRECISION_RANK.get(p.value.precision, 6)) if placed else self.context_place


def _conflicts(cluster: _Cluster, m: EventMention) -> str | None:
    # Subtypes do not conflict within an article: reports of one attack name its parts ("een explosie", "een
    # zelfmoordaanslag"); different dates, places or death tolls do.
    d = cluster.date()
    if d is not None and m.date is not None:
        a, b = d.value, m.date.value
        if a.start > b.end or b.start > a.end:
            return "date"
    loc = cluster.location()
    if loc is not None and m.location is not None:
        a, b = loc.value, m.location.value
        if a.country != b.country or (a.precision in ("city", "site") and b.precision in ("city", "site")
                                      and a.name != b.name and a.geonames_id != b.geonames_id):
            return "place"
    for attribute in ("fatalities", "injuries"):
        mine = [getattr(x, attribute) for x in cluster.mentions if getattr(x, attribute) is not None]
        theirs = getattr(m, attribute)
        if mine and theirs is not None and all(x.value != theirs.value for x in mine) \
                and all(x.value.min is not None for x in mine) and theirs.value.min is not None \
                and max(x.value.min for x in mine) > 2 and theirs.value.min > 2:
            return attribute
    return None


def _link(cluster: _Cluster, m: EventMention) -> str | None:
    loc, d = cluster.location(), cluster.date()
    if loc is not None and m.location is not None and loc.value.name == m.location.value.name:
        return f"same place ({loc.value.name})"
    if d is not None and m.date is not None and d.value == m.date.value:
        return f"same date ({d.value.start.isoformat()})"
    if abs(m.sentence - cluster.last_sentence) <= LINK_DISTANCE:
        return "sentences close together"
    if set(m.targets) & {t for x in cluster.mentions for t in x.targets}:
        return "same target"
    if m.reference != "specific" or cluster.head.reference != "specific":
        return "one mention gives no details of its own"
    if m.type in REACTION_TYPES:
        return None     # calls, threats and claims recur: two of them far apart are two statements
    return "nothing in the article tells them apart"


def _main_cluster(clusters: list[_Cluster]) -> _Cluster | None:
    """The asserted violent event the article says most about, when one stands out."""
    violent = sorted((c for c in clusters if c.type in VIOLENT_TYPES - {"killing"} and c.modality == "asserted"),
                     key=lambda c: -len(c.mentions))
    if not violent or (len(violent) > 1 and len(violent[1].mentions) >= len(violent[0].mentions)):
        return None
    return violent[0]


def _find_cluster(clusters: list[_Cluster], m: EventMention) -> tuple[int, str] | None:
    if m.type == "killing":
        for i in sorted(range(len(clusters)), key=lambda i: min(abs(m.sentence - x.sentence)
                                                                for x in clusters[i].mentions)):
            c = clusters[i]
            if c.type in VIOLENT_TYPES - {"killing"} and c.modality == m.modality and not _conflicts(c, m):
                loc = c.location()
                if m.location is not None and loc is not None and m.location.value.name == loc.value.name:
                    return i, f"deaths at the same place ({loc.value.name}) as the {c.type}"
                if m.location is None and (min(abs(m.sentence - x.sentence) for x in c.mentions) <= TOLL_DISTANCE
                                           or m.paragraph in {x.paragraph for x in c.mentions}):
                    return i, f"deaths reported right after the {c.type}"
        # Deaths with no place, date or named victim of their own, in an article about one attack, are that
        # attack's dead ("De dood van al-Adnani" is a death of its own).
        main = _main_cluster(clusters)
        named_victim = any(a.role == "victim" and a.kind == "person" for a in m.actors)
        if main is not None and m.location is None and m.date is None and not named_victim \
                and main.modality == m.modality and not _conflicts(main, m):
            return clusters.index(main), f"deaths in an article about the {main.type} in sentence " \
                                         f"{main.head.sentence + 1}"
    if m.reference == "anaphoric":
        for i in range(len(clusters) - 1, -1, -1):
            if clusters[i].type in ({m.type} | ({"remote_violence", "armed_clash"} if m.type == "attack" else set())) \
                    and clusters[i].head.reference != "generic":
                return i, f"'{m.trigger.text}' refers back to the {m.type} in sentence {clusters[i].head.sentence + 1}"
    # The strongest link wins (same place or date before mere proximity), then the latest event. A plain attack
    # word ("de aanval", "the attack") may name a strike or a clash described in other words.
    kin = VIOLENT_TYPES - {"killing"} if (m.type == "attack" and m.subtype is None) else {m.type}
    best: tuple[int, int, str] | None = None
    for i in range(len(clusters) - 1, -1, -1):
        c = clusters[i]
        if c.type not in kin or c.modality != m.modality or _conflicts(c, m):
            continue
        reason = _link(c, m)
        if reason:
            strength = 0 if reason.startswith(("same place", "same date")) else 1
            if best is None or strength < best[0]:
                best = (strength, i, reason)
    return (best[1], f"same {m.type}, {best[2]}") if best else None


def consolidate_article(doc: AnnotatedArticle, mentions: tuple[EventMention, ...]) -> tuple[Event, ...]:
    """The article's events, each with all its mentions' evidence."""
    clusters: list[_Cluster] = []
    unresolved: list[EventMention] = []
    # Deaths are placed last: "Zo'n twintig studenten kwamen om" before the sentence that names the attack is
    # still that attack's toll.
    ordered = [m for m in mentions if m.type != "killing"] + [m for m in mentions if m.type == "killing"]
    for m in ordered:
        found = _find_cluster(clusters, m)
        if found:
            i, reason = found
            clusters[i].mentions.append(m)
            clusters[i].reasons.append(reason)
        elif m.reference == "anaphoric":
            unresolved.append(m)
        else:
            clusters.append(_Cluster([m]))
    # "de strijd" before the sentence that says which fight: the nearest later event of the type. A reference to
    # nothing the article describes is no event.
    for m in unresolved:
        later = [c for c in clusters if c.type == m.type and c.head.reference != "generic"
                 and c.head.sentence > m.sentence]
        if later:
            c = min(later, key=lambda c: c.head.sentence)
            c.mentions.append(m)
            c.reasons.append(f"'{m.trigger.text}' refers ahead to the {m.type} in sentence {c.head.sentence + 1}")
    # Kroniek records political violence: an arrest is kept when the article also reports violence, a plot, a
    # threat, a call or a claim (in any modality), not in an article about shoplifting.
    if not any(c.type != "arrest" for c in clusters):
        clusters = []
    _attach_tolls(doc, clusters)
    _link_claims(clusters)
    _date_reactions(doc, clusters)
    _place_from_context(doc, clusters)
    _date_from_context(doc, clusters)
    _perpetrator_from_context(doc, clusters)
    for c in clusters:
        if not any(m.fatalities for m in c.mentions) and not c.extra_fatalities:
            death = _at_least_one_death(doc, c)
            if death is not None:
                c.extra_fatalities.append(death)
    return tuple(_to_event(doc.article, c, clusters) for c in clusters)


def _attach_tolls(doc: AnnotatedArticle, clusters: list[_Cluster]) -> None:
    mentioned = {m.sentence for c in clusters for m in c.mentions}
    casualties = doc.group("casualties")
    for index, sentence in enumerate(doc.sentences):
        if index in mentioned:
            continue
        found = spans_within(casualties, sentence.start, sentence.end)
        if not found:
            continue
        def distance(c: _Cluster) -> int:
            # after the event (its toll) before before it (a lead that gives the toll first)
            after = min((index - m.sentence for m in c.mentions if m.sentence < index), default=99)
            before = min((m.sentence - index for m in c.mentions if m.sentence > index), default=99)
            return min(after, before + 1)

        near = [c for c in clusters if c.type in VIOLENT_TYPES and c.modality == "asserted"
                and distance(c) <= TOLL_DISTANCE]
        if not near:
            continue
        c = min(near, key=distance)
        c.extra_evidence.append(Evidence(doc.article.doc_id, sentence.start, sentence.end, sentence.text, None))
        c.extra_fatalities += [s for s in found if s.label == "fatalities"]
        c.extra_injuries += [s for s in found if s.label == "injuries"]
        c.reasons.append(f"casualty figures in sentence {index + 1} follow the {c.type}")


def _link_claims(clusters: list[_Cluster]) -> None:
    for i, c in enumerate(clusters):
        if c.type != "claim":
            continue
        claim_sentence = c.head.sentence
        same = [j for j, o in enumerate(clusters) if j != i and o.type in VIOLENT_TYPES
                and any(m.sentence == claim_sentence for m in o.mentions)]
        before = [j for j, o in enumerate(clusters) if o.type in VIOLENT_TYPES and o.modality == "asserted"
                  and min(m.sentence for m in o.mentions) < claim_sentence]
        if same:
            c.claims = same[0]
        elif before:
            # Groups claim attacks and strikes far more than battles: prefer those, then the latest mentioned.
            c.claims = max(before, key=lambda j: (clusters[j].type in ("attack", "remote_violence"),
                                                  clusters[j].last_sentence))


def _date_reactions(doc: AnnotatedArticle, clusters: list[_Cluster]) -> None:
    for c in clusters:
        if c.type not in REACTION_TYPES or c.date() is not None:
            continue
        if c.claims is not None:
            c.context_date = clusters[c.claims].date()
            continue
        paragraph, sentence = c.head.paragraph, c.head.sentence
        earlier = [o for o in clusters if o is not c and o.date() is not None and o.type in VIOLENT_TYPES
                   and o.modality == "asserted"
                   and any(m.paragraph == paragraph and m.sentence < sentence for m in o.mentions)]
        if earlier:
            c.context_date = max(earlier, key=lambda o: o.last_sentence).date()


def _date_from_context(doc: AnnotatedArticle, clusters: list[_Cluster]) -> None:
    """A violent event whose own sentences give no date takes one given to the day in the sentence just before or
    after one of its mentions, in the same paragraph ("Het drama speelde zich af op 18 maart 2019. In een tram
    begon een man te schieten.")."""
    dated = [d for d in doc.group("dates") if d.value is not None and d.value.precision == "day"]
    if not dated:
        return
    for c in clusters:
        if c.date() is not None or c.type not in VIOLENT_TYPES:
            continue
        near = []
        for m in c.mentions:
            for index in (m.sentence - 1, m.sentence + 1):
                if 0 <= index < len(doc.sentences) and _same_paragraph(doc, m.sentence, index):
                    near += [(abs(index - m.sentence), d) for d in spans_within(
                        tuple(dated), doc.sentences[index].start, doc.sentences[index].end)]
        if near:
            c.context_date = min(near, key=lambda x: (x[0], x[1].start))[1]
            c.reasons.append(f"the date comes from a neighbouring sentence: '{c.context_date.text}'")


def _same_paragraph(doc: AnnotatedArticle, a: int, b: int) -> bool:
    lo, hi = sorted((a, b))
    return "\n\n" not in doc.article.text[doc.sentences[lo].end:doc.sentences[hi].start]


def _place_from_context(doc: AnnotatedArticle, clusters: list[_Cluster]) -> None:
    """An event whose own sentences name no place takes one from the sentence before or after it in the same
    paragraph, else — for the article's first asserted violent event — the city the article names most often."""
    places = [p for p in doc.group("places") if p.label == "place"]
    if not places:
        return
    sentence_of = {}
    for index, s in enumerate(doc.sentences):
        for p in spans_within(tuple(places), s.start, s.end):
            sentence_of[(p.start, p.end)] = index
    counts: dict[str, list[Span]] = {}
    for p in places:
        if p.value.precision in ("city", "site", "admin2"):
            counts.setdefault(p.value.name, []).append(p)
    dominant = max(counts.values(), key=len) if counts else []
    first_violent = next((c for c in clusters if c.type in VIOLENT_TYPES and c.modality == "asserted"), None)
    for c in clusters:
        if c.location() is not None or c.type in REACTION_TYPES:
            continue
        near = {m.sentence + d for m in c.mentions for d in (-1, 1)}
        paragraphs = {m.paragraph for m in c.mentions}
        candidates = [p for p in places if sentence_of.get((p.start, p.end)) in near
                      and any(spans_within((p,), *_paragraph_bounds(doc, c, para)) for para in paragraphs)]
        candidates = [p for p in candidates if PRECISION_RANK.get(p.value.precision, 6) <= 4]
        if candidates:
            c.context_place = min(candidates, key=lambda p: PRECISION_RANK.get(p.value.precision, 6))
        elif c is first_violent and len(dominant) >= 2:
            c.context_place = dominant[0]


def _perpetrator_from_context(doc: AnnotatedArticle, clusters: list[_Cluster]) -> None:
    """The article's first asserted attack, when its own sentences name no perpetrator, takes the person or armed
    group that the article calls the attacker or the suspect ("De verdachte, Gökmen T., ...")."""
    target = next((c for c in clusters if c.type in ("attack", "remote_violence") and c.modality == "asserted"),
                  None)
    if target is None or any(a.role == "perpetrator" for m in target.mentions for a in m.actors):
        return
    text = doc.article.text
    candidates = sorted(doc.group("persons") + tuple(a for a in doc.group("actors")
                                                     if a.value.kind in ("non_state_armed_group", "militia",
                                                                         "rebel_group")), key=lambda s: s.start)
    for sentence in doc.sentences:
        nouns = spans_within(doc.group("perpetrator_nouns"), sentence.start, sentence.end)
        if not nouns:
            continue
        noun = nouns[0]
        named = [c for c in spans_within(candidates, sentence.start, sentence.end)
                 if abs(c.start - noun.end) <= 40 or abs(noun.start - c.end) <= 40]
        if named:
            actor = min(named, key=lambda c: min(abs(c.start - noun.end), abs(noun.start - c.end)))
            target.context_actors.append(ActorRole("perpetrator", actor.value.name, actor.value.id, actor.value.kind,
                                                   noun.value, actor.text))
            target.extra_evidence.append(Evidence(doc.article.doc_id, sentence.start, sentence.end, sentence.text,
                                                  "actors"))
            target.reasons.append(f"the perpetrator is named in sentence {doc.sentences.index(sentence) + 1}")
            return


def _paragraph_bounds(doc: AnnotatedArticle, c: _Cluster, paragraph: int) -> tuple[int, int]:
    text = doc.article.text
    mention = next(m for m in c.mentions if m.paragraph == paragraph)
    start = text.rfind("\n\n", 0, mention.trigger.start)
    end = text.find("\n\n", mention.trigger.end)
    return (0 if start < 0 else start, len(text) if end < 0 else end)


def _at_least_one_death(doc: AnnotatedArticle, c: _Cluster) -> Span | None:
    """The lethal word ("doodgeschoten", "shot dead") in the event's own clauses when no figure is given."""
    if c.type not in VIOLENT_TYPES or c.modality != "asserted":
        return None
    for m in c.mentions:
        sentence = doc.sentences[m.sentence]
        found = spans_within(doc.group("lethal_words"), sentence.start, sentence.end)
        if found:
            return Span(found[0].start, found[0].end, found[0].text, "fatalities", Quantity(1, None), "lethal_words")
    return None


def _event_id(doc_id: str, c: _Cluster) -> str:
    first = min(c.mentions, key=lambda m: m.trigger.start)
    key = f"{doc_id}|{c.type}|{first.trigger.start}"
    return "evt_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]




def _quantity(spans: list[Span]) -> dict[str, Any] | None:
    spans = [s for s in spans if s is not None and s.value is not None]
    if not spans:
        return None
    best = max(spans, key=lambda s: (s.value.min if s.value.min is not None else -1))
    return {"min": best.value.min, "max": best.value.max, "text": best.text}


def _to_event(article: Article, c: _Cluster, clusters: list[_Cluster]) -> Event:
    doc_id = article.doc_id
    head = c.head
    date_span, place_span = c.date(), c.location()
    date = None
    if date_span is not None:
        v = date_span.value
        resolved = "context" if date_span is c.context_date else v.resolved_from
        date = {"start": v.start.isoformat(), "end": v.end.isoformat(), "precision": v.precision,
                "text": date_span.text, "resolved_from": resolved}
    location = None
    if place_span is not None:
        p = place_span.value
        location = {"name": p.name, "country": p.country, "admin1": p.admin1, "lat": p.lat, "lon": p.lon,
                    "geonames_id": p.geonames_id, "precision": p.precision, "text": place_span.text}
    actors: list[dict[str, Any]] = []
    for m in sorted(c.mentions, key=lambda m: m.sentence):
        for a in list(m.actors) + (c.context_actors if m is c.mentions[-1] else []):
            if not any(x["role"] == a.role and (x["id"] or x["name"]) == (a.id or a.name) for x in actors):
                actors.append({"role": a.role, "name": a.name, "id": a.id, "kind": a.kind,
                               "attribution": a.attribution, "text": a.text})
    related: list[dict[str, str]] = []
    if c.claims is not None:
        related.append({"relation": "claims", "event_id": _event_id(doc_id, clusters[c.claims])})
    for o in clusters:
        if o.claims is not None and clusters[o.claims] is c:
            related.append({"relation": "claimed_by", "event_id": _event_id(doc_id, o)})
            for a in o.head.actors:
                if a.role == "claimant" and not any(x["role"] == "perpetrator" and x["kind"] not in GENERIC_KINDS
                                                    for x in actors):
                    actors.append({"role": "perpetrator", "name": a.name, "id": a.id, "kind": a.kind,
                                   "attribution": "claimed", "text": a.text})
    evidence, seen = [], set()
    for ev in [e for m in c.mentions for e in m.evidence] + c.extra_evidence:
        key = (ev.start, ev.end, ev.field)
        if key not in seen:
            seen.add(key)
            evidence.append({"doc_id": ev.doc_id, "start": ev.start, "end": ev.end, "quote": ev.quote,
                             "field": ev.field})
    if date_span is not None and date_span is c.context_date:
        evidence.append({"doc_id": doc_id, "start": date_span.start, "end": date_span.end,
                         "quote": date_span.text, "field": "date"})
        seen.add((date_span.start, date_span.end, "date"))
    if place_span is not None and place_span is c.context_place:
        evidence.append({"doc_id": doc_id, "start": place_span.start, "end": place_span.end,
                         "quote": place_span.text, "field": "location"})
        seen.add((place_span.start, place_span.end, "location"))
    for name, spans in (("fatalities", c.extra_fatalities), ("injuries", c.extra_injuries)):
        for s in spans:
            if (s.start, s.end, name) not in seen:
                seen.add((s.start, s.end, name))
                evidence.append({"doc_id": doc_id, "start": s.start, "end": s.end, "quote": s.text, "field": name})
    source = {"doc_id": doc_id, "url": article.url, "title": article.title, "outlet": article.outlet,
              "published": article.published.isoformat() if article.published else None}
    subtypes = [m.subtype for m in c.mentions if m.subtype]
    subtype = head.subtype or (subtypes[0] if subtypes else None)
    for finer, coarser in REFINES.items():   # "een explosie" and "een zelfmoordaanslag": a suicide bombing
        if subtype == coarser and finer in subtypes:
            subtype = finer
    confidence = max(m.confidence for m in c.mentions)
    if len(c.mentions) > 1:
        confidence = min(0.95, confidence + 0.05)
    triggers = [{"doc_id": doc_id, "start": m.trigger.start, "end": m.trigger.end, "text": m.trigger.text}
                for m in sorted(c.mentions, key=lambda m: m.trigger.start)]
    return Event(id=_event_id(doc_id, c), type=c.type, subtype=subtype, modality=c.modality, date=date,
                 location=location, actors=tuple(actors),
                 weapons=tuple(sorted({w for m in c.mentions for w in m.weapons})),
                 targets=tuple(sorted({t for m in c.mentions for t in m.targets})),
                 fatalities=_quantity([m.fatalities for m in c.mentions] + c.extra_fatalities),
                 injuries=_quantity([m.injuries for m in c.mentions] + c.extra_injuries),
                 related=tuple(related), evidence=tuple(evidence), sources=(source,),
                 confidence=round(confidence, 2), merged_because=tuple(c.reasons), triggers=tuple(triggers))
