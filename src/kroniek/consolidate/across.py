"""One incident, one record, however many documents report it: "are these two reports one event?" and the record
that results, as pure functions that every store and engine shares (DuckDB, PostgreSQL, Spark).

A *report* is one document's record of an event (what consolidation within the article made of its mentions). Its
id is derived from its document and its words, so it never changes. A consolidated event is a group of reports; its
id is the smallest of its members' ids, so any order of ingestion gives the same ids, and an id that a merge retires
still names a report, which is how old ids redirect.

Two reports are one event only when everything they say agrees (`same_event`), and never when:
  - they come from the same document (consolidation within it kept them apart);
  - their types, modalities or subtypes differ (a death with no attack described may join the attack);
  - either has no date (unless both name the same person at the same city: "the arrest in Molenbeek of Salah
    Abdeslam"), or a date coarser than a week; both are dated to the day and the days differ;
  - either has no country, or the countries differ; both name cities (or sites, or districts) and not the same one;
    one names a city and the other a different province; either is placed only in a region ("Europe");
  - the place or the date is only coarse on one side and nothing else corroborates (the same day, and the same
    named perpetrator, target, toll or subtype);
  - different named perpetrators (from the actor dictionary) are given;
  - their tolls cannot describe one event (published the same day with clearly different figures, or a later report
    with a lower one).
Groups are complete: every member agrees with every other (`cluster_reports`), so a vague report never bridges two
distinct incidents.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Callable, Iterable, Sequence

import msgspec

from ..ontology import DATE_RANK, GENERIC_KINDS, PLACE_RANK, subtype_parent, subtypes_compatible
from ..records import Count, Event, Relation
from ..extract.roles import record_actors
from .record import with_codes

__all__ = ["block_keys", "same_event", "cluster_reports", "merge_reports", "consolidate_reports", "closure",
           "Resolver"]

# Reports dated more coarsely than this never identify one event (a month, a year).
MAX_DATE_RANK = DATE_RANK["week"]
# The longest span, in days after its first, of a date that still identifies an event: a week ("vorige week"). A
# "week" wider than this is as coarse as a month: it gets no block keys and `same_event` never takes it, so what
# the blocking cannot bring together the decision never asks for.
MAX_SPAN_DAYS = 7
SPECIFIC_PLACES = frozenset({"site", "city", "admin2"})
COARSE_PLACES = frozenset({"admin1", "country"})
# Two tolls published the same day that differ by more than this share of the larger are two incidents (chosen so that
# "about 20" and "22" agree and 3 and 30 do not; see tests/test_consolidate_across.py).
TOLL_TOLERANCE = 0.2
# Roles in which a named person identifies an event: the one arrested, shot, kidnapped, or who did it.
PERSON_ROLES = frozenset({"target", "victim", "perpetrator"})
# A killing ("three people died") is the toll of the attack, clash or strike another report describes.
_JOINS_ANY_VIOLENT = "killing"

Resolver = Callable[[str], str]


def _family(event_type: str) -> str:
    return "violence" if event_type in ("attack", "armed_clash", "remote_violence", "killing") else event_type


def block_keys(report: Event) -> tuple[str, ...]:
    """Keys under which reports that may be one event meet: ``family|country|day`` for each day of a day- or
    week-precise date, and ``family|country|person`` for each person it names at a specific place. A report that can
    never merge across documents has none."""
    d, loc = report.date, report.location
    if loc is None or not loc.country or loc.precision not in SPECIFIC_PLACES | COARSE_PLACES:
        return ()
    family = _family(report.type)
    keys: list[str] = []
    if _identifying(d):
        keys += [f"{family}|{loc.country}|{(d.start + timedelta(days=i)).isoformat()}"
                 for i in range((d.end - d.start).days + 1)]
    if loc.precision in SPECIFIC_PLACES:
        keys += [f"{family}|{loc.country}|person:{name}" for name in sorted(_persons(report))]
    return tuple(keys)


def _persons(event: Event) -> set[str]:
    """The people an event names (who did it, or to whom), as comparable names: proper names of two words or more
    ("Salah Abdeslam", "Abu Bakr al-Baghdadi"), never a description ("2 verdachten", "a 34-year-old man"), which
    two incidents share as easily as one."""
    return {" ".join(a.name.lower().split()) for a in event.actors
            if a.kind == "person" and a.role in PERSON_ROLES and _proper_name(a.name)}


def _proper_name(name: str) -> bool:
    """Two words or more, the first capitalised, an upper-case letter in the last, no number among them."""
    words = name.split()
    return len(words) > 1 and words[0][:1].isupper() and any(c.isupper() for c in words[-1]) \
        and not any(c.isdigit() for c in name)


def _identifying(d) -> bool:
    """Whether a date is narrow enough to tell one event from another: a day, or a week of at most 8 days."""
    return d is not None and DATE_RANK.get(d.precision, 99) <= MAX_DATE_RANK \
        and 0 <= (d.end - d.start).days <= MAX_SPAN_DAYS


def _interval(count: Count | None) -> tuple[int, float] | None:
    if count is None or count.min is None:
        return None
    return count.min, (count.max if count.max is not None else float("inf"))


class _Facts:
    """What `same_event` reads of a report, worked out once: clustering compares a report with every member of
    every group it may join (a million comparisons for 500 articles of a busy news week), and each comparison
    building the sets of documents and perpetrators anew cost most of it."""
    __slots__ = ("report", "modality", "type", "subtype", "family", "docs", "date", "identifying", "day",
                 "location", "country", "place", "place_rank", "perpetrators", "persons", "targets", "fatalities",
                 "injuries", "fatalities_min", "published", "tokens")

    def __init__(self, report: Event) -> None:
        self.report = report
        self.modality, self.type, self.subtype = report.modality, report.type, report.subtype
        self.family = _family(report.type)
        self.docs = frozenset(s.doc_id for s in report.sources)
        d = self.date = report.date
        self.identifying = _identifying(d)
        self.day = d is not None and d.precision == "day"
        loc = self.location = report.location
        self.country = loc.country if loc is not None else None
        self.place = loc.precision if loc is not None else None
        self.place_rank = PLACE_RANK.get(self.place, 9)
        self.perpetrators = frozenset(a.id for a in report.actors
                                      if a.role == "perpetrator" and a.id and a.kind not in GENERIC_KINDS)
        self.persons = frozenset(_persons(report))
        self.targets = frozenset(report.targets)
        self.fatalities, self.injuries = _interval(report.fatalities), _interval(report.injuries)
        self.fatalities_min = report.fatalities.min if report.fatalities is not None else None
        days = [s.published for s in report.sources if s.published is not None]
        self.published = min(days) if days else None
        self.tokens = _place_tokens(report)


def _types_agree(a: _Facts, b: _Facts) -> bool:
    if a.type == b.type:
        return subtypes_compatible(a.type, a.subtype, b.subtype)
    return a.family == b.family == "violence" and _JOINS_ANY_VIOLENT in (a.type, b.type)


def _dates(a: _Facts, b: _Facts) -> str | None:
    """'day' or 'overlap' when the dates can be one event's, else None."""
    if not a.identifying or not b.identifying:
        return None
    da, db = a.date, b.date
    if a.day and b.day:
        return "day" if da.start == db.start else None
    return "overlap" if da.start <= db.end and db.start <= da.end else None


