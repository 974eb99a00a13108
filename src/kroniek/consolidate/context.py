"""What an event's own sentences leave out, taken from the rest of the article, each time saying why: the toll in
the next sentence, the claimed event, the date of the event a claim reacts to, a date or place in a neighbouring
sentence, the perpetrator the article names elsewhere, and at least one death where the words say someone died."""
from __future__ import annotations

import dataclasses
from bisect import bisect_left, bisect_right

import re
from functools import lru_cache

from ..datafiles import read_tsv, word_alternation
from ..extract.aftermath import attackers_end, attackers_end_opens
from ..extract.clauses import spans_within
from ..extract.mentions import not_event_place
from ..places import find_places
from ..ontology import PLACE_RANK, REACTION_TYPES, VIOLENT_TYPES
from ..records import ActorRole, AnnotatedArticle, Evidence, Quantity, Span
from .cluster import Cluster

__all__ = ["fill_from_context"]

TOLL_DISTANCE = 2      # sentences from an event whose bare casualty figures are its toll
CLAIM_LOOKBACK = 80    # sentences before a claim or call in which the event it reacts to is looked for
NAMED_NEAR_NOUN = 40   # characters at most between a perpetrator noun and the name it gives ("De verdachte, Jan B.")


def fill_from_context(doc: AnnotatedArticle, clusters: list[Cluster]) -> None:
    """Complete the clusters of one article in place (each addition records its reason)."""
    _attach_tolls(doc, clusters)
    _link_claims(clusters)
    _date_reactions(doc, clusters)
    _place_from_context(doc, clusters)
    _date_from_context(doc, clusters)
    _perpetrator_from_context(doc, clusters)
    _link_consequences(clusters)
    for c in clusters:
        if not any(m.fatalities for m in c.mentions) and not c.extra_fatalities:
            death = _at_least_one_death(doc, c, clusters)
            if death is not None:
                c.extra_fatalities.append(death)


# What may follow an attack as an event of its own: the suspect arrested, charged or tried, shot dead by police,
# fighting that broke out after it.
CONSEQUENCE_TYPES = frozenset({"arrest", "attack", "killing", "armed_clash"})
INCIDENT_TYPES = frozenset({"attack", "remote_violence", "armed_clash"})


def _link_consequences(clusters: list[Cluster]) -> None:
    """An event told in the same sentence as an earlier incident, and not dated before it, follows from it: "Amri,
    suspected of driving a truck into a market in Berlin on Monday, was shot dead by police near Milan on Friday";
    "De asielzoeker die kort na de aanslag werd opgepakt". Both stay events of their own, linked (follows /
    followed_by)."""
    by_sentence: dict[int, set[int]] = {}
    for j, c in enumerate(clusters):
        for m in c.mentions:
            by_sentence.setdefault(m.sentence, set()).add(j)
    for y, later in enumerate(clusters):
        if later.type not in CONSEQUENCE_TYPES or later.modality != "asserted":
            continue
        sentences = {m.sentence for m in later.mentions}
        candidates = sorted({x for s in sentences for x in by_sentence.get(s, ()) if x != y})
        dl = later.date()
        for x in candidates:
            earlier = clusters[x]
            if earlier.type not in INCIDENT_TYPES or earlier.modality != "asserted":
                continue
            de = earlier.date()
            if de is None or (dl is not None and dl.value.start <= de.value.end):
                continue    # no order to tell, or the same time: parts of one event, not what followed it
            if any(rel == "follows" for rel, _ in later.links):
                break
            later.links.append(("follows", x))
            earlier.links.append(("followed_by", y))
            later.reasons.append(f"follows the {earlier.type} told in the same sentence")
            break


def _tells_attackers_end(doc: AnnotatedArticle, index: int) -> bool:
    """Whether sentence `index` opens with what happened to the attacker of the sentence before it
    (kroniek.extract.aftermath)."""
    if index == 0:
        return False
    sentence = doc.sentences[index]
    return bool(attackers_end_opens(doc.article.text, doc.article.language or "en", sentence,
                                    _event_words(doc, sentence), _event_words(doc, doc.sentences[index - 1])))


