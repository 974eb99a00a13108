"""One story, one document: articles that are the same agency text lightly edited, or re-published under another
headline, are recognised by MinHash over word 5-grams, found through LSH bands a store can index, and kept
as one document with every copy as a source.

The copy with the smallest document id holds the text (so which copy came first never changes what is stored); the
others are aliases. Pure functions: the store keeps the signatures and band keys and asks these.
"""
from __future__ import annotations

import re
import zlib
from functools import lru_cache
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

from ..records import Article, Event

__all__ = ["signature", "band_keys", "similarity", "group_copies", "plan_copies", "CopyPlan", "NEAR_DUPLICATE",
           "SIGNATURE_BYTES"]

PERMUTATIONS = 128
BANDS = 32                       # 32 bands of 4 rows: pairs above a Jaccard of about 0.42 share a band
ROWS = PERMUTATIONS // BANDS
SHINGLE = 5                      # words per shingle
# Estimated Jaccard similarity of word 5-grams at or above which two articles are one story (an agency text and its
# lightly edited copy share most 5-grams, since each edited word changes five of them; two reports of one event in
# other words share almost none). Calibrated on tests/test_near_duplicates.py's edited copies and distinct reports;
# 128 permutations estimate it within about 0.04.
NEAR_DUPLICATE = 0.7
# Articles with fewer words than this are too short to tell a copy from a coincidence ("Three killed in Kabul").
MIN_WORDS = 40
SIGNATURE_BYTES = PERMUTATIONS * 4
_WORD = re.compile(r"\w+")
_MIX = np.uint64(0x9E3779B1)


def _shingles(text: str) -> np.ndarray:
    """32-bit hashes of the text's word 5-grams (lower case), combined from each word's crc32 without Python
    loops over the 5-grams."""
    words = _WORD.findall(text.lower())
    if len(words) < max(SHINGLE, MIN_WORDS):
        return np.zeros(0, dtype=np.uint64)
    hashes = np.array([zlib.crc32(w.encode("utf-8")) for w in words], dtype=np.uint64)
    combined = np.zeros(len(words) - SHINGLE + 1, dtype=np.uint64)
    for offset in range(SHINGLE):
        combined = (combined * _MIX + hashes[offset:offset + len(combined)]) & np.uint64(0xFFFFFFFF)
    return np.unique(combined)


# MinHash as datasketch (>= 2.0) computes it with scheme="affine32" and seed 1: each 32-bit input goes through the
# MurmurHash3 finalizer, then through PERMUTATIONS affine maps a*h + b mod 2^32 (a odd) drawn from
# numpy.random.RandomState(1); the signature is the minimum of each. Computed here with numpy alone, because
# importing datasketch imports scipy (about a second of CPU for a one-document ingest); tests/test_near_duplicates.py
# checks the signatures byte for byte against datasketch's where it is installed.
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    generator = np.random.RandomState(1)
    a = generator.randint(0, 1 << 31, PERMUTATIONS, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, PERMUTATIONS, dtype=np.uint32)
    return a, b


def _fmix32(values: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = _FMIX32
    values = values ^ (values >> s1)
    values = values * m1
    values = values ^ (values >> s2)
    values = values * m2
    return values ^ (values >> s3)


def signature(text: str) -> bytes | None:
    """The MinHash signature of an article (PERMUTATIONS 32-bit values), or None when it is too short to compare."""
    shingles = _shingles(text)
    if not len(shingles):
        return None
    a, b = _permutations()
    mixed = _fmix32(shingles.astype(np.uint32)).reshape(-1, 1)
    with np.errstate(over="ignore"):
        values = (mixed * a + b).min(axis=0)
    return values.astype("<u4").tobytes()


def band_keys(sig: bytes) -> tuple[str, ...]:
    """The LSH band keys of a signature: two articles that share a key are candidates (the crc32 of each band's
    ROWS little-endian 32-bit values, read straight from the signature's bytes)."""
    return _band_keys(bytes(sig))     # (a bytearray or memoryview from a database driver, as bytes)


@lru_cache(maxsize=4096)    # a stored document is a candidate of batch after batch: its keys are made once
def _band_keys(sig: bytes) -> tuple[str, ...]:
    width = ROWS * 4
    return tuple(f"{band}:{zlib.crc32(sig[band * width:(band + 1) * width]):08x}" for band in range(BANDS))


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(np.frombuffer(a, dtype="<u4") == np.frombuffer(b, dtype="<u4")))