_PLACED = SPECIFIC_PLACES | COARSE_PLACES


def _places(a: _Facts, b: _Facts) -> tuple[str, str] | None:
    """('same', name) for one specific place, ('coarse', name) for a place only one side narrows down, else None."""
    if not a.country or a.country != b.country or a.place not in _PLACED or b.place not in _PLACED:
        return None
    la, lb = a.location, b.location
    if a.place in SPECIFIC_PLACES and b.place in SPECIFIC_PLACES:
        same = (la.geonames_id is not None and la.geonames_id == lb.geonames_id) or \
               (la.name is not None and la.name == lb.name)
        return ("same", la.name or "") if same else None
    fine, coarse = (la, lb) if a.place_rank <= b.place_rank else (lb, la)
    if coarse.precision == "admin1":
        region = fine.admin1 if fine.precision != "admin1" else fine.name
        if region is None or region not in (coarse.name, coarse.admin1):
            return None
    return "coarse", fine.name or ""


def _tolls_conflict(a: _Facts, b: _Facts) -> str | None:
    for name, ia, ib in (("fatalities", a.fatalities, b.fatalities), ("injuries", a.injuries, b.injuries)):
        if ia is None or ib is None or (ia[0] <= ib[1] and ib[0] <= ia[1]):
            continue
        pa, pb = a.published, b.published
        if pa is not None and pb is not None and pa != pb:
            earlier, later = (ia, ib) if pa < pb else (ib, ia)
            if later[0] > earlier[1]:
                continue          # a later report with a higher toll: the count grew
            return name
        low, high = sorted((ia[0], ib[0]))
        if high - low > TOLL_TOLERANCE * high:
            return name
    return None