def _event_words(doc: AnnotatedArticle, sentence: Span) -> list[Span]:
    """The sentence's triggers that name an event (not the "none" words that only block others)."""
    return [t for t in spans_within(doc.group("triggers"), sentence.start, sentence.end)
            if t.value.event_type != "none"]


def _attach_tolls(doc: AnnotatedArticle, clusters: list[Cluster]) -> None:
    by_sentence: dict[int, list[Cluster]] = {}
    for c in clusters:
        if c.type in VIOLENT_TYPES and c.modality == "asserted":
            for m in c.mentions:
                by_sentence.setdefault(m.sentence, []).append(c)
    order = {id(c): i for i, c in enumerate(clusters)}
    mentioned = {m.sentence for c in clusters for m in c.mentions}
    # sentences that report another kind of event as happening (an arrest, a claim): figures after them are not
    # the toll of an attack told before them
    other_events = {m.sentence for c in clusters if c.modality == "asserted" and c.type not in VIOLENT_TYPES
                    for m in c.mentions}
    sentences_of = {id(c): sorted(m.sentence for m in c.mentions) for c in clusters}   # bisected, not rescanned
    casualties = doc.group("casualties")
    for index, sentence in enumerate(doc.sentences):
        if index in mentioned:
            continue
        found = spans_within(casualties, sentence.start, sentence.end)
        if not found or _tells_attackers_end(doc, index):
            continue    # "He was shot dead by police" after the attack: the attacker's death, no victim's
        def distance(c: Cluster) -> int:
            # after the event (its toll) before before it (a lead that gives the toll first)
            sentences = sentences_of[id(c)]
            i = bisect_left(sentences, index)
            after = index - sentences[i - 1] if i else 99
            j = bisect_right(sentences, index)
            before = sentences[j] - index if j < len(sentences) else 99
            return min(after, before + 1)

        nearby = {id(c): c for i in range(index - TOLL_DISTANCE, index + TOLL_DISTANCE + 1)
                  for c in by_sentence.get(i, ())}
        near = [c for c in nearby.values() if distance(c) <= TOLL_DISTANCE]
        if not near:
            told = _told_last_in_paragraph(doc, by_sentence, other_events, index)
            if told is not None:
                near = [told]
            else:
                _toll_of_the_only_event(doc, clusters, index, found)
                continue
        c = min(near, key=lambda c: (distance(c), order[id(c)]))
        if index < sentences_of[id(c)][0]:
            # a figure before the event's own sentences that its own figure contradicts is another count ("Amnesty
            # spreekt van 3641 doden tussen 2016 en 2018. ... meldde dat 280 christenen zijn vermoord"), not a lead
            found = [s for s in found if not _contradicted(c, s)]
            if not found:
                continue
        c.extra_evidence.append(Evidence(doc.article.doc_id, sentence.start, sentence.end, sentence.text, None))
        c.extra_fatalities += [s for s in found if s.label == "fatalities"]
        c.extra_injuries += [s for s in found if s.label == "injuries"]
        c.reasons.append(f"casualty figures in sentence {index + 1} follow the {c.type}")


def _told_last_in_paragraph(doc: AnnotatedArticle, by_sentence: dict[int, list[Cluster]], other_events: set[int],
                            index: int) -> Cluster | None:
    """The one asserted violent event that the paragraph of sentence `index` told before it ("Op Paasdag werden acht
    aanslagen gepleegd. [...] Momenteel liggen nog 375 mensen in het ziekenhuis."): a paragraph that tells one event
    and then gives figures gives that event's, however many sentences of detail stand between. None when the
    paragraph told no such event before, or more than one (the figures could be either's), or reported another event
    as happening after it (`other_events`: "De dader werd opgepakt.")."""
    told: Cluster | None = None
    earlier = index - 1
    while earlier >= 0 and same_paragraph(doc, earlier, index):
        for c in by_sentence.get(earlier, ()):
            if told is not None and c is not told:
                return None
            told = c
        if told is None and earlier in other_events:
            return None
        earlier -= 1
    return told


def _contradicted(c: Cluster, span: Span) -> bool:
    """Whether the cluster's own mentions give the figure's attribute a count that cannot be the same toll. Counts of
    one or two are often a part ("een Palestijnse man doodgeschoten" under "Twee doden"): they contradict nothing, as
    in within._conflicts."""
    from .within import _tolls_differ    # within imports this module

    own = c.tolls(span.label)
    value = span.value
    return bool(own) and value is not None and value.min is not None and value.min > 2 and all(
        q.min is not None and q.min > 2 and _tolls_differ(q, value) for q in own)


