"""The pipeline runner: ingest -> clean -> langid -> annotate -> extract -> consolidate -> store.

Every stage is a plain function of a typed record; this module only composes them, batches documents for the
store, and counts what happened. The same `process_document` runs in a loop or in worker processes
(`kroniek ingest --jobs N`): a stage keeps no state but the lexicons and indexes it loads once.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterable, Iterator

from .annotate.article import annotate_article
from .clean import clean_document
from .consolidate.within import consolidate_article
from .errors import InputError
from .eventjson import event_to_dict
from .extract.mentions import extract_mentions
from .langid import identify_language
from .records import Article, Event, RawDocument, Rejected
from .safetext import internal_reject, scrub, scrub_metadata

__all__ = ["ProcessedDocument", "IngestReport", "process_document", "analyse_text", "event_to_dict",
           "ingest_into", "warm_up"]

BATCH_SIZE = 64
# The per-document budget: far past any news article (a long feature is ~10,000 words and a few dozen event
# mentions; dutch_news_dev's longest has 1,082 words), and low enough that no stage stalls on what exceeds it
# (benchmarks/pathological.py). A document over it is rejected with K123, not processed for minutes.
MAX_WORDS = 100_000
MAX_MENTIONS = 2_000
MAX_HTML_TAGS = 500_000


@dataclass(frozen=True, slots=True)
class ProcessedDocument:
    article: Article
    events: tuple[Event, ...]
    notices: tuple[str, ...] = ()


@dataclass
class IngestReport:
    documents: int = 0
    events: int = 0              # event mentions: each stored document's own events (its reports)
    skipped: int = 0
    merged_events: int = 0       # the events of the database those reports are part of, after merging
    rejects: list[Rejected] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "events": self.events, "merged_events": self.merged_events,
                "skipped": self.skipped,
                "rejects": [{"origin": r.origin, "code": r.code, "reason": r.reason} for r in self.rejects],
                "notices": list(self.notices)}


# Languages whose role fillers the learned MUC-4 model can add to the rules' (kroniek.roles; trained on English
# news). Off by default: it costs ~15 ms per 600-word article, more than the rest of the pipeline.
LEARNED_ROLES_LANGUAGES = ("en",)


def events_of_article(article: Article, learned_roles: bool = False) -> tuple[Event, ...]:
    """Events in an article whose language is set (annotate, extract, consolidate, and optionally the learned
    role model's perpetrators, victims, targets and weapons)."""
    annotated = annotate_article(article)
    mentions = extract_mentions(annotated)
    if len(mentions) > MAX_MENTIONS:
        raise InputError("K123", f"{len(mentions):,} event mentions, over the budget of {MAX_MENTIONS:,}")
    events = consolidate_article(annotated, mentions)
    if learned_roles and article.language in LEARNED_ROLES_LANGUAGES:
        from .roles.attach import EVENT_TYPES, attach_role_fillers   # numpy and the weights, only when asked
        from .roles.model import predict_role_fillers

        if any(e.modality == "asserted" and e.type in EVENT_TYPES for e in events):
            events = attach_role_fillers(events, predict_role_fillers(article.text, article.language))
    return events


def process_document(raw: RawDocument, learned_roles: bool = False) -> ProcessedDocument | Rejected:
    """One raw document through every stage up to consolidation within the document."""
    if raw.media_type == "html" and raw.content.count(b"<") > MAX_HTML_TAGS:
        return Rejected(raw.origin, "K123", f"{raw.content.count(b'<'):,} HTML tags, over the budget of "
                                            f"{MAX_HTML_TAGS:,}")
    article = clean_document(raw)
    if isinstance(article, Rejected):
        return article
    words = len(article.text.split())
    if words > MAX_WORDS:
        return Rejected(raw.origin, "K123", f"{words:,} words, over the budget of {MAX_WORDS:,}")
    notices = []
    if article.encoding != "utf-8":
        notices.append(f"{raw.origin}: not UTF-8; decoded as {article.encoding} (check accented letters)")
    article = identify_language(article)
    if isinstance(article, Rejected):
        return article
    try:
        events = events_of_article(article, learned_roles)
    except InputError as exc:
        return Rejected(raw.origin, exc.code, str(exc))
    return ProcessedDocument(article, events, tuple(notices))


def analyse_text(text: str, *, language: str, published: date | None = None, url: str | None = None,
                 title: str | None = None, learned_roles: bool = False) -> tuple[Event, ...]:
    """Events in one text, without a database: the entry point for notebooks and evaluations.

    Never raises on its text: a lone surrogate becomes U+FFFD, and a text no stage can use gives no events."""
    metadata = {k: v for k, v in (("language", language), ("published", published), ("url", url),
                                  ("title", title)) if v is not None}
    raw = RawDocument("<text>", scrub(text if isinstance(text, str) else str(text)).encode("utf-8"), "text",
                      scrub_metadata(metadata))
    result = _process_safely(raw, learned_roles)
    if isinstance(result, Rejected):
        return ()
    return result.events


def warm_up(languages: Iterable[str] = ("nl", "en")) -> None:
    """Load every lexicon, gazetteer and model once, so the first document is not slower than the rest (and forked
    workers share them)."""
    from .places import load_gazetteer

    load_gazetteer().read_all()   # otherwise read part by part as names are looked up
    for language in languages:
        events_of_article(Article("doc_warmup", "Warm up. Opwarmen.", "<warm-up>", language=language))


def ingest_into(store, documents: Iterable[RawDocument | Rejected], *, batch_size: int = BATCH_SIZE,
                on_progress: Callable[[IngestReport], None] | None = None,
                on_reject: Callable[[Rejected], None] | None = None, jobs: int = 1,
                learned_roles: bool = False) -> IngestReport:
    """Process documents and store them in batches; a document already stored is skipped, a bad one rejected.

    With `jobs` > 1 the stages run in that many processes, `jobs` - 1 workers and this one (they are pure
    functions); the store is written by this process alone, in input order.
    """
    process = functools.partial(_process_safely, learned_roles=learned_roles)
    documents = _guarded(documents)
    processed = map(process, documents) if jobs <= 1 else _processed_in_pool(documents, jobs, process)
    return store_processed(store, processed, batch_size=batch_size, on_progress=on_progress, on_reject=on_reject)


def store_processed(store, processed: Iterable[ProcessedDocument | Rejected], *, batch_size: int = BATCH_SIZE,
                    on_progress: Callable[[IngestReport], None] | None = None,
                    on_reject: Callable[[Rejected], None] | None = None) -> IngestReport:
    """Store documents the stages have already processed (here, in worker processes, or by Spark), in input order
    and in batches, exactly as `ingest_into` does: the same events and ids whoever ran the stages."""
    report = IngestReport()
    batch: list[ProcessedDocument] = []
    report_ids: list[str] = []   # of the stored documents' events: which database events they ended in

    def flush() -> None:
        if not batch:
            return
        known = store.known_documents(p.article.doc_id for p in batch)
        fresh, seen = [], set()
        for p in batch:
            if p.article.doc_id in known or p.article.doc_id in seen:
                report.skipped += 1
            else:
                seen.add(p.article.doc_id)
                fresh.append(p)
        failures = store.add_documents([(p.article, p.events) for p in fresh])
        failed = {article.doc_id for article, _ in failures}
        for article, error in failures:
            _reject(Rejected(article.origin, "K121", f"could not be stored ({error.__class__.__name__}: "
                                                     f"{scrub(str(error))[:120]}); please report it"))
        for p in fresh:
            if p.article.doc_id not in failed:
                report.documents += 1
                report.events += len(p.events)
                report_ids.extend(e.id for e in p.events)
        batch.clear()
        if on_progress:
            on_progress(report)

    def _reject(rejected: Rejected) -> None:
        report.rejects.append(rejected)
        store.add_reject(rejected)
        if on_reject:
            on_reject(rejected)

    try:
        for item in processed:
            if isinstance(item, Rejected):
                _reject(item)
                continue
            report.notices += item.notices
            batch.append(item)
            if len(batch) >= batch_size:
                flush()
    finally:   # what was processed before an interruption (Ctrl-C, a broken pool) is stored all the same
        flush()
    counter = getattr(store, "count_events_of_reports", None)
    report.merged_events = counter(report_ids) if counter else report.events
    return report


def _guarded(documents: Iterable[RawDocument | Rejected]) -> Iterator[RawDocument | Rejected]:
    """The documents, with an error raised by their reader turned into one K120 line (the reader cannot go on
    after it: a generator that raised is finished) instead of ending the batch unstored."""
    iterator = iter(documents)
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except Exception as exc:
            yield internal_reject("<input>", exc, "reading the input; the documents after it were not read")
            return
        yield item


def _process_safely(raw: RawDocument | Rejected, learned_roles: bool = False) -> ProcessedDocument | Rejected:
    if isinstance(raw, Rejected):
        return raw
    try:
        return process_document(raw, learned_roles)
    except RecursionError as exc:  # a structure too deep for a stage: the budget's job, but never a crash
        return Rejected(raw.origin, "K123", f"too complex to process ({str(exc)[:80]})")
    except Exception as exc:  # one broken document must not stop a batch of thousands
        return internal_reject(raw.origin, exc, "processing it")


# With --jobs, an input shorter than this many documents per worker is processed here: starting workers would cost
# more than they save (the 48-article Dutch corpus was slower with two).
POOL_MIN_DOCUMENTS_PER_JOB = 16
_POOL_CHUNK = 8            # documents sent to a worker at a time
_POOL_CHUNKS_AHEAD = 4     # chunks in flight per worker: input is read only this far ahead (bounded memory)


def _process_chunk(process: Callable, items: list) -> list:
    return [process(item) for item in items]


def _processed_in_pool(documents: Iterable[RawDocument | Rejected], jobs: int, process: Callable
                       ) -> Iterator[ProcessedDocument | Rejected]:
    """Processed documents in input order, from `jobs` processes: `jobs` - 1 workers and this one, which processes
    a chunk itself whenever the next result it needs is not back yet, and writes the store the rest of the time.
    (With a worker per job besides the writer, three processes shared two cores: `--jobs 2` spent a quarter more
    CPU than `--jobs 1` and reached 1.5x its rate; benchmarks/jobs.py.) The input is streamed (a bounded number of
    chunks in flight); the lexicons, gazetteer and models are loaded here once and the workers are forked after,
    so they share them instead of each loading its own."""
    import gc
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from itertools import islice

    items = iter(documents)
    head = list(islice(items, jobs * POOL_MIN_DOCUMENTS_PER_JOB))
    if len(head) < jobs * POOL_MIN_DOCUMENTS_PER_JOB:
        yield from map(process, head)
        return
    items = _chain(head, items)
    workers = jobs - 1
    fork = "fork" in multiprocessing.get_all_start_methods()
    if fork:
        warm_up()
        gc.freeze()   # what is loaded stays shared: a worker's collector neither scans nor copies those pages
    context = multiprocessing.get_context("fork") if fork else None
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                 initializer=None if fork else warm_up) as pool:
            # chunks in input order: a worker's (its future and documents) or one done here (its results); at most
            # `limit`, so the input is read only that far ahead
            pending: deque = deque()
            limit = 2 * workers * _POOL_CHUNKS_AHEAD

            def submit() -> bool:
                chunk = list(islice(items, _POOL_CHUNK))
                if chunk:
                    pending.append((pool.submit(_process_chunk, process, chunk), chunk))
                return bool(chunk)

            for _ in range(workers * _POOL_CHUNKS_AHEAD):
                if not submit():
                    break
            exhausted = False
            while pending:
                first = pending[0]
                if not isinstance(first, list) and not first[0].done() and len(pending) < limit:
                    # the next result is a worker's and not back yet: process the next chunk here meanwhile
                    chunk = [] if exhausted else list(islice(items, _POOL_CHUNK))
                    if chunk:
                        pending.append(_process_chunk(process, chunk))
                        continue
                    if not exhausted:
                        # the input is all read: chunks no worker has started yet are done here, so this process
                        # does not wait idle for the last of them
                        exhausted = True
                        for i, entry in enumerate(pending):
                            if not isinstance(entry, list) and entry[0].cancel():
                                pending[i] = _process_chunk(process, entry[1])
                        continue
                pending.popleft()
                if not isinstance(first, list):
                    first = first[0].result()
                    submit()
                yield from first
    finally:
        if fork:
            gc.unfreeze()


def _chain(first: list, rest: Iterator) -> Iterator:
    yield from first
    yield from rest
