"""One article, one record per event: mentions of the same event are merged, and the merge says why.

Rules, in order, for each mention (text order):
  1. a death without an attack word ("werden gedood", "were killed") joins the violent event at the same place
     (or, without a place, in the same or the previous sentence): it is that event's toll;
  2. an anaphoric mention ("de aanslag", "the attack") joins the latest event of its type, else the next one,
     else it is dropped (it refers to nothing the article describes);
  3. a mention joins an earlier one of the same type and modality when nothing conflicts (date, place, casualty
     figures; in an article without a publication date, date words that cannot name one time: undated.py), preferring the strongest link (same place or date, then closeness); a plain attack word may join a
     strike or clash; a mention whose sentence names no place is in the country its paragraph last named ("Ook in
     de Duitse hoofdstad Berlijn ... Daarbij werden twee mannen gearresteerd"), so it joins no event in another;
  4. otherwise it is a new event.
Then context.py fills in what an event's own sentences leave out (tolls, claimed events, dates and places from
neighbouring sentences, perpetrators named elsewhere) and record.py turns each cluster into an EVENTS.md record.
"""
from __future__ import annotations

from datetime import date

from ..ontology import VIOLENT_TYPES, subtypes_compatible
from ..records import AnnotatedArticle, Event, EventMention, Span
from ..extract.clauses import spans_within
from .cluster import Cluster
from .context import REACTION_TYPES, TOLL_DISTANCE, fill_from_context, paragraph_place, scope_places
from .record import to_event
from .undated import date_words_differ

__all__ = ["consolidate_article"]

LINK_DISTANCE = 2      # sentences apart that still link two mentions of one event
MAX_CANDIDATES = 60    # earlier events a mention is compared with
# Lower bounds of one event's toll in one article differ by at most this share of the larger (calibrated on
# dutch_news_dev and the demo corpus: 'minstens 128' and 280 are two massacres, 'ruim zeventig' and 71 one attack).
TOLL_SPREAD = 0.5


def _paragraph_places(doc: AnnotatedArticle, mentions: tuple[EventMention, ...]) -> dict[int, Span]:
    """For each mention whose sentence gives it no place (by id()): the place its paragraph named last before it."""
    found: dict[int, Span] = {}
    places = scope_places(doc)
    for m in mentions:
        if m.location is None:
            place = paragraph_place(doc, m.sentence, places)
            if place is not None:
                found[id(m)] = place
    return found


def _scope_country(cluster: Cluster, scope: dict[int, Span]) -> str | None:
    loc = cluster.location()
    if loc is not None:
        return loc.value.country
    return next((scope[id(x)].value.country for x in cluster.mentions if id(x) in scope), None)


def _conflicts(cluster: Cluster, m: EventMention, scope: dict[int, Span] | None = None,
               language: str | None = None) -> str | None:
    # Subtypes do not conflict within an article: reports of one attack name its parts ("een explosie", "een
    # zelfmoordaanslag"); different dates, places or death tolls do.
    if scope and m.location is None and id(m) in scope:
        theirs, mine = scope[id(m)].value.country, _scope_country(cluster, scope)
        if mine and theirs != mine:
            return "the country of its paragraph"
    elif scope and m.location is not None and m.location.value.country and cluster.location() is None:
        mine = _scope_country(cluster, scope)
        if mine and m.location.value.precision != "region" and m.location.value.country != mine:
            return "the country of its paragraph"
    d = cluster.date()
    if d is not None and m.date is not None:
        a, b = d.value, m.date.value
        if a.start > b.end or b.start > a.end:
            return "date"
    elif date_words_differ(m.date or m.undated_words, cluster.date_words(), language):
        return "date words (the article has no publication date to resolve them)"
    loc = cluster.location()
    if loc is not None and m.location is not None:
        a, b = loc.value, m.location.value
        # A region ("Europe", "het Westen") or an unresolved country is a vague place: it tells no event apart.
        vague = a.precision in ("region", "unknown") or b.precision in ("region", "unknown") \
            or not a.country or not b.country
        if not vague and (a.country != b.country or (a.precision in ("city", "site") and b.precision in ("city", "site")
                                                     and a.name != b.name and a.geonames_id != b.geonames_id)):
            return "place"
    for attribute in ("fatalities", "injuries"):
        theirs = getattr(m, attribute)
        if theirs is None or theirs.value.min is None or theirs.value.min <= 2:
            continue        # (told before the cluster's tolls are read: most mentions give no figure)
        mine = cluster.tolls(attribute)
        if not mine:
            continue
        if all(q.min is not None and q.min > 2 and _tolls_differ(q, theirs.value) for q in mine):
            return attribute
    return None


