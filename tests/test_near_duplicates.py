"""One story, one document: a lightly edited or re-headlined copy of an agency text is stored once, with every copy as
a source of its events, whichever copy comes first (kroniek.consolidate.near_duplicates and the store)."""
from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from kroniek.consolidate.near_duplicates import NEAR_DUPLICATE, group_copies, signature, similarity
from kroniek.datafiles import data_path
from kroniek.eventjson import encode_event
from kroniek.pipeline import ingest_into
from kroniek.records import RawDocument
from kroniek.store import EventQuery, Store

NL = data_path("demo", "2016-12-21_berlijn_kerstmarkt_nl.txt").read_text(encoding="utf-8")
EN = data_path("demo", "2017-05-23_manchester_arena_en.txt").read_text(encoding="utf-8")


def _copy(text: str, language: str) -> str:
    """The same agency text as another outlet runs it: its own headline, two words changed, a credit line."""
    body = text.split("\n\n", 1)[1]
    if language == "nl":
        return "Terreurgroep IS eist aanslag in Berlijn op\n\n" + body.replace("zwaar", "ernstig").replace(
            "Bondskanselier", "Kanselier") + "\n\n(ANP)"
    return "Manchester attack: 22 dead at pop concert\n\n" + body.replace("said", "stated", 1) + "\n\n(Reuters)"


@pytest.mark.parametrize("text, language", [(NL, "nl"), (EN, "en")])
def test_an_edited_copy_is_alike_and_another_report_is_not(text, language):
    assert similarity(signature(text), signature(_copy(text, language))) >= NEAR_DUPLICATE
    other = EN if language == "nl" else NL
    assert similarity(signature(text), signature(other)) < 0.1
    assert signature("Drie doden bij aanslag in Kabul.") is None     # too short to tell a copy from a coincidence


def test_copies_are_held_by_the_smallest_id_even_through_another_copy():
    a, b = signature(NL), signature(_copy(NL, "nl"))
    assert group_copies([("doc_b", b)], [("doc_a", a)]) == {"doc_a": "doc_a", "doc_b": "doc_a"}
    assert group_copies([("doc_a", a)], [("doc_b", b)]) == {"doc_a": "doc_a", "doc_b": "doc_a"}
    assert group_copies([("doc_c", signature(EN))], [("doc_a", a)]) == {}


def _raw(text: str, url: str, outlet: str) -> RawDocument:
    return RawDocument(url, text.encode("utf-8"), "text", {"language": "nl", "published": "2016-12-21", "url": url,
                                                           "source": outlet})


DOCS = [_raw(NL, "https://krant.example/berlijn", "De Krant"),
        _raw(_copy(NL, "nl"), "https://omroep.example/is-eist", "De Omroep")]


def _ingest(documents, batch_size=64):
    store = Store.open(":memory:")
    ingest_into(store, documents, batch_size=batch_size)
    return store


@pytest.mark.parametrize("order", [(0, 1), (1, 0)], ids=["original first", "copy first"])
def test_a_copy_is_stored_once_and_its_source_joins_every_event(order):
    store = _ingest([DOCS[i] for i in order], batch_size=1)
    counts = store.counts()
    texts = store.cursor().execute("SELECT count(*) FROM documents WHERE text IS NOT NULL").fetchone()[0]
    assert counts["documents"] == 2 and texts == 1
    events = list(store.iter_events(EventQuery(limit=1000)))
    assert events and all(sorted(s.url for s in e.sources) == sorted(d.metadata["url"] for d in DOCS)
                          for e in events)
    holder = min(e.sources[0].doc_id for e in events)
    copy = next(s.doc_id for s in events[0].sources if s.doc_id != holder)
    assert store.document(copy)["text"] == store.document(holder)["text"]
    assert store.document(copy)["duplicate_of"] == holder


def test_which_copy_comes_first_changes_nothing():
    first = {e.id: encode_event(e) for e in _ingest(DOCS, batch_size=1).iter_events(EventQuery(limit=1000))}
    second = {e.id: encode_event(e) for e in _ingest(DOCS[::-1], batch_size=1).iter_events(EventQuery(limit=1000))}
    together = {e.id: encode_event(e) for e in _ingest(DOCS).iter_events(EventQuery(limit=1000))}
    assert first == second == together


def test_reingesting_a_copy_adds_nothing():
    store = _ingest(DOCS)
    before = (store.counts(), [json.loads(encode_event(e)) for e in store.iter_events(EventQuery(limit=1000))])
    report = ingest_into(store, [DOCS[1]])
    assert report.skipped == 1 and report.documents == 0
    assert (store.counts(), [json.loads(encode_event(e)) for e in store.iter_events(EventQuery(limit=1000))]) == before


def _chain() -> tuple[str, str, str]:
    """Three texts of overlapping Dutch paragraphs (demo corpus): A like B, B like C, A not like C."""
    paragraphs = [p for path in sorted(data_path("demo").iterdir()) if path.suffix == ".txt" and "_nl" in path.name
                  for p in path.read_text(encoding="utf-8").split("\n\n")[1:] if len(p.split()) >= 25][:10]
    return tuple("Nieuwsoverzicht\n\n" + "\n\n".join(paragraphs[i:i + 8]) for i in range(3))


