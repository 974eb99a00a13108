"""One incident, one record: the pure decision "are these two reports one event?" and the grouping built on it
(kroniek.consolidate.across), with reports built by hand."""
from __future__ import annotations

import itertools
import random
from datetime import date

import msgspec
import pytest

from kroniek.consolidate.across import (_specificity, block_keys, closure, cluster_reports, consolidate_reports,
                                        merge_reports, same_event)
from kroniek.records import Count, DateRange, Event, EventActor, Location, Relation, Source

BERLIN = Location("Berlin", "DE", "Berlin", 52.52, 13.41, 2950159, "city", "Berlijn")
HAMBURG = Location("Hamburg", "DE", "Hamburg", 53.55, 10.0, 2911298, "city", "Hamburg")
GERMANY = Location("Germany", "DE", None, 51.5, 10.5, 2921044, "country", "Duitsland")
BAVARIA = Location("Bavaria", "DE", "Bavaria", 48.9, 11.4, 2951839, "admin1", "Beieren")
EUROPE = Location("Europe", None, None, 48.7, 9.1, 6255148, "region", "Europe")


def report(event_id: str, doc: str, *, day: str | None = "2016-12-19", precision: str = "day",
           end: str | None = None, place: Location | None = BERLIN, type_: str = "attack",
           subtype: str | None = "vehicle_ramming", killed: tuple[int | None, int | None] | None = (12, 12),
           perpetrator: str | None = None, published: str = "2016-12-21", modality: str = "asserted",
           related: tuple[Relation, ...] = (), targets: tuple[str, ...] = ()) -> Event:
    actors = (EventActor("perpetrator", perpetrator, perpetrator.lower().replace(" ", "-"), "non_state_armed_group",
                         None, perpetrator),) if perpetrator else ()
    return Event(
        id=event_id, type=type_, subtype=subtype, modality=modality,
        date=DateRange(date.fromisoformat(day), date.fromisoformat(end or day), precision, day, "absolute")
        if day else None,
        location=place, actors=actors, targets=targets,
        fatalities=Count(killed[0], killed[1], "x") if killed else None, related=related,
        sources=(Source(doc, f"u:{doc}", None, None, date.fromisoformat(published)),), confidence=0.8)


# -- the decision ------------------------------------------------------------------------------------------------
def test_one_attack_in_two_documents_is_one_event_and_says_why():
    reason = same_event(report("e1", "d1"), report("e2", "d2"))
    assert reason == "same attack, same day (2016-12-19), same place (Berlin)"


@pytest.mark.parametrize("other, why", [
    (dict(day="2016-12-20"), "both dated to the day, and the days differ"),
    (dict(place=HAMBURG), "two cities"),
    (dict(place=EUROPE), "placed only in a region"),
    (dict(place=None), "no place"),
    (dict(day=None), "no date"),
    (dict(day="2016-12-01", end="2016-12-31", precision="month"), "a month is too coarse"),
    (dict(type_="arrest", subtype="arrest"), "another type"),
    (dict(subtype="shooting"), "another kind of attack"),
    (dict(modality="hypothetical"), "another modality"),
    (dict(killed=(30, 30)), "tolls published the same day that are far apart"),
    (dict(perpetrator="Al-Shabaab"), "two named perpetrators"),
    (dict(doc="d1"), "one document keeps them apart"),
])
def test_reports_that_may_be_two_incidents_are_never_one(other, why):
    mine = report("e1", "d1", perpetrator="Islamic State" if "perpetrator" in other else None)
    theirs = report("e2", other.pop("doc", "d2"), **other)
    assert same_event(mine, theirs) is None, why
    assert same_event(theirs, mine) is None, why


def test_tolls_that_grew_in_later_reports_agree():
    early = report("e1", "d1", killed=(9, 9), published="2016-12-20")
    later = report("e2", "d2", killed=(12, 12), published="2016-12-21")
    assert same_event(early, later) is not None
    shrank = report("e3", "d3", killed=(3, 3), published="2016-12-22")
    assert same_event(early, shrank) is None          # a later report with a lower toll is another incident
    assert same_event(report("e4", "d4", killed=(10, None)), report("e5", "d5", killed=(12, 12))) is not None