def _tolls_differ(a, b) -> bool:
    """Two figures in one article that cannot be one event's toll: ranges that do not meet, or lower bounds far apart
    ("ruim zeventig" and 71 are one attack's dead; "minstens 128" and 280 are two massacres)."""
    high_a = a.max if a.max is not None else float("inf")
    high_b = b.max if b.max is not None else float("inf")
    if not (a.min <= high_b and b.min <= high_a):
        return True
    return abs(a.min - b.min) > TOLL_SPREAD * max(a.min, b.min)


def _link(cluster: Cluster, m: EventMention) -> str | None:
    loc, d = cluster.location(), cluster.date()
    if loc is not None and m.location is not None and loc.value.name == m.location.value.name:
        return f"same place ({loc.value.name})"
    if d is not None and m.date is not None and d.value == m.date.value:
        return f"same date ({d.value.start.isoformat()})"
    if abs(m.sentence - cluster.last_sentence) <= LINK_DISTANCE:
        return "sentences close together"
    # "the market" and "a Christmas market": the same target
    if {t.split()[-1] for t in m.targets} & cluster.target_heads():
        return "same target"
    if m.reference != "specific" or cluster.head.reference != "specific":
        return "one mention gives no details of its own"
    if m.type in REACTION_TYPES:
        return None     # calls, threats and claims recur: two of them far apart are two statements
    return NO_DIFFERENCE


# An event dated this many days or fewer before the article's publication is its news (a week covers "last
# Monday"); calibrated on dutch_news_dev.
NEWS_WINDOW_DAYS = 7


def _near_publication(cluster: Cluster, published: date | None) -> bool:
    d = cluster.date()
    return published is not None and d is not None and d.value.precision in ("day", "week") \
        and 0 <= (published - d.value.end).days <= NEWS_WINDOW_DAYS


NO_DIFFERENCE = "nothing in the article tells them apart"
_NOT_KILLING = VIOLENT_TYPES - {"killing"}      # the violent events deaths can be the toll of


def _main_cluster(clusters: list[Cluster]) -> Cluster | None:
    """The asserted violent event the article says most about, when one stands out."""
    violent = sorted((c for c in clusters if c.type in _NOT_KILLING and c.modality == "asserted"),
                     key=lambda c: -len(c.mentions))
    if not violent or (len(violent) > 1 and len(violent[1].mentions) >= len(violent[0].mentions)):
        return None
    return violent[0]


