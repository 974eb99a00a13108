"""Consolidation across documents as Spark jobs, with the single-machine path's own functions.

  copies:  MinHash band keys → documents that share a band → `similarity` ≥ NEAR_DUPLICATE → connected components →
           the smallest document id holds the text, the others are its copies (near_duplicates.group_copies)
  events:  `block_keys` → reports that share a key → `same_event` → connected components (the closed sets that
           `closure` finds) → `cluster_reports` on each → `merge_reports`, with every report id resolved to the
           event that holds it (ids: the smallest report id) → `with_aliases` (the copies among the sources)

The incremental path (consolidate/update.py) recomputes, for each batch, the closed set around the new reports;
clustering depends only on that set, so clustering each component of the whole corpus once gives its events.
"""
from __future__ import annotations

from typing import Iterable

from ..consolidate.across import block_keys, cluster_reports, merge_reports, same_event
from ..consolidate.near_duplicates import NEAR_DUPLICATE, band_keys, similarity
from ..consolidate.update import with_aliases
from ..records import Source
from .components import connected_components

__all__ = ["copy_holders", "consolidated_events"]


def _similar_pairs(members: Iterable[tuple[str, bytes]]):
    members = sorted(set(members))
    for i, (a, sa) in enumerate(members):
        for b, sb in members[i + 1:]:
            if similarity(sa, sb) >= NEAR_DUPLICATE:
                yield a, b


def copy_holders(docs, partitions: int):
    """docs: RDD of (doc_id, (order, article, reports, notices, signature)) → RDD of (doc_id, holder) for every
    document of a group of copies (the holder holds the text; it maps to itself)."""
    bands = docs.filter(lambda kv: kv[1][4] is not None) \
        .flatMap(lambda kv: [(key, (kv[0], kv[1][4])) for key in band_keys(kv[1][4])])
    edges = bands.groupByKey(partitions).flatMap(lambda kv: _similar_pairs(kv[1])).distinct(partitions)
    return connected_components(edges, partitions)


def _agreeing_pairs(reports):
    reports = sorted(reports, key=lambda r: r.id)
    for i, a in enumerate(reports):
        for b in reports[i + 1:]:
            if same_event(a, b):
                yield a.id, b.id


def _merged(event_id, members, resolved):
    resolved = resolved or {}
    return merge_reports(list(members), lambda report_id: resolved.get(report_id, report_id))


def consolidated_events(reports, aliases, partitions: int):
    """reports: RDD of the reports of documents that hold their text; aliases: RDD of (holder doc id, Source of a
    copy). → RDD of the consolidated events."""
    from pyspark import StorageLevel

    keep = StorageLevel.MEMORY_AND_DISK
    reports = reports.map(lambda r: (r.id, r)).persist(keep)
    edges = reports.flatMap(lambda kv: [(key, kv[1]) for key in block_keys(kv[1])]) \
        .groupByKey(partitions).flatMap(lambda kv: _agreeing_pairs(kv[1])).distinct(partitions)
    component = connected_components(edges, partitions)
    by_component = reports.leftOuterJoin(component, partitions) \
        .map(lambda kv: (kv[1][1] or kv[0], kv[1][0])).groupByKey(partitions)
    groups = by_component.flatMap(lambda kv: [(g[0].id, g) for g in cluster_reports(kv[1])]).persist(keep)
    membership = groups.flatMap(lambda kv: [(m.id, kv[0]) for m in kv[1]])
    wanted = groups.flatMap(lambda kv: [(link.event_id, kv[0]) for m in kv[1] for link in m.related])
    resolved = wanted.leftOuterJoin(membership, partitions) \
        .map(lambda x: (x[1][0], (x[0], x[1][1] or x[0]))).groupByKey(partitions).mapValues(dict)
    merged = groups.leftOuterJoin(resolved, partitions).map(lambda kv: _merged(kv[0], kv[1][0], kv[1][1]))
    by_alias = aliases.groupByKey(partitions).mapValues(lambda sources: sorted(sources, key=lambda s: s.doc_id))
    needed = merged.flatMap(lambda e: [(s.doc_id, e.id) for s in e.sources]).join(by_alias, partitions) \
        .map(lambda x: (x[1][0], (x[0], x[1][1]))).groupByKey(partitions).mapValues(dict)
    return merged.map(lambda e: (e.id, e)).leftOuterJoin(needed, partitions) \
        .map(lambda kv: with_aliases(kv[1][0], kv[1][1]) if kv[1][1] else kv[1][0])


def copy_source(article) -> Source:
    """A copy as a source of its holder's events (as stores give it: store/duckdb_store.py aliases_of)."""
    return Source(article.doc_id, article.url, article.title, article.outlet, article.published)
