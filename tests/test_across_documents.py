"""One event reported by several articles, in Dutch and English, is one event with several sources."""
from __future__ import annotations

from kroniek.pipeline import ingest_into
from kroniek.records import RawDocument
from kroniek.store import EventQuery, Store

NL = ("Gisteravond reed een vrachtwagen in op een kerstmarkt in Keulen. Er vielen minstens vijf doden en "
      "tientallen gewonden.")
EN = ("A truck ploughed into a Christmas market in Cologne on Tuesday evening, killing seven people, police said. "
      "The driver, who is suspected of acting alone, was arrested.")
OTHER = "A truck ploughed into a crowd in Hamburg on Tuesday evening, killing two people."


def _raw(text: str, language: str, published: str, url: str) -> RawDocument:
    return RawDocument(url, text.encode("utf-8"), "text", {"language": language, "published": published, "url": url})


def test_a_dutch_and_an_english_report_of_one_attack_are_one_event():
    with Store.open(":memory:") as store:
        ingest_into(store, [_raw(NL, "nl", "2016-12-21", "nl:1"), _raw(EN, "en", "2016-12-21", "en:1"),
                            _raw(OTHER, "en", "2016-12-21", "en:2")])
        attacks = store.events(EventQuery(type="attack", modality="asserted"))
        cologne = [a for a in attacks if a.location.name == "Cologne"]
        assert len(cologne) == 1 and len(attacks) == 2
        event = cologne[0]
        assert sorted(s.url for s in event.sources) == ["en:1", "nl:1"]
        assert event.fatalities.min == 7       # the higher lower bound of the two reports
        assert event.merged_because and "same place (Cologne)" in event.merged_because[-1]
        assert {e.doc_id for e in event.evidence} == {s.doc_id for s in event.sources}


def test_reingesting_either_report_changes_nothing():
    with Store.open(":memory:") as store:
        ingest_into(store, [_raw(NL, "nl", "2016-12-21", "nl:1"), _raw(EN, "en", "2016-12-21", "en:1")])
        before = (store.counts(), store.events(EventQuery(limit=100)))
        report = ingest_into(store, [_raw(EN, "en", "2016-12-21", "en:1")])
        assert report.skipped == 1 and report.documents == 0
        assert (store.counts(), store.events(EventQuery(limit=100))) == before


def test_records_kept_from_earlier_batches_give_the_events_of_reading_them_again(monkeypatch):
    # the writer keeps stored reports it decoded for the next batches (duckdb_store._RECENT_REPORTS): one document a
    # batch, with room for 2 reports or none, gives the events of one batch of all, and never keeps more than room
    import kroniek.store.duckdb_store as duckdb_store

    texts = [(NL, "nl", "nl:1"), (EN, "en", "en:1"), (OTHER, "en", "en:2"),
             ("Police said on Wednesday that the truck that killed seven people at the Christmas market in Cologne "
              "on Tuesday evening had been stolen.", "en", "en:3")]
    raws = [_raw(text, language, "2016-12-21", url) for text, language, url in texts]
    with Store.open(":memory:") as store:
        ingest_into(store, raws)
        expected = store.events(EventQuery(limit=100))
    cologne = [e for e in expected if e.location and e.location.name == "Cologne" and e.type == "attack"]
    assert len(cologne) == 1 and len(cologne[0].sources) == 3
    for room in (2, 0):
        monkeypatch.setattr(duckdb_store, "_RECENT_REPORTS", room)
        with Store.open(":memory:") as store:
            for raw in raws:
                ingest_into(store, [raw])
            assert len(store._recent_reports) <= room
            assert store.events(EventQuery(limit=100)) == expected