def _corroborated(a: _Facts, b: _Facts) -> str | None:
    """Something beside a coarse place or date that names the same incident."""
    if a.perpetrators & b.perpetrators:
        return "same perpetrator"
    if a.targets & b.targets:
        return "same target"
    if a.fatalities_min and a.fatalities_min == b.fatalities_min:
        return f"same toll ({a.fatalities_min})"
    if a.subtype and a.subtype == b.subtype:
        return f"same kind ({a.subtype})"
    return None


# How two reports are one event (`_judge`): the same day and the same place (the strongest), the same day and a
# compatible place with corroboration, the same place and compatible dates with corroboration, the same person at
# the same place (no date).
SAME_DAY_AND_PLACE, SAME_DAY, SAME_PLACE, SAME_PERSON = range(4)


def _judge(a: _Facts, b: _Facts) -> tuple[int, str | None, tuple[str, str] | None] | None:
    """(how, when, where) when reports `a` and `b` are one event, else None: `same_event`'s decision."""
    if a.modality != b.modality or not _types_agree(a, b) or not a.docs.isdisjoint(b.docs):
        return None
    if a.date is None or b.date is None:
        # undated: one event only when both name the same person at the same city ("the arrest in Molenbeek of Salah
        # Abdeslam" told days later) and nothing else disagrees
        where = _places(a, b)
        if not (a.persons & b.persons) or where is None or where[0] != "same":
            return None
        if (a.perpetrators and b.perpetrators and a.perpetrators.isdisjoint(b.perpetrators)) or \
                _tolls_conflict(a, b):
            return None
        return SAME_PERSON, None, where
    when = _dates(a, b)
    where = _places(a, b) if when else None
    if not when or not where:
        return None
    if a.perpetrators and b.perpetrators and a.perpetrators.isdisjoint(b.perpetrators):
        return None
    if _tolls_conflict(a, b):
        return None
    if where[0] == "same" and when == "day":
        return SAME_DAY_AND_PLACE, when, where
    if _corroborated(a, b):
        if when == "day":
            return SAME_DAY, when, where
        if where[0] == "same":
            return SAME_PLACE, when, where
    return None


def same_event(a: Event, b: Event) -> str | None:
    """Why reports `a` and `b` are one event, or None when they may be two (symmetric; see the module docstring)."""
    fa, fb = _Facts(a), _Facts(b)
    judged = _judge(fa, fb)
    if judged is None:
        return None
    how, when, where = judged
    kind = a.type if a.type != "killing" else b.type
    if how == SAME_PERSON:
        return f"same {kind}, same person ({sorted(fa.persons & fb.persons)[0].title()}), same place ({where[1]})"
    day = a.date.start.isoformat() if when == "day" else f"{max(a.date.start, b.date.start).isoformat()} (week)"
    if how == SAME_DAY_AND_PLACE:
        return f"same {kind}, same day ({day}), same place ({where[1]})"
    corroboration = _corroborated(fa, fb)
    if how == SAME_DAY:
        return f"same {a.type}, same day ({day}), compatible place ({where[1]}), {corroboration}"
    return f"same {a.type}, compatible dates ({day}), same place ({where[1]}), {corroboration}"


def _specificity(report: Event) -> tuple:
    d, loc = report.date, report.location
    return (DATE_RANK.get(d.precision, 9) if d else 9, PLACE_RANK.get(loc.precision, 9) if loc else 9, report.id)


def _partition(report: Event) -> tuple[str, str, str] | None:
    """What two reports that `same_event` joins always share: modality, type family and country (None: a report
    without a country, which joins nothing). Clustering compares a report only with the groups of its partition."""
    loc = report.location
    if loc is None or not loc.country:
        return None
    return report.modality, _family(report.type), loc.country


# `_places` joins two specific places only when they share a GeoNames id or a name; a coarse place (admin1, country)
# may join any. So under one block key a report need only be compared with those filed under one of its place tokens,
# or under ANY_PLACE (coarse), unless it is coarse itself (then with all): at a key of 300 reports across a country's
# cities, a few instead of all. NO_PLACE: a specific place with neither id nor name (only coarse reports reach it).
ANY_PLACE, NO_PLACE = "*", "-"


def _place_tokens(report: Event) -> tuple[str, ...]:
    """The tokens under which a report is filed within a block key: its specific place's GeoNames id and name, or
    ANY_PLACE for a coarse one."""
    loc = report.location
    if loc is None or loc.precision not in SPECIFIC_PLACES:
        return (ANY_PLACE,)
    tokens = ((f"g:{loc.geonames_id}",) if loc.geonames_id is not None else ()) + \
        ((f"n:{loc.name}",) if loc.name is not None else ())
    return tokens or (NO_PLACE,)


