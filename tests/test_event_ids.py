"""Event ids are unique: within one document and across a corpus, and the store keeps every event it is given.

Issue 15: an event id made without the trigger's position gave two events of one type in one document the same
id, and the store silently kept one of them; no test noticed.
"""
from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from kroniek.datafiles import data_path
from kroniek.ingest.sources import read_sources
from kroniek.pipeline import ProcessedDocument, analyse_text, process_document
from kroniek.store import Store


@pytest.mark.parametrize("language, text, places", [
    ("nl", "Gisteren werd in Utrecht een man neergestoken. Vanochtend werd in Amersfoort opnieuw een vrouw "
           "neergestoken.", ["Utrecht", "Amersfoort"]),
    ("en", "A man was stabbed in Leeds on Monday. On Tuesday another man was stabbed in York.", ["Leeds", "York"]),
])
def test_two_events_of_one_type_in_one_document_have_two_ids(language, text, places):
    events = analyse_text(text, language=language, published=date(2020, 1, 8))
    stabbings = [e for e in events if e.type == "attack" and e.subtype == "stabbing"]
    assert sorted(e.location.name for e in stabbings) == sorted(places)
    assert len({e.id for e in stabbings}) == 2


def processed(paths: list[str]) -> list[ProcessedDocument]:
    out = []
    for raw in read_sources(paths):
        result = process_document(raw)
        assert isinstance(result, ProcessedDocument), result
        out.append(result)
    return out


def assert_unique_ids(documents: list[ProcessedDocument], tmp_path) -> None:
    for document in documents:
        repeated = [i for i, n in Counter(e.id for e in document.events).items() if n > 1]
        assert not repeated, (document.article.origin, repeated)
    every = [e.id for d in documents for e in d.events]
    assert len(every) > 2 * len(documents)            # real news: several events an article
    assert len(set(every)) == len(every), [i for i, n in Counter(every).items() if n > 1]
    # ... and the store keeps them all: one report per event of each document, none overwritten
    with Store.open(str(tmp_path / "ids.duckdb")) as store:
        assert store.add_documents([(d.article, d.events) for d in documents]) == []
        assert store.counts()["reports"] == len(every)
        assert store.counts()["documents"] == len(documents)


def test_event_ids_are_unique_across_the_demo_corpus(tmp_path):
    texts = sorted(str(p) for p in data_path("demo").glob("*.txt"))
    assert len(texts) >= 12
    assert_unique_ids(processed(texts), tmp_path)


@pytest.mark.slow
def test_event_ids_are_unique_across_the_dutch_development_articles(shared_dir, tmp_path):
    articles = shared_dir / "data" / "dutch_news_dev" / "articles.jsonl"
    if not articles.exists():
        pytest.skip(f"{articles} is not present")
    demo = sorted(str(p) for p in data_path("demo").glob("*.txt"))
    documents = processed([str(articles)])
    assert len(documents) == 48
    assert_unique_ids(processed(demo) + documents, tmp_path)