def test_a_coarse_place_needs_something_else_that_names_the_same_incident():
    vague = report("e2", "d2", place=GERMANY, killed=None, subtype=None)
    assert same_event(report("e1", "d1"), vague) is None
    corroborated = report("e3", "d3", place=GERMANY, killed=(12, 12), subtype=None)
    assert "same toll (12)" in same_event(report("e1", "d1"), corroborated)
    assert same_event(report("e1", "d1"), report("e4", "d4", place=BAVARIA)) is None    # Berlin is not in Bavaria


def test_a_killing_is_the_toll_of_the_attack_another_report_describes():
    death = report("e2", "d2", type_="killing", subtype=None)
    assert same_event(report("e1", "d1"), death) == "same attack, same day (2016-12-19), same place (Berlin)"
    assert merge_reports([report("e1", "d1"), death]).type == "attack"


def test_block_keys_name_each_day_of_a_week_and_nothing_for_what_never_merges():
    week = report("e1", "d1", day="2016-12-19", end="2016-12-25", precision="week")
    assert block_keys(week) == tuple(f"violence|DE|2016-12-{d}" for d in range(19, 26))
    assert block_keys(report("e2", "d2", place=EUROPE)) == ()
    assert block_keys(report("e3", "d3", day=None)) == ()


def _arrest(event_id: str, doc: str, person: str, day: str | None = None) -> Event:
    return msgspec.structs.replace(
        report(event_id, doc, day=day, type_="arrest", subtype=None, killed=None),
        actors=(EventActor("target", person, None, "person", None, person),))


def test_a_named_person_identifies_an_event_and_a_description_never_does():
    # undated reports of an arrest at the same city are one event only through the person's name
    assert same_event(_arrest("e1", "d1", "Salah Abdeslam"), _arrest("e2", "d2", "Salah Abdeslam")) is not None
    assert same_event(_arrest("e1", "d1", "Abu Bakr al-Baghdadi"),
                      _arrest("e2", "d2", "Abu Bakr al-Baghdadi")) is not None
    for description in ("2 verdachten", "twee verdachten", "Twee verdachten", "a 34-year-old man",
                        "een 25-jarige man", "two suspects"):
        assert same_event(_arrest("e1", "d1", description), _arrest("e2", "d2", description)) is None, description
        # nor does a description bring reports together for the decision: no block key of its own
        dated = _arrest("e3", "d3", description, day="2016-12-19")
        assert block_keys(dated) == ("arrest|DE|2016-12-19",), description
    assert block_keys(_arrest("e4", "d4", "Salah Abdeslam", day="2016-12-19")) == \
        ("arrest|DE|2016-12-19", "arrest|DE|person:salah abdeslam")


def test_a_week_wider_than_eight_days_meets_nothing_and_merges_with_nothing():
    # what the blocking cannot bring together, the decision must not take either: a "week" of ten days would meet a
    # report dated to its ninth day in one order of the batch and not in another
    wide = report("e1", "d1", day="2016-12-19", end="2016-12-29", precision="week", killed=None)
    ninth = report("e2", "d2", day="2016-12-27", killed=None)
    assert block_keys(wide) == ()
    assert same_event(wide, ninth) is None and same_event(ninth, wide) is None
    eight_days = report("e3", "d3", day="2016-12-19", end="2016-12-26", precision="week", killed=None)
    assert len(block_keys(eight_days)) == 8 and same_event(eight_days, report("e4", "d4", day="2016-12-26")) is not None


# -- grouping ------------------------------------------------------------------------------------------------------
def test_a_vague_report_never_bridges_two_incidents():
    # a week-dated report in Berlin agrees with an attack on the 19th and one on the 21st, which do not agree
    monday = report("a", "d1", day="2016-12-19", killed=(12, 12))
    wednesday = report("b", "d2", day="2016-12-21", killed=(1, 1))
    week = report("c", "d3", day="2016-12-19", end="2016-12-25", precision="week", killed=None)
    groups = cluster_reports([monday, wednesday, week])
    assert sorted(len(g) for g in groups) == [1, 1, 1]      # fitting both equally, the week report joins neither
    one_day = cluster_reports([monday, week])
    assert [sorted(r.id for r in g) for g in one_day] == [["a", "c"]]