def _toll_of_the_only_event(doc: AnnotatedArticle, clusters: list[Cluster], index: int, found: list[Span]) -> None:
    """Bare casualty figures far from any event word ("De 19-jarige vrouw die omkwam", "Two other students were
    wounded") are the toll of the article's one violent event when it reports no other (in any modality) and the
    figures come after it: only the figures it lacks are taken (a death toll it already has is not replaced)."""
    violent = [c for c in clusters if c.type in VIOLENT_TYPES]
    if len(violent) != 1 or violent[0].modality != "asserted":
        return
    c = violent[0]
    if index < min(m.sentence for m in c.mentions):
        return
    sentence = doc.sentences[index]
    added = False
    for label, extra in (("fatalities", c.extra_fatalities), ("injuries", c.extra_injuries)):
        spans = [s for s in found if s.label == label]
        if spans and not extra and not any(getattr(m, label) for m in c.mentions):
            extra += spans
            added = True
    if added:
        c.extra_evidence.append(Evidence(doc.article.doc_id, sentence.start, sentence.end, sentence.text, None))
        c.reasons.append(f"casualty figures in sentence {index + 1} are the toll of the article's only violent event")


def _violent_by_sentence(clusters: list[Cluster]) -> dict[int, list[int]]:
    """Sentence -> indexes of the violent clusters mentioned in it (so lookups stay local in long texts)."""
    index: dict[int, list[int]] = {}
    for j, o in enumerate(clusters):
        if o.type in VIOLENT_TYPES:
            for m in o.mentions:
                if j not in index.setdefault(m.sentence, []):
                    index[m.sentence].append(j)
    return index


def _link_claims(clusters: list[Cluster]) -> None:
    by_sentence = _violent_by_sentence(clusters)
    for i, c in enumerate(clusters):
        if c.type != "claim":
            continue
        claim_sentence = c.head.sentence
        # a headline claim ("IS eist aanslag op Berlijnse kerstmarkt op") names what it claims in the lede that repeats it
        same = sorted({j for m in c.mentions for j in by_sentence.get(m.sentence, ()) if j != i})
        before = sorted({j for s in range(max(0, claim_sentence - CLAIM_LOOKBACK), claim_sentence)
                         for j in by_sentence.get(s, ()) if clusters[j].modality == "asserted"
                         and min(m.sentence for m in clusters[j].mentions) < claim_sentence})
        if same:
            c.claims = same[0]
        elif before:
            # Groups claim attacks and strikes far more than battles: prefer those, then the latest mentioned.
            c.claims = max(before, key=lambda j: (clusters[j].type in ("attack", "remote_violence"),
                                                  clusters[j].last_sentence))


def _date_reactions(doc: AnnotatedArticle, clusters: list[Cluster]) -> None:
    by_sentence = _violent_by_sentence(clusters)
    for c in clusters:
        if c.type not in REACTION_TYPES or c.date() is not None:
            continue
        if c.claims is not None:
            c.context_date = clusters[c.claims].date()
            continue
        paragraph, sentence = c.head.paragraph, c.head.sentence
        nearby = {j for s in range(max(0, sentence - CLAIM_LOOKBACK), sentence) for j in by_sentence.get(s, ())}
        earlier = [o for o in (clusters[j] for j in sorted(nearby)) if o is not c and o.date() is not None
                   and o.modality == "asserted"
                   and any(m.paragraph == paragraph and m.sentence < sentence for m in o.mentions)]
        if earlier:
            c.context_date = max(earlier, key=lambda o: o.last_sentence).date()