def group_copies(fresh: Sequence[tuple[str, bytes | None]],
                 stored: Sequence[tuple[str, bytes] | tuple[str, bytes, str | None]]) -> dict[str, str]:
    """Which document holds the text of each: fresh documents (id, signature) and the stored documents that share
    a band with one of them (id, signature, and the document that holds its text when it is a copy). Copies (at
    least NEAR_DUPLICATE alike, directly or through another copy, stored or fresh) are one group, held by its
    smallest id: the connected components of the similarity graph, whatever order its documents came in. Returns
    every id of a group of two or more -> its holder."""
    signatures: dict[str, bytes] = {}
    parent: dict[str, str] = {}
    for item in list(stored) + [(doc_id, sig, None) for doc_id, sig in fresh]:
        doc_id, sig, holder = (tuple(item) + (None,))[:3]
        parent.setdefault(doc_id, doc_id)
        if sig is not None:
            signatures[doc_id] = sig
        if holder is not None and holder != doc_id:
            parent.setdefault(holder, holder)

    def root(doc_id: str) -> str:
        while parent[doc_id] != doc_id:
            parent[doc_id] = parent[parent[doc_id]]
            doc_id = parent[doc_id]
        return doc_id

    def join(a: str, b: str) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for item in stored:       # a stored copy is already one group with the document that holds its text
        doc_id, holder = item[0], (item[2] if len(item) > 2 else None)
        if holder is not None and holder != doc_id:
            join(doc_id, holder)
    by_band: dict[str, list[str]] = {}
    for doc_id in sorted(signatures):
        for key in band_keys(signatures[doc_id]):
            by_band.setdefault(key, []).append(doc_id)
    # Only pairs with a fresh document are new: two stored ones were compared when the later came. A fresh document
    # is compared once with every document it shares a band with, all of them at once (a band that hundreds of stored
    # texts share costs one comparison of arrays, not its size squared in Python; a copy shares most of its 32 bands
    # with its original, and a text that shares none, most of a batch, costs nothing).
    values = {doc_id: np.frombuffer(sig, dtype="<u4") for doc_id, sig in signatures.items()}
    for doc_id, _ in fresh:
        if doc_id not in signatures:
            continue
        others = sorted({other for key in band_keys(signatures[doc_id]) for other in by_band[key]} - {doc_id})
        if not others:
            continue
        block = np.stack([values[other] for other in others])
        alike = np.flatnonzero((block == values[doc_id]).mean(axis=1) >= NEAR_DUPLICATE)   # as `similarity`
        for j in alike.tolist():
            join(doc_id, others[j])
    groups: dict[str, list[str]] = {}
    for doc_id in parent:
        groups.setdefault(root(doc_id), []).append(doc_id)
    return {doc_id: min(members) for members in groups.values() if len(members) > 1 for doc_id in members}


@dataclass(frozen=True, slots=True)
class CopyPlan:
    """What a batch of fresh documents does to the stored ones (every store carries it out the same way)."""
    signatures: Mapping[str, bytes | None]     # fresh doc id -> its signature
    holder: Mapping[str, str]                  # doc id (fresh or stored) -> the doc that holds its text, when a copy
    reports: tuple[Event, ...]                 # the reports to add: those of the fresh documents that hold their text
    demoted: tuple[str, ...]                   # stored documents that became copies (their reports go)
    touched: frozenset[str]                    # stored documents that gained a copy (their events gain a source)

    def keeps_text(self, doc_id: str) -> bool:
        return self.holder.get(doc_id, doc_id) == doc_id


def plan_copies(fresh: Sequence[tuple[Article, Sequence[Event]]],
                stored_candidates: Callable[[list[str]], Sequence[tuple[str, bytes, str | None]]]) -> CopyPlan:
    """Sort a batch's documents into texts and copies. `stored_candidates(band_keys)` returns the stored documents
    that share one of the band keys, copies included, as (doc_id, signature, the document holding its text or
    None): a copy keeps its signature, so a later text like the copy but not like its holder still joins them."""
    signatures = {a.doc_id: signature(a.text) for a, _ in fresh}
    keys = sorted({k for sig in signatures.values() if sig for k in band_keys(sig)})
    stored = list(stored_candidates(keys)) if keys else []
    holder = group_copies(list(signatures.items()), stored)
    fresh_ids = set(signatures)
    reports = tuple(r for a, own in fresh if holder.get(a.doc_id, a.doc_id) == a.doc_id for r in own)
    # stored documents that held a text and now are copies of a smaller id (their reports go): those among the
    # candidates, and those that hold the text of a stored copy among them
    texts = {item[0] for item in stored if len(item) < 3 or item[2] is None}
    texts |= {item[2] for item in stored if len(item) > 2 and item[2] is not None}
    demoted = tuple(sorted(doc_id for doc_id in texts - fresh_ids if holder.get(doc_id, doc_id) != doc_id))
    touched = {holder[a.doc_id] for a, _ in fresh if holder.get(a.doc_id, a.doc_id) != a.doc_id}
    touched |= {holder[doc_id] for doc_id in demoted}
    return CopyPlan(signatures, holder, reports, demoted, frozenset(touched - fresh_ids))
