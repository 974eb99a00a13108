"""Does a document report a MUC-style incident? A bag-of-words score that gates the role fillers.

A quarter of the role model's fillers on MUC-4 dev fall in documents without any incident (a
political story naming the FMLN). The gate combines two views of a document: a logistic
regression over its words (sublinear tf-idf, trained on which training documents have templates)
and the role model's own confidence (mean of the three best entity probabilities). Both are put
on the logit scale and averaged; a document below the gate gets no fillers. Inference is numpy.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np

__all__ = ["Relevance", "bag_of_words", "word_relevance", "document_relevance", "TOP_ENTITIES"]

TOP_ENTITIES = 3          # the role model's view: mean of this many best entity probabilities
_EPSILON = 1e-6


@dataclass(frozen=True)
class Relevance:
    """Word weights of the relevance regression: tf-idf vocabulary, idf, weights, intercept."""
    vocabulary: Mapping[str, int]
    idf: np.ndarray
    weights: np.ndarray
    intercept: float


def bag_of_words(words: Iterable[str]) -> Counter[str]:
    """Counts of the word tokens (punctuation dropped) of a lower-cased token sequence."""
    return Counter(w for w in words if any(ch.isalnum() for ch in w))


def tfidf_rows(bags: Sequence[Mapping[str, int]], vocabulary: Mapping[str, int], idf: np.ndarray
               ) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per document (column indices, l2-normalised sublinear tf-idf values); unknown words dropped."""
    rows = []
    for bag in bags:
        pairs = sorted((vocabulary[w], c) for w, c in bag.items() if w in vocabulary)
        index = np.array([i for i, _ in pairs], dtype=np.int64)
        values = np.array([(1.0 + math.log(c)) for _, c in pairs], dtype=np.float64) * idf[index]
        norm = float(np.sqrt(values @ values)) if len(values) else 0.0
        rows.append((index, values / norm if norm else values))
    return rows


def word_relevance(words: Sequence[str], relevance: Relevance) -> float:
    """Logit of "this document reports an incident" from its words alone."""
    ((index, values),) = tfidf_rows([bag_of_words(words)], relevance.vocabulary, relevance.idf)
    return float(values @ relevance.weights[index].astype(np.float64)) + relevance.intercept


def _logit(p: float) -> float:
    p = min(max(p, _EPSILON), 1.0 - _EPSILON)
    return math.log(p / (1.0 - p))


def document_relevance(words: Sequence[str], best_probabilities: Sequence[float], relevance: Relevance) -> float:
    """Gate score: mean of the word logit and the logit of the top entities' mean probability.

    Args:
        words: the document's lower-cased tokens.
        best_probabilities: each candidate entity's highest role probability (any order).
        relevance: the word weights.
    """
    top = sorted(best_probabilities, reverse=True)[:TOP_ENTITIES]
    confidence = sum(top) / TOP_ENTITIES          # missing entities count as 0
    return 0.5 * word_relevance(words, relevance) + 0.5 * _logit(confidence)