def _date_from_context(doc: AnnotatedArticle, clusters: list[Cluster]) -> None:
    """A violent event whose own sentences give no date takes one given to the day in the sentence just before or
    after one of its mentions, in the same paragraph ("Het drama speelde zich af op 18 maart 2019. In een tram
    begon een man te schieten.")."""
    dated = tuple(d for d in doc.group("dates") if d.value is not None and d.value.precision == "day")
    if not dated:
        return
    for c in clusters:
        if c.date() is not None or c.type not in VIOLENT_TYPES:
            continue
        near = []
        for m in c.mentions:
            for index in (m.sentence - 1, m.sentence + 1):
                if 0 <= index < len(doc.sentences) and same_paragraph(doc, m.sentence, index):
                    near += [(abs(index - m.sentence), d) for d in spans_within(
                        dated, doc.sentences[index].start, doc.sentences[index].end)]
        if near:
            c.context_date = min(near, key=lambda x: (x[0], x[1].start))[1]
            c.reasons.append(f"the date comes from a neighbouring sentence: '{c.context_date.text}'")


def same_paragraph(doc: AnnotatedArticle, a: int, b: int) -> bool:
    lo, hi = sorted((a, b))
    return "\n\n" not in doc.article.text[doc.sentences[lo].end:doc.sentences[hi].start]


def _place_from_context(doc: AnnotatedArticle, clusters: list[Cluster]) -> None:
    """An event whose own sentences name no place takes one from the sentence before or after it in the same
    paragraph, else — for the article's first asserted violent event — the city the article names most often, else
    the place the paragraph named last before it, else the country whose authorities it names (authority_country)."""
    places = tuple(p for p in doc.group("places") if p.label == "place")
    counts: dict[str, list[Span]] = {}
    for p in places:
        if p.value.precision in ("city", "site", "admin2"):
            counts.setdefault(p.value.name, []).append(p)
    dominant = max(counts.values(), key=len) if counts else []
    first_violent = next((c for c in clusters if c.type in VIOLENT_TYPES and c.modality == "asserted"), None)
    scoped = scope_places(doc)
    demonyms: list[Span] | None = None      # read once per document, when an event first needs them
    for c in clusters:
        if c.location() is not None or c.type in REACTION_TYPES:
            continue
        candidates = [p for m in c.mentions for index in (m.sentence - 1, m.sentence + 1)
                      if 0 <= index < len(doc.sentences) and same_paragraph(doc, m.sentence, index)
                      for p in spans_within(places, doc.sentences[index].start, doc.sentences[index].end)]
        candidates = [p for p in candidates if PLACE_RANK.get(p.value.precision, 6) <= 4
                      and not not_event_place(doc.article.text, p, doc.article.language or "en")]
        if candidates:
            # the finest place, and of those the nearest ("... is er nu ook Berlijn. Daar reed een truck ...")
            c.context_place = min(candidates, key=lambda p: (PLACE_RANK.get(p.value.precision, 6),
                                                             min(abs(p.start - m.trigger.start) for m in c.mentions)))
        elif c is first_violent and len(dominant) >= 2:
            c.context_place = dominant[0]
        else:
            # the place the paragraph named last before the event ("Parijs: de verhoren van twaalf mensen in de
            # Franse stad. [...] Acht van de twaalf mensen zijn aangehouden.")
            c.context_place = paragraph_place(doc, c.head.sentence, scoped)
        if c.context_place is None:
            if demonyms is None:
                demonyms = _country_demonyms(doc)
            c.context_place = authority_country(doc, c, demonyms)


def _country_demonyms(doc: AnnotatedArticle) -> list[Span]:
    """The document's country adjectives ("Duitse", "German") as country-precision places, sorted by start."""
    language = doc.article.language or "en"
    if _authority_heads(language) is None:
        return []
    demonyms = [p for p in doc.group("places") if p.label == "demonym" and p.value.precision == "country"]
    # an actor the dictionary knows by that phrase ("Duitse politie") hides its adjective from the places: read it back
    for actor in doc.group("actors"):
        demonyms += [dataclasses.replace(p, start=p.start + actor.start, end=p.end + actor.start)
                     for p in find_places(actor.text, language) if p.start == 0 and p.label == "demonym"
                     and p.value.precision == "country"]
    return sorted(demonyms, key=lambda p: p.start)