def test_a_chain_of_copies_is_one_story_whichever_order_it_comes_in():
    a, b, c = (signature(t) for t in _chain())
    assert similarity(a, b) >= NEAR_DUPLICATE and similarity(b, c) >= NEAR_DUPLICATE
    assert similarity(a, c) < NEAR_DUPLICATE
    # b and a are stored as one story (a holds the text); c, like b only, still joins them
    assert group_copies([("doc_c", c)], [("doc_a", a, None), ("doc_b", b, "doc_a")]) == \
        {"doc_a": "doc_a", "doc_b": "doc_a", "doc_c": "doc_a"}
    # the stored copy b is alike, its holder z is not among the candidates: z still becomes a copy of a
    assert group_copies([("doc_a", a)], [("doc_b", b, "doc_z")]) == \
        {"doc_a": "doc_a", "doc_b": "doc_a", "doc_z": "doc_a"}


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))), ids=str)
def test_a_chain_of_copies_gives_the_same_database_in_any_order(order):
    texts = _chain()
    docs = [_raw(t, f"https://krant{i}.example/overzicht", f"Krant {i}") for i, t in enumerate(texts)]

    def state(documents):
        store = _ingest(documents, batch_size=1)
        rows = store.cursor().execute("SELECT doc_id, duplicate_of, text IS NULL FROM documents ORDER BY doc_id")
        return rows.fetchall(), {e.id: encode_event(e) for e in store.iter_events(EventQuery(limit=1000))}

    documents, events = state([docs[i] for i in order])
    expected_documents, expected_events = state(docs)
    assert documents == expected_documents and events == expected_events
    holders = {holder for _, holder, _ in documents}
    assert len(holders - {None}) == 1 and sum(1 for _, _, no_text in documents if not no_text) == 1


def test_signatures_are_datasketchs_affine32_minhash_byte_for_byte():
    """The signature is computed with numpy alone (datasketch's import of scipy costs a second at start-up); it is the
    one datasketch 2's MinHash(num_perm=128, seed=1, scheme="affine32") gives for the same shingles, so databases
    written before keep matching their copies."""
    import hashlib
    sig = signature(NL)
    assert sig[:16].hex() == "dcd1670060f6c600b5de1a003c06c100"
    assert hashlib.sha256(sig).hexdigest() == "1289a100f81a197d04e25e21982addce70379bf2dfa782dd460c5847f97c5812"
    datasketch = pytest.importorskip("datasketch")
    from kroniek.consolidate.near_duplicates import _shingles
    permutations = datasketch.MinHash(num_perm=128, seed=1, scheme="affine32").permutations
    for text in (NL, EN, _copy(NL, "nl"), _copy(EN, "en")):
        reference = datasketch.MinHash(num_perm=128, seed=1, hashfunc=int, permutations=permutations,
                                       scheme="affine32")
        reference.update_batch(_shingles(text).tolist())
        assert signature(text) == reference.hashvalues.astype("<u4").tobytes()


def _variant(base: "np.ndarray", changed: int, rng: "np.random.Generator") -> bytes:
    """A signature that differs from `base` in `changed` of its 128 values (similarity 1 - changed/128); the first
    band (4 values) is always kept, so that every variant of a base shares one band, as texts with one boilerplate
    paragraph do."""
    values = base.copy()
    where = rng.choice(np.arange(4, len(values)), size=changed, replace=False)
    values[where] = rng.integers(0, 2**32, size=changed, dtype=np.uint32)
    return values.astype("<u4").tobytes()


def _reference_groups(fresh, stored):
    """Every pair with a fresh document that shares a band and is NEAR_DUPLICATE alike, and every stored copy with its
    holder, as connected components: compared pair by pair, without the bands' grouping."""
    from kroniek.consolidate.near_duplicates import band_keys

    items = [(d, s, h) for d, s, h in stored] + [(d, s, None) for d, s in fresh]
    ids = sorted({d for d, _, _ in items} | {h for _, _, h in items if h})
    component = {d: {d} for d in ids}

    def link(a, b):
        merged = component[a] | component[b]
        for d in merged:
            component[d] = merged

    for d, _, h in items:
        if h:
            link(d, h)
    fresh_ids = {d for d, _ in fresh}
    sigs = {d: s for d, s, _ in items}
    for a, b in itertools.combinations(sorted(sigs), 2):
        if (a in fresh_ids or b in fresh_ids) and set(band_keys(sigs[a])) & set(band_keys(sigs[b])) \
                and similarity(sigs[a], sigs[b]) >= NEAR_DUPLICATE:
            link(a, b)
    return {d: min(c) for d, c in component.items() if len(c) > 1}


@pytest.mark.parametrize("seed", range(6))
def test_copies_are_the_pairs_compared_one_by_one_also_in_a_band_that_hundreds_share(seed):
    rng = np.random.default_rng(seed)
    bases = [rng.integers(0, 2**32, size=128, dtype=np.uint32) for _ in range(4)]
    # changed values: 10 of 128 is a copy (similarity 0.92), 60 a text that only shares the boilerplate band; the
    # fourth base's texts come only in the fresh batch (copies of each other, of no stored text)
    docs = [(f"doc_{n:03d}", _variant(bases[n % 3], int(rng.choice([10, 30, 60, 100])), rng)) for n in range(150)]
    order = rng.permutation(len(docs))
    stored = [(docs[i][0], docs[i][1], None) for i in sorted(order[:120].tolist())]
    fresh = [docs[i] for i in order[120:].tolist()]
    fresh += [(f"doc_{n:03d}", _variant(bases[3], 10, rng)) for n in range(150, 153)]
    expected = _reference_groups(fresh, stored)
    assert group_copies(fresh, stored) == expected
    assert {d: h for d, h in expected.items() if h == "doc_150"} == {"doc_150": "doc_150", "doc_151": "doc_150",
                                                                    "doc_152": "doc_150"}
    assert len(set(expected.values())) > 1