def test_grouping_and_ids_do_not_depend_on_the_order_of_reports():
    reports = [report("e5", "d5"), report("e2", "d2"), report("e9", "d9", day="2016-12-20"),
               report("e7", "d7", day="2016-12-20", killed=(2, 2)), report("e3", "d3", place=HAMBURG, killed=(3, 3)),
               report("e4", "d4", day="2016-12-19", end="2016-12-25", precision="week", killed=None),
               report("e1", "d1", place=GERMANY, killed=(12, None), subtype=None)]
    expected = [(event, members) for event, members in consolidate_reports(reports)]
    # e1 (only "Germany", but the same day and toll) joins e2 and e5; e4 (a week in Berlin) fits e7 and e9 alike,
    # which are two incidents (12 and 2 dead), so it stays alone
    assert sorted(members for _, members in expected) == [("e1", "e2", "e5"), ("e3",), ("e4",), ("e7",), ("e9",)]
    rng = random.Random(7)
    for _ in range(20):
        shuffled = reports[:]
        rng.shuffle(shuffled)
        assert consolidate_reports(shuffled) == expected


def _mixed_reports(n: int, seed: int) -> list[Event]:
    """Reports that agree and disagree in every way the decision looks at (days, weeks, no date, places fine and
    coarse, types, subtypes, tolls, named persons)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        day = rng.choice(["2016-12-18", "2016-12-19", "2016-12-20", None])
        week = day is not None and rng.random() < 0.2
        person = rng.random() < 0.3
        event = report(f"e{i:03d}", f"d{i % (n // 2)}", day=day, precision="week" if week else "day",
                       end="2016-12-25" if week else None, place=rng.choice([BERLIN, BERLIN, HAMBURG, GERMANY,
                                                                             BAVARIA, EUROPE, None]),
                       type_=rng.choice(["attack", "attack", "killing", "arrest"]),
                       subtype=rng.choice(["vehicle_ramming", None]), killed=rng.choice([(12, 12), (3, 3), None]),
                       modality=rng.choice(["asserted", "asserted", "hypothetical"]))
        if person:
            event = msgspec.structs.replace(event, actors=(EventActor("target", "Anis Amri", None, "person", None,
                                                                      "Anis Amri"),))
        out.append(event)
    return out


def test_reports_that_same_event_joins_always_share_a_block_key():
    # clustering and closure compare a report only with those it shares a key with: this must never miss a pair
    reports = _mixed_reports(120, seed=3)
    joined, undated, weeks = 0, 0, 0
    for a, b in itertools.combinations(reports, 2):
        if same_event(a, b):
            joined += 1
            undated += a.date is None or b.date is None
            weeks += "week" in (a.date.precision if a.date else "", b.date.precision if b.date else "")
            assert set(block_keys(a)) & set(block_keys(b)), (a.id, b.id)
    assert joined > 30 and undated and weeks      # many agreeing pairs, of every kind


def _grouping_by_comparing_with_every_group(reports: list[Event]) -> list[list[str]]:
    """The grouping as cluster_reports' docstring states it, comparing each report with every earlier group (no
    blocking, no place index): the expected ids of each group."""
    groups: list[list[Event]] = []
    for r in sorted(reports, key=_specificity):    # most specific first, as cluster_reports takes them
        agreeing = []
        for index, group in enumerate(groups):
            reasons = [same_event(m, r) for m in group]
            if all(reasons):
                agreeing.append((min(0 if ", same day" in x and ", same place" in x else 1 for x in reasons), index))
        agreeing.sort()
        if not agreeing or (len(agreeing) > 1 and agreeing[0][0] == agreeing[1][0]):
            groups.append([r])
        else:
            groups[agreeing[0][1]].append(r)
    return sorted(sorted(r.id for r in g) for g in groups)


def test_grouping_is_that_of_comparing_each_report_with_every_group():
    # the grouping as cluster_reports' docstring states it, comparing with every earlier group (no blocking)
    for seed in range(4):
        reports = _mixed_reports(80, seed)
        expected = _grouping_by_comparing_with_every_group(reports)
        assert any(len(g) > 2 for g in expected)
        assert sorted(sorted(r.id for r in g) for g in cluster_reports(reports)) == expected


# Places that the place index (consolidate/across.py `_place_tokens`) must file right: one city by name only, by
# GeoNames id only (another name form), a namesake with another id, a site without name or id, and coarse ones.
BERLIN_BY_NAME = Location("Berlin", "DE", "Berlin", 52.52, 13.41, None, "city", "Berlijn")
BERLIN_BY_ID = Location("Berlin-Mitte", "DE", "Berlin", 52.52, 13.40, 2950159, "city", "Berlin-Mitte")
BERLIN_NAMESAKE = Location("Berlin", "DE", "Schleswig-Holstein", 54.03, 10.45, 2950158, "city", "Berlin")
NAMELESS_SITE = Location(None, "DE", None, 52.5, 13.4, None, "site", None)
PLACES = [BERLIN, BERLIN_BY_NAME, BERLIN_BY_ID, BERLIN_NAMESAKE, NAMELESS_SITE, HAMBURG, GERMANY, BAVARIA]


def _placed_reports(n: int, seed: int) -> list[Event]:
    """Reports of one type and country that differ mostly in how their place is given."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        week = rng.random() < 0.2
        out.append(report(f"p{i:03d}", f"d{i}", day=rng.choice(["2016-12-19", "2016-12-20"]),
                          precision="week" if week else "day", end="2016-12-25" if week else None,
                          place=rng.choice(PLACES), subtype=rng.choice(["vehicle_ramming", None]),
                          killed=rng.choice([(12, 12), (3, 3), None])))
    return out