def authority_country(doc: AnnotatedArticle, c: Cluster, demonyms: list[Span] | None = None) -> Span | None:
    """The country whose own authorities the event's sentences, else the nearest earlier sentence of its paragraph,
    name by the country's adjective ("De Duitse politie vreest ... Gisteren ontplofte een bom"): the adjective, as
    a country-precision place. None when no such phrase is found (national_authorities.tsv lists the nouns).
    `demonyms`: _country_demonyms(doc), when the caller has them already."""
    heads = _authority_heads(doc.article.language or "en")
    if heads is None:
        return None
    demonyms = _country_demonyms(doc) if demonyms is None else demonyms
    if not demonyms:
        return None
    own = sorted({m.sentence for m in c.mentions})
    earlier = []
    index = c.head.sentence - 1
    while index >= 0 and same_paragraph(doc, index, c.head.sentence):
        earlier.append(index)
        index -= 1
    text = doc.article.text
    for index in own + earlier:
        sentence = doc.sentences[index]
        for p in spans_within(demonyms, sentence.start, sentence.end):
            if heads.match(text, p.end, sentence.end):
                return p
    return None


@lru_cache(maxsize=None)
def _authority_heads(language: str) -> re.Pattern[str] | None:
    alternatives = word_alternation("lexicons", "national_authorities.tsv", language)
    return re.compile(rf"\s+(?:{alternatives})\b", re.IGNORECASE) if alternatives else None


def paragraph_place(doc: AnnotatedArticle, index: int, places: tuple[Span, ...]) -> Span | None:
    """The place the paragraph of sentence `index` named last before it: the finest of `places` (scope_places) in
    the nearest earlier sentence of the paragraph that names one, not an origin, comparison or time reference."""
    language = doc.article.language or "en"
    earlier = index - 1
    while earlier >= 0 and same_paragraph(doc, earlier, index):
        sentence = doc.sentences[earlier]
        named = [p for p in spans_within(places, sentence.start, sentence.end)
                 if not not_event_place(doc.article.text, p, language)]
        if named:
            return min(named, key=lambda p: (PLACE_RANK.get(p.value.precision, 6), -p.start))
        earlier -= 1
    return None


def scope_places(doc: AnnotatedArticle) -> tuple[Span, ...]:
    """The places that can set a paragraph's place: a country or finer."""
    return tuple(p for p in doc.group("places") if p.label == "place"
                 and PLACE_RANK.get(p.value.precision, 6) <= PLACE_RANK["country"] and p.value.country)


def _perpetrator_from_context(doc: AnnotatedArticle, clusters: list[Cluster]) -> None:
    """The article's first asserted attack, when its own sentences name no perpetrator, takes the person or armed
    group that the article calls the attacker or the suspect ("De verdachte, Gökmen T., ...")."""
    target = next((c for c in clusters if c.type in ("attack", "remote_violence") and c.modality == "asserted"),
                  None)
    if target is None or any(a.role == "perpetrator" for m in target.mentions for a in m.actors):
        return
    candidates = sorted(doc.group("persons") + tuple(a for a in doc.group("actors")
                                                     if a.value.kind in ("non_state_armed_group", "militia",
                                                                         "rebel_group")), key=lambda s: s.start)
    for sentence in doc.sentences:
        nouns = spans_within(doc.group("perpetrator_nouns"), sentence.start, sentence.end)
        if not nouns:
            continue
        noun = nouns[0]
        # characters between the name and the noun; 0 for a name inside the phrase ("houdt X verantwoordelijk")
        gap = lambda c: max(c.start - noun.end, noun.start - c.end, 0)      # noqa: E731
        named = [c for c in spans_within(candidates, sentence.start, sentence.end) if gap(c) <= NAMED_NEAR_NOUN]
        if named:
            actor = min(named, key=gap)
            # "X zou achter de aanslag zitten", "X was thought to be responsible": said as a suspicion
            uncertain = any(c.label == "uncertain" for c in spans_within(doc.group("cues"), sentence.start,
                                                                         sentence.end))
            attribution = noun.value or ("suspected" if uncertain else None)
            target.context_actors.append(ActorRole("perpetrator", actor.value.name, actor.value.id, actor.value.kind,
                                                   attribution, actor.text))
            target.extra_evidence.append(Evidence(doc.article.doc_id, sentence.start, sentence.end, sentence.text,
                                                  "actors"))
            target.reasons.append(f"the perpetrator is named in sentence {doc.sentences.index(sentence) + 1}")
            return
    # "de 59-jarige hoofdverdachte" with no name beside it: the person the article introduced with that age
    aged = _aged_perpetrator(doc)
    if aged is not None:
        person, noun = aged
        target.context_actors.append(ActorRole("perpetrator", person.value.name, None, "person", noun.value,
                                               person.text))
        target.extra_evidence.append(Evidence(doc.article.doc_id, person.start, person.end, person.text, "actors"))
        target.reasons.append(f"the {noun.text} has the age given with '{person.text}'")
        return
    # No sentence calls anyone the attacker: a name written the way the language's news writes suspects'
    # names ("Gökmen T.") is the suspected perpetrator; the one written most often, then the first.
    form = _suspect_form(doc.article.language or "")
    suspects = [p for p in doc.group("persons") if form is not None and form.fullmatch(p.text)]
    if suspects:
        counts: dict[str, int] = {}
        for p in suspects:
            counts[p.text] = counts.get(p.text, 0) + 1
        chosen = next(p for p in suspects if counts[p.text] == max(counts.values()))
        sentence = next(s for s in doc.sentences if s.start <= chosen.start < s.end)
        target.context_actors.append(ActorRole("perpetrator", chosen.value.name, None, "person", "suspected",
                                               chosen.text))
        target.extra_evidence.append(Evidence(doc.article.doc_id, chosen.start, chosen.end, chosen.text, "actors"))
        target.reasons.append(f"'{chosen.text}' is written as news writes a suspect's name "
                              f"(sentence {doc.sentences.index(sentence) + 1})")