def _find_cluster(clusters: list[Cluster], m: EventMention, published: date | None,
                  scope: dict[int, Span] | None = None, language: str | None = None) -> tuple[int, str] | None:
    if m.type == "killing":
        # sentences between the deaths and each event's nearest mention: the nearest event is tried first
        distance = [min(abs(m.sentence - x.sentence) for x in c.mentions) for c in clusters]
        for i in sorted(range(len(clusters)), key=distance.__getitem__):
            c = clusters[i]
            if c.type in _NOT_KILLING and c.modality == m.modality and not _conflicts(c, m, language=language):
                loc = c.location()
                if m.location is not None and loc is not None and m.location.value.name == loc.value.name:
                    return i, f"deaths at the same place ({loc.value.name}) as the {c.type}"
                if m.location is None and (distance[i] <= TOLL_DISTANCE
                                           or m.paragraph in {x.paragraph for x in c.mentions}):
                    return i, f"deaths reported right after the {c.type}"
        # Deaths with no place, date or named victim of their own, in an article about one attack, are that
        # attack's dead ("De dood van al-Adnani" is a death of its own).
        main = _main_cluster(clusters)
        named_victim = any(a.role == "victim" and a.kind == "person" for a in m.actors)
        if main is not None and m.location is None and m.date is None and not named_victim \
                and main.modality == m.modality and not _conflicts(main, m, language=language):
            return clusters.index(main), f"deaths in an article about the {main.type} in sentence " \
                                         f"{main.head.sentence + 1}"
    if m.reference == "anaphoric":
        kinds = {m.type} | ({"remote_violence", "armed_clash"} if m.type == "attack" else set())
        candidates = [i for i in range(len(clusters) - 1, -1, -1)
                      if clusters[i].type in kinds and clusters[i].head.reference != "generic"]
        # "de aanslag" said as a fact refers to an attack that happened, not to one that was feared or planned; and to
        # the article's news, not to one years before it ("twee jaar geleden ... brandbommen"): among the candidates
        # the latest mentioned wins, unless only some are dated near the publication.
        same_modality = [i for i in candidates if clusters[i].modality == m.modality]
        pool = same_modality or candidates
        recent = [i for i in pool if _near_publication(clusters[i], published)]
        for i in (recent or pool)[:1]:
            return i, f"'{m.trigger.text}' refers back to the {m.type} in sentence {clusters[i].head.sentence + 1}"
    # The strongest link wins (same place or date before mere proximity), then the latest event. A plain attack
    # word ("de aanval", "the attack") may name a strike or a clash described in other words.
    kin = _NOT_KILLING if (m.type == "attack" and m.subtype is None) else {m.type}
    best: tuple[int, int, str] | None = None
    # Only the most recent events are candidates: an article is a few dozen events; a 10 MB "article" must not
    # cost the square of its length.
    for i in range(len(clusters) - 1, max(-1, len(clusters) - 1 - MAX_CANDIDATES), -1):
        c = clusters[i]
        if c.type not in kin or c.modality != m.modality or _conflicts(c, m, scope, language):
            continue
        reason = _link(c, m)
        if reason:
            # one of the same kind (a ramming joins the ramming, not the shooting that followed it), then the
            # strongest link, then (for a mention with no date of its own) the article's news over an event long
            # before it, then the latest mentioned
            kinds = {x.subtype for x in c.mentions if x.subtype}
            same_kind = m.subtype is None or not kinds or any(subtypes_compatible(m.type, k, m.subtype) for k in kinds)
            strength = (0 if same_kind else 1,
                        0 if reason.startswith(("same place", "same date")) else 2 if reason == NO_DIFFERENCE else 1,
                        0 if m.date is not None or _near_publication(c, published) else 1)
            if best is None or strength < best[0]:
                best = (strength, i, reason)
    return (best[1], f"same {m.type}, {best[2]}") if best else None


POLITICAL_ACTOR_KINDS = frozenset({"non_state_armed_group", "militia", "rebel_group", "political_group"})


def _political(doc: AnnotatedArticle, m: EventMention) -> bool:
    """Whether an arrest's sentence names a political actor or word (data/lexicons/political_words.tsv)."""
    sentence = doc.sentences[m.sentence]
    if spans_within(doc.group("political_words"), sentence.start, sentence.end):
        return True
    return any(a.value.kind in POLITICAL_ACTOR_KINDS
               for a in spans_within(doc.group("actors"), sentence.start, sentence.end))


def consolidate_article(doc: AnnotatedArticle, mentions: tuple[EventMention, ...]) -> tuple[Event, ...]:
    """The article's events, each with all its mentions' evidence."""
    clusters: list[Cluster] = []
    unresolved: list[EventMention] = []
    # Deaths are placed last: "Zo'n twintig studenten kwamen om" before the sentence that names the attack is
    # still that attack's toll.
    ordered = [m for m in mentions if m.type != "killing"] + [m for m in mentions if m.type == "killing"]
    scope = _paragraph_places(doc, mentions)
    for m in ordered:
        found = _find_cluster(clusters, m, doc.article.published, scope, doc.article.language)
        if found:
            i, reason = found
            clusters[i].mentions.append(m)
            clusters[i].reasons.append(reason)
        elif m.reference == "anaphoric":
            unresolved.append(m)
        else:
            clusters.append(Cluster([m]))
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
    # threat, a call or a claim (in any modality), or when its own sentence makes it political ("arrested three
    # members of Islamic State", "activists were detained"), not in an article about shoplifting.
    if not any(c.type != "arrest" for c in clusters):
        clusters = [c for c in clusters if any(_political(doc, m) for m in c.mentions)]
    fill_from_context(doc, clusters)
    claimers: dict[int, list[Cluster]] = {}
    for o in clusters:
        if o.claims is not None:
            claimers.setdefault(o.claims, []).append(o)
    return tuple(to_event(doc.article, c, clusters, claimers.get(i, [])) for i, c in enumerate(clusters))
