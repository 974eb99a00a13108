"""Word clusters learned from the training texts themselves: PPMI + SVD word vectors, then k-means.

No downloads: the co-occurrence counts come from the documents the role model is trained on.
Each word seen at least ``min_count`` times gets a dense vector (positive pointwise mutual
information with the ``contexts`` most frequent words within ``window`` tokens, reduced by an SVD
to ``dimensions``), and the vectors are grouped by spherical k-means at each of ``sizes``. The role
model uses a word's cluster numbers as features (head, first word, neighbours), so that a head seen
rarely in a role ("seminarians") borrows from the words it is used like ("priests", "students").
Deterministic: the same texts give the same clusters (frequency-ordered vocabulary, fixed
initialisation, float64 numpy, component signs fixed).
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable, Mapping, Sequence

import numpy as np

__all__ = ["word_clusters", "cluster_features", "MIN_COUNT", "CONTEXTS", "DIMENSIONS", "SIZES", "WINDOW"]

MIN_COUNT = 5             # words seen this often get a cluster (the "common words" of the model)
CONTEXTS = 2000           # the most frequent words serve as contexts
DIMENSIONS = 64
SIZES = (64, 256)         # two granularities of clusters
WINDOW = 2                # tokens either side, same sentence
ITERATIONS = 20


def _is_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


def word_clusters(documents: Iterable[tuple[Sequence[str], Sequence[int]]], min_count: int = MIN_COUNT,
                  contexts: int = CONTEXTS, dimensions: int = DIMENSIONS, sizes: Sequence[int] = SIZES,
                  window: int = WINDOW) -> dict[str, tuple[int, ...]]:
    """Word -> its cluster number at each size, from (words, sentence index per word) of each document."""
    documents = [(list(words), list(sentence)) for words, sentence in documents]
    frequency = Counter(w for words, _ in documents for w in words if _is_word(w))
    vocabulary = sorted((w for w, c in frequency.items() if c >= min_count), key=lambda w: (-frequency[w], w))
    if len(vocabulary) < max(sizes) + 1:
        return {}
    row = {w: i for i, w in enumerate(vocabulary)}
    column = {w: i for i, w in enumerate(vocabulary[:contexts])}
    # Token ids over all documents (-1: not in the vocabulary), sentences numbered across documents.
    ids, sentences, offset = [], [], 0
    for words, sentence in documents:
        ids.append(np.fromiter((row.get(w, -1) for w in words), dtype=np.int64, count=len(words)))
        sentences.append(np.asarray(sentence, dtype=np.int64) + offset)
        offset += (max(sentence) + 1) if len(sentence) else 0
    token = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
    sentence_of = np.concatenate(sentences) if sentences else np.zeros(0, dtype=np.int64)
    width = len(column)
    flat = np.zeros(len(vocabulary) * width, dtype=np.float64)
    for d in range(1, window + 1):
        left, right = token[:-d], token[d:]
        same = sentence_of[:-d] == sentence_of[d:]
        for a, b in ((left, right), (right, left)):       # both directions
            keep = same & (a >= 0) & (b >= 0) & (b < width)
            flat += np.bincount(a[keep] * width + b[keep], minlength=flat.size).astype(np.float64)
    counts = flat.reshape(len(vocabulary), width)
    total = counts.sum()
    row_sum = counts.sum(axis=1, keepdims=True)
    column_sum = counts.sum(axis=0, keepdims=True) ** 0.75            # context smoothing (Levy et al. 2015)
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(counts * column_sum.sum() / (row_sum * column_sum))
    ppmi = np.where(np.isfinite(pmi) & (pmi > 0), pmi, 0.0)
    del counts, pmi
    u, s, _ = np.linalg.svd(ppmi, full_matrices=False)
    vectors = u[:, :dimensions] * np.sqrt(s[:dimensions])
    signs = np.sign(vectors[np.abs(vectors).argmax(axis=0), np.arange(vectors.shape[1])])
    vectors = vectors * np.where(signs == 0, 1.0, signs)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = np.round(vectors / np.where(norms == 0, 1.0, norms), 6)   # rounding: stable across BLAS orderings
    labels = [_kmeans(vectors, k) for k in sizes]
    return {w: tuple(int(lab[i]) for lab in labels) for i, w in enumerate(vocabulary)}


def _kmeans(vectors: np.ndarray, k: int) -> np.ndarray:
    """Spherical k-means started from the k most frequent words (rows are frequency-ordered)."""
    centroids = vectors[:k].copy()
    labels = np.zeros(len(vectors), dtype=np.int64)
    for _ in range(ITERATIONS):
        labels = np.argmax(vectors @ centroids.T, axis=1)
        for c in range(k):
            members = vectors[labels == c]
            if len(members):
                centre = members.sum(axis=0)
                centroids[c] = centre / max(np.linalg.norm(centre), 1e-12)
    return labels


def cluster_features(clusters: Mapping[str, Sequence[int]]) -> dict[str, tuple[str, ...]]:
    """Word -> feature suffixes ("0:17", "1:201"): cluster number at each size, size index first."""
    return {w: tuple(f"{s}:{c}" for s, c in enumerate(ids)) for w, ids in clusters.items()}