def _aged_perpetrator(doc: AnnotatedArticle) -> tuple[Span, Span] | None:
    """(person, noun) for the first perpetrator noun with an age before it ("de 59-jarige hoofdverdachte") whose age
    the article gave one person with: "Jan Jansen (59)", "Jan Jansen, 59,", "de 59-jarige Jan Jansen". None when no
    such noun is found, or when the age was given with more than one person (the noun could be either)."""
    age_form = _age_form(doc.article.language or "")
    if age_form is None:
        return None
    text = doc.article.text
    persons = doc.group("persons")
    for noun in doc.group("perpetrator_nouns"):
        found = age_form.search(text, max(0, noun.start - 16), noun.start)
        if found is None or found.end() != noun.start:
            continue
        age = found.group(1)
        given = {p.value.name: p for p in persons
                 if re.match(rf"\s*(?:\({age}\)|,\s*{age}\s*,)", text[p.end:p.end + 8])
                 or re.search(rf"\b{age}{re.escape(found.group(2))}\s+$", text[max(0, p.start - 16):p.start])}
        if len(given) == 1:
            return next(iter(given.values())), noun
    return None


@lru_cache(maxsize=None)
def _age_form(language: str) -> re.Pattern[str] | None:
    forms = [row["form"] for row in read_tsv("lexicons", "age_forms.tsv") if row["language"] == language]
    if not forms:
        return None
    return re.compile(rf"\b(\d{{1,3}})({'|'.join(re.escape(f) for f in forms)})\s+")


@lru_cache(maxsize=None)
def _suspect_form(language: str) -> re.Pattern[str] | None:
    patterns = [row["pattern"] for row in read_tsv("lexicons", "suspect_name_forms.tsv") if row["language"] == language]
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def _at_least_one_death(doc: AnnotatedArticle, c: Cluster, clusters: list[Cluster]) -> Span | None:
    """The lethal word ("doodgeschoten", "shot dead") in the event's own sentences when no figure is given; not one
    that is another event's word ("Amri, suspected of driving a truck into a market, was shot dead by police": the
    death is the shooting's, not the ramming's)."""
    if c.type not in VIOLENT_TYPES or c.modality != "asserted":
        return None
    others = [m.trigger for o in clusters if o is not c for m in o.mentions]
    for m in c.mentions:
        sentence = doc.sentences[m.sentence]
        # nor the attacker's own death told after it ("stabbed three people before he was shot dead by police")
        ends = attackers_end(doc.article.text, doc.article.language or "en", _event_words(doc, sentence))
        until = min(ends.values(), default=sentence.end)
        found = [w for w in spans_within(doc.group("lethal_words"), sentence.start, sentence.end)
                 if not any(t.start < w.end and w.start < t.end for t in others)
                 and (w.start < until or m.trigger.start >= until)]
        if found:
            return Span(found[0].start, found[0].end, found[0].text, "fatalities", Quantity(1, None), "lethal_words")
    return None