def _filed_with(filed: dict[str, list], tokens: tuple[str, ...]) -> list:
    """What is filed (under one block key) where a report with these place tokens may agree: the lists of its own
    tokens and ANY_PLACE's, or every list for a coarse report; each item once, in the order filed."""
    if tokens == (ANY_PLACE,):
        lists = list(filed.values())
    else:
        lists = [filed[t] for t in tokens + (ANY_PLACE,) if t in filed]
    if len(lists) == 1:
        return lists[0]
    seen: set = set()
    return [item for items in lists for item in items if not (item in seen or seen.add(item))]


def _agreement(group: list[_Facts], report: _Facts) -> int | None:
    """The strongest of `report`'s agreements with the members of `group` (0 strongest: the same day and place), or
    None when one disagrees."""
    strongest = 1
    for member in group:
        judged = _judge(member, report)
        if judged is None:
            return None
        if judged[0] == SAME_DAY_AND_PLACE:
            strongest = 0
    return strongest


def cluster_reports(reports: Iterable[Event]) -> list[list[Event]]:
    """Reports grouped into events: each report, most specific first, joins the group every member of which it agrees
    with (the strongest agreement wins; a tie between two groups leaves it alone), else founds a group. The result
    depends only on the set of reports, never on their order.

    A report is compared only with the groups of its partition one of whose members shares a block key with it: two
    reports that `same_event` joins always share one (see `block_keys`), so no other group can agree with it."""
    groups: list[list[_Facts]] = []
    # (block key, partition) -> place token -> the groups filed there: under every block key of their members, with
    # their founder's place tokens (a report that agrees with the founder shares one; a coarse founder's is ANY_PLACE)
    by_key: dict[tuple, dict[str, list[int]]] = {}
    group_keys: list[set[str]] = []
    for report in sorted(map(_Facts, reports), key=lambda f: _specificity(f.report)):
        part = _partition(report.report)
        keys = block_keys(report.report) if part is not None else ()
        agreeing: list[tuple[int, int]] = []
        if keys:
            for index in {i for k in keys for i in _filed_with(by_key.get((k, part), {}), report.tokens)}:
                strength = _agreement(groups[index], report)
                if strength is not None:
                    agreeing.append((strength, index))
        agreeing.sort()
        # A report that fits two incidents equally well says too little to be either: it stays an event of its own.
        if not agreeing or (len(agreeing) > 1 and agreeing[0][0] == agreeing[1][0]):
            index = len(groups)
            groups.append([report])
            group_keys.append(set())
        else:
            index = agreeing[0][1]
            groups[index].append(report)
        for k in set(keys) - group_keys[index]:
            filed = by_key.setdefault((k, part), {})
            for token in groups[index][0].tokens:
                filed.setdefault(token, []).append(index)
        group_keys[index].update(keys)
    return [sorted((f.report for f in g), key=lambda r: r.id) for g in groups]


def _best(values: Sequence, rank: Callable) -> object:
    present = [v for v in values if v is not None]
    return min(present, key=rank) if present else None


def _union(items: Iterable, key: Callable) -> tuple:
    seen: dict = {}
    for item in items:
        seen.setdefault(key(item), item)
    return tuple(seen.values())