def test_grouping_compares_with_every_group_a_place_could_join():
    # the place index leaves out only groups a report cannot join: the grouping is that of comparing with all
    for seed in range(6):
        reports = _placed_reports(60, seed)
        expected = _grouping_by_comparing_with_every_group(reports)
        assert any(len(g) > 2 for g in expected)
        assert sorted(sorted(r.id for r in g) for g in cluster_reports(reports)) == expected
    # the pairs the index must not miss are there: a city by name only with one by id only (through a third report
    # that has both), a coarse report with a city
    assert same_event(report("a", "d1", place=BERLIN_BY_NAME), report("b", "d2", place=BERLIN))
    assert same_event(report("a", "d1", place=BERLIN_BY_ID), report("b", "d2", place=BERLIN))
    assert same_event(report("a", "d1", place=BERLIN_NAMESAKE), report("b", "d2", place=BERLIN_BY_NAME))


def test_closure_finds_every_stored_report_connected_to_the_new_ones():
    reports = _placed_reports(90, seed=11) + _mixed_reports(60, seed=5)
    new, stored = reports[::3], [r for i, r in enumerate(reports) if i % 3]
    by_key: dict[str, list[Event]] = {}
    for s in stored:
        for k in block_keys(s):
            by_key.setdefault(k, []).append(s)

    def candidates(keys):
        return list({s.id: s for k in sorted(keys) for s in by_key.get(k, ())}.values())

    # the reference: every stored report compared with every report reached so far (no index, no keys)
    expected, frontier = {r.id for r in new}, list(new)
    while frontier:
        frontier = [s for s in stored if s.id not in expected and any(same_event(s, f) for f in frontier)]
        expected |= {s.id for s in frontier}
    assert len(expected) > len(new) + 10
    assert set(closure(new, candidates)) == expected


def test_the_merged_record_takes_the_smallest_id_the_finest_fields_and_every_source():
    a = report("evt_b", "d1", killed=(9, None), place=GERMANY, subtype="bombing", published="2016-12-20")
    b = report("evt_a", "d2", killed=(12, 12), subtype="suicide_bombing", targets=("market",))
    for members in itertools.permutations([a, b]):
        merged = merge_reports(list(members))
        assert merged.id == "evt_a" and merged.location == BERLIN and merged.subtype == "suicide_bombing"
        assert merged.fatalities == Count(12, 12, "x") and merged.targets == ("market",)
        assert [s.doc_id for s in merged.sources] == ["d2", "d1"]
        assert merged.acled_sub_event_type == "Suicide bomb" and merged.confidence == 0.85


def test_links_to_merged_reports_follow_them():
    attack_a = report("evt_2", "d1")
    claim = report("evt_9", "d1", type_="claim", subtype=None, place=None, killed=None,
                   related=(Relation("claims", "evt_2"),))
    attack_b = report("evt_1", "d2")
    events = {e.id: e for e, _ in consolidate_reports([attack_a, claim, attack_b])}
    assert set(events) == {"evt_1", "evt_9"}
    assert events["evt_9"].related == (Relation("claims", "evt_1"),)


def test_a_report_survives_the_json_round_trip_unchanged():
    from kroniek.eventjson import decode_event, encode_event

    original = report("e1", "d1", perpetrator="Islamic State")
    assert decode_event(encode_event(original)) == original
    assert msgspec.json.decode(encode_event(original))["date"]["start"] == "2016-12-19"