def merge_reports(members: Sequence[Event], resolve: Resolver | None = None) -> Event:
    """The one record of a group of reports (in any order): the most precise date and place, the highest toll, every
    actor, weapon, target, piece of evidence and source, and why each report joined. `resolve` maps a report id to
    the id of the event that holds it now (for the ids in `related`)."""
    members = sorted(members, key=lambda r: r.id)
    resolve = resolve or (lambda report_id: report_id)
    first = members[0]
    types = [m.type for m in members if m.type != _JOINS_ANY_VIOLENT] or [first.type]
    event_type = types[0]
    subtypes = [m.subtype for m in members if m.subtype and m.type == event_type]
    subtype = None
    if subtypes:
        # the finest subtype any report gives ("suicide_bombing" over "bombing"), then the most reported
        subtype = max(subtypes, key=lambda s: (subtype_parent(event_type, s) in subtypes, subtypes.count(s)))
    date = _best([m.date for m in members], lambda d: DATE_RANK.get(d.precision, 9))
    location = _best([m.location for m in members], lambda l: PLACE_RANK.get(l.precision, 9))
    fatalities = max((m.fatalities for m in members if m.fatalities is not None and m.fatalities.min is not None),
                     key=lambda c: c.min, default=next((m.fatalities for m in members if m.fatalities), None))
    injuries = max((m.injuries for m in members if m.injuries is not None and m.injuries.min is not None),
                   key=lambda c: c.min, default=next((m.injuries for m in members if m.injuries), None))
    related = _union((Relation(r.relation, resolve(r.event_id)) for m in members for r in m.related),
                     key=lambda r: (r.relation, r.event_id))
    own_id = first.id
    related = tuple(r for r in related if r.event_id != own_id)
    reasons = list(first.merged_because)
    facts = [_Facts(m) for m in members] if len(members) > 1 else []
    for i, m in enumerate(members[1:], start=1):
        reasons += list(m.merged_because)
        # why it joined: its agreement with the first member before it that it agrees with
        other = next((members[j] for j in range(i) if _judge(facts[j], facts[i])), None)
        reason = same_event(other, m) if other is not None else None
        reasons.append(f"{m.sources[0].doc_id if m.sources else m.id}: {reason}" if reason else
                       f"{m.sources[0].doc_id if m.sources else m.id}: reported with the others")
    confidence = max(m.confidence for m in members)
    if len(members) > 1:
        confidence = round(min(0.95, max(confidence, confidence + 0.05)), 2)
    merged = msgspec.structs.replace(
        first, type=event_type, subtype=subtype, date=date, location=location,
        actors=record_actors(_union((a for m in members for a in m.actors), key=lambda a: (a.role, a.id or a.name))),
        weapons=tuple(sorted({w for m in members for w in m.weapons})),
        targets=tuple(sorted({t for m in members for t in m.targets})),
        fatalities=fatalities, injuries=injuries, related=related,
        evidence=_union((e for m in members for e in m.evidence), key=lambda e: (e.doc_id, e.start, e.end, e.field)),
        sources=_union((s for m in members for s in m.sources), key=lambda s: s.doc_id),
        confidence=confidence, outcome=next((m.outcome for m in members if m.outcome), None),
        merged_because=tuple(reasons),
        triggers=_union((t for m in members for t in m.triggers), key=lambda t: (t.doc_id, t.start, t.end)))
    return with_codes(merged) if len(members) > 1 else merged


def consolidate_reports(reports: Iterable[Event], resolve: Resolver | None = None
                        ) -> list[tuple[Event, tuple[str, ...]]]:
    """Events of a closed set of reports (one that holds every report any of them agrees with): each merged record
    with the ids of its members. `resolve` maps ids of reports outside the set to their events."""
    groups = cluster_reports(reports)
    membership = {m.id: g[0].id for g in groups for m in g}
    outside = resolve or (lambda report_id: report_id)

    def resolver(report_id: str) -> str:
        return membership.get(report_id) or outside(report_id)

    return [(merge_reports(g, resolver), tuple(m.id for m in g)) for g in groups]


def closure(new_reports: Sequence[Event], candidates: Callable[[set[str]], Sequence[Event]]) -> dict[str, Event]:
    """Every report connected to `new_reports` by a chain of agreeing reports: the set whose events must be
    recomputed. `candidates(keys)` returns stored reports that share one of `keys` (see `block_keys`)."""
    region = {r.id: r for r in new_reports}
    frontier = list(new_reports)
    facts_of: dict[str, _Facts] = {}       # a stored report is a candidate again at every step: its facts once

    def facts(report: Event) -> _Facts:
        found = facts_of.get(report.id)
        if found is None:
            found = facts_of[report.id] = _Facts(report)
        return found

    while frontier:
        # (a stored report can agree only with a frontier report of its partition that it shares a block key with,
        # filed under one of its place tokens: see cluster_reports)
        by_key: dict[tuple, dict[str, list[_Facts]]] = {}
        for f in frontier:
            part = _partition(f)
            if part is not None:
                known = facts(f)
                for k in block_keys(f):
                    filed = by_key.setdefault((k, part), {})
                    for token in known.tokens:
                        filed.setdefault(token, []).append(known)
        if not by_key:
            break
        found = [s for s in candidates({k for k, _ in by_key}) if s.id not in region]
        added = []
        for s in found:
            part = _partition(s)
            if part is None:
                continue
            known = facts(s)
            if any(_judge(known, f) for k in block_keys(s)
                   for f in _filed_with(by_key.get((k, part), {}), known.tokens)):
                added.append(s)
        for s in added:
            region[s.id] = s
        frontier = added
    return region
