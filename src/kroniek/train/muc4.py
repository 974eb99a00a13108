"""`kroniek train muc4`: learn the role-filler weights from MUC-4 training documents, reproducibly.

Same documents, same seed -> byte-identical weights file. scikit-learn is needed here only
(logistic regression, liblinear); inference (:mod:`kroniek.roles.model`) is numpy.

Two weight sets go into one ``.npz``: ``lexical/`` (all features, for the training language) and
``abstract/`` (word classes, distances and positions only, for other languages with a lexicon).
"""
from __future__ import annotations

import json
import math
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any, Mapping, Sequence

import click
import numpy as np

from kroniek.evaluate.muc4_metric import ROLES, gold_entities, normalise_mention
from kroniek.roles.candidates import MAX_TOKENS, boundary_words, candidate_spans, closed_class_words
from kroniek.roles.clusters import cluster_features, word_clusters
from kroniek.roles.features import load_lexicon, span_features
from kroniek.roles.model import acronym_pairs, mention_key
from kroniek.roles.relevance import bag_of_words, tfidf_rows
from kroniek.roles.tokens import Tokens, tokenise

__all__ = ["train_muc4", "train_records", "command_train", "THRESHOLDS", "MIX", "C", "RELEVANCE_GATE", "ALIAS_MIN_COUNT"]

# Hyperparameters, calibrated on MUC-4 dev (TST1+TST2) with weights trained on the 1,300 train
# documents; after changing features or these, re-run `kroniek eval muc4 --docs dev.gtt.jsonl.gz`.
C = 1.0                          # inverse L2 strength (0.3 and 3 were 1-2 F1 points worse)
MIX = 0.5                        # weight of the entity score against the best span score
# Per role (PerpInd, PerpOrg, Target, Victim, Weapon), on the mixed probability; chosen where the
# dev F1 curve is flat rather than at its single best point. "abstract" was tuned by scoring the
# abstract weights on English dev, for want of Dutch MUC-style data.
# Since stop 25 they live in data/models/muc4_choices.json (lexical ones chosen on train held out,
# kroniek.train.muc4_select).


def choices_path() -> Path:
    """data/models/muc4_choices.json: thresholds and gate value read by training."""
    return Path(__file__).resolve().parents[1] / "data" / "models" / "muc4_choices.json"


def read_choices(path: str | Path | None = None) -> dict[str, Any]:
    """Thresholds, gate value and whether to use word clusters, from a choices file (default: the shipped one)."""
    return json.loads(Path(path or choices_path()).read_text(encoding="utf-8"))


_CHOICES = read_choices()
THRESHOLDS = {"lexical": tuple(_CHOICES["lexical_thresholds"]), "abstract": tuple(_CHOICES["abstract_thresholds"])}
PRUNE_BELOW = 0.02               # features whose every weight is smaller are dropped (no dev F1 change; 4.8 -> 1.3 MB)
MIN_FEATURE_COUNT = 2            # features seen once in training are dropped
COMMON_WORD_COUNT = 5            # words seen this often are "common"; others mark names
LANGUAGE = "en"
# Document gate (kroniek.roles.relevance): a document whose gate score is below this gets no fillers.
# Chosen on dev: micro-F1 50.0 / 50.3 / 50.0 at -1.25 / -1.0 / -0.75, 49.5 without a gate.
RELEVANCE_GATE = float(_CHOICES["relevance_gate"])
RELEVANCE_C = 3.0                # the word regression's inverse L2 strength (dev AUC flat from 1 to 30)
RELEVANCE_MIN_DOCS = 2           # words in fewer training documents are not in its vocabulary
CLUSTERS = bool(_CHOICES.get("clusters", False))   # word-cluster features (kroniek.roles.clusters), lexical weights
ALIAS_MIN_COUNT = 3              # "long name (ACRONYM)" pairs seen this often in training become aliases


def _gold_token_spans(text: str, tokens: Tokens, mentions: Sequence[str]) -> list[tuple[int, int]]:
    # Every token-aligned occurrence of every gold mention string (the keys give only strings).
    starts = {s: i for i, s in enumerate(tokens.starts)}
    ends = {e: i for i, e in enumerate(tokens.ends)}
    lowered = text.lower()
    found = []
    for mention in set(mentions):
        for match in re.finditer(re.escape(mention.lower()), lowered):
            a, b = starts.get(match.start()), ends.get(match.end())
            if a is not None and b is not None:
                found.append((a, b))
    return sorted(set(found))


def _prepare(records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    documents = []
    for record in records:
        relevant = bool(record.get("templates")) if "templates" in record else any(
            record.get("extracts", {}).get(role) for role in ROLES)
        text = record["doctext"]
        tokens = tokenise(text)
        gold = gold_entities(record)
        keys = {role: {normalise_mention(m) for entity in gold[role] for m in entity} for role in ROLES}
        mentions = [m for role in ROLES for entity in gold[role] for m in entity]
        documents.append({"tokens": tokens, "keys": keys, "relevant": relevant,
                          "gold_spans": _gold_token_spans(text, tokens, mentions)})
    return documents


def _examples(documents: Sequence[Mapping[str, Any]], lexical: bool, bad_start: frozenset[str],
              bad_end: frozenset[str], common: frozenset[str] | None,
              clusters: Mapping[str, Sequence[str]] | None = None) -> list[dict[str, Any]]:
    lexicon = load_lexicon(LANGUAGE)
    examples = []
    for doc in documents:
        tokens = doc["tokens"]
        spans = candidate_spans(tokens, bad_start, bad_end, MAX_TOKENS)
        features = span_features(tokens, spans, lexicon, common, lexical=lexical, clusters=clusters)
        keys = [mention_key(tokens.words[a:b + 1]) for a, b in spans]
        labels = [[int(bool(k) and k in doc["keys"][role]) for role in ROLES] for k in keys]
        examples.append({"features": features, "keys": keys, "labels": labels})
    return examples


def _matrices(examples: Sequence[Mapping[str, Any]], vocabulary: Mapping[str, int]):
    from scipy import sparse

    span_rows: list[list[int]] = []
    span_labels: list[list[int]] = []
    entity_rows: list[list[int]] = []
    entity_labels: list[list[int]] = []
    for example in examples:
        groups: dict[str, list[int]] = {}
        for index, (names, key, labels) in enumerate(zip(example["features"], example["keys"], example["labels"])):
            span_rows.append(sorted({vocabulary[f] for f in names if f in vocabulary}))
            span_labels.append(labels)
            if key:
                groups.setdefault(key, []).append(index)
        base = len(span_rows) - len(example["features"])
        for key, members in groups.items():
            entity_rows.append(sorted({i for m in members for i in span_rows[base + m]}))
            entity_labels.append(example["labels"][members[0]])

    def to_csr(rows: list[list[int]]):
        lengths = [len(r) for r in rows]
        indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        indices = np.fromiter((i for r in rows for i in r), dtype=np.int64, count=int(indptr[-1]))
        data = np.ones(len(indices), dtype=np.float64)
        return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), len(vocabulary)))

    return to_csr(span_rows), np.array(span_labels), to_csr(entity_rows), np.array(entity_labels)


def _fit(examples: Sequence[Mapping[str, Any]], seed: int, log) -> tuple[list[str], np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for example in examples for names in example["features"] for f in set(names))
    vocabulary_list = sorted(f for f, c in counts.items() if c >= MIN_FEATURE_COUNT)
    vocabulary = {f: i for i, f in enumerate(vocabulary_list)}
    spans, span_labels, entities, entity_labels = _matrices(examples, vocabulary)
    log(f"  {spans.shape[0]} spans, {entities.shape[0]} entities, {len(vocabulary)} features")
    columns, intercepts = [], []
    for matrix, labels, level in ((spans, span_labels, "span"), (entities, entity_labels, "entity")):
        for r, role in enumerate(ROLES):
            y = labels[:, r]
            if y.min() == y.max():      # a role without any positive example (tiny slices): never fires
                columns.append(np.zeros(len(vocabulary)))
                intercepts.append(-20.0)
                continue
            model = LogisticRegression(C=C, solver="liblinear", max_iter=300, random_state=seed)
            model.fit(matrix, y)
            columns.append(model.coef_[0])
            intercepts.append(float(model.intercept_[0]))
            log(f"  {level} {role}: {int(y.sum())} positive")
    weights = np.stack(columns, axis=1).astype(np.float32)
    keep = np.abs(weights).max(axis=1) >= PRUNE_BELOW
    kept = [f for f, k in zip(vocabulary_list, keep) if k]
    log(f"  kept {len(kept)} of {len(vocabulary_list)} features (|weight| >= {PRUNE_BELOW})")
    return kept, weights[keep], np.array(intercepts, dtype=np.float32)


def _fit_relevance(documents: Sequence[Mapping[str, Any]], seed: int) -> dict[str, np.ndarray] | None:
    """The word half of the document gate: sublinear tf-idf + logistic regression (None: one class only)."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    labels = np.array([int(doc["relevant"]) for doc in documents])
    if labels.min() == labels.max():
        return None
    bags = [bag_of_words(doc["tokens"].words) for doc in documents]
    document_frequency = Counter(w for bag in bags for w in bag)
    words = sorted(w for w, c in document_frequency.items() if c >= RELEVANCE_MIN_DOCS)
    vocabulary = {w: i for i, w in enumerate(words)}
    n = len(documents)
    idf = np.array([math.log((1 + n) / (1 + document_frequency[w])) + 1.0 for w in words], dtype=np.float32)
    idf = idf.astype(np.float64)                 # the float32 values inference will read
    rows = tfidf_rows(bags, vocabulary, idf)
    indptr = np.concatenate([[0], np.cumsum([len(i) for i, _ in rows])]).astype(np.int64)
    matrix = sparse.csr_matrix((np.concatenate([v for _, v in rows]), np.concatenate([i for i, _ in rows]), indptr),
                               shape=(n, len(words)))
    model = LogisticRegression(C=RELEVANCE_C, solver="liblinear", max_iter=300, random_state=seed)
    model.fit(matrix, labels)
    return {"relevance_vocabulary": np.array(words), "relevance_idf": idf.astype(np.float32),
            "relevance_weights": model.coef_[0].astype(np.float32),
            "relevance_intercept": np.array(model.intercept_, dtype=np.float32)}


def _aliases(documents: Sequence[Mapping[str, Any]]) -> list[str]:
    """``acronym<TAB>long name`` keys written as ``long name (ACRONYM)`` at least ALIAS_MIN_COUNT times."""
    counts = Counter(pair for doc in documents for pair in acronym_pairs(doc["tokens"].words))
    return sorted(f"{a}\t{k}" for (a, k), c in counts.items() if c >= ALIAS_MIN_COUNT)


def train_muc4(docs_path: str | Path, out_path: str | Path, seed: int = 0, log=None,
               choices: str | Path | None = None) -> Path:
    """Train both weight sets on MUC-4 documents (GTT or GRIT JSON Lines) and write ``out_path``.

    Returns the path written. Deterministic: the same documents and seed give the same bytes.
    """
    from kroniek.evaluate.muc4 import load_records

    if choices is None:
        return train_records(load_records(docs_path), out_path, seed=seed, log=log)
    chosen = read_choices(choices)
    return train_records(load_records(docs_path), out_path, seed=seed, log=log,
                         thresholds=chosen["lexical_thresholds"], gate=chosen["relevance_gate"],
                         clusters=bool(chosen.get("clusters", False)))


def train_records(records: Sequence[Mapping[str, Any]], out_path: str | Path, seed: int = 0, log=None,
                  thresholds: Sequence[float] | None = None, gate: float | None = None,
                  clusters: bool | None = None) -> Path:
    """:func:`train_muc4` on records already read; ``thresholds`` / ``gate`` / ``clusters`` override the
    shipped choices (``data/models/muc4_choices.json``)."""
    log = log or (lambda message: None)
    use_clusters = CLUSTERS if clusters is None else clusters
    started = time.perf_counter()
    documents = _prepare(records)
    log(f"{len(documents)} documents read in {time.perf_counter() - started:.1f} s")
    frequency = Counter(w for doc in documents for w in doc["tokens"].words)
    common = frozenset(w for w, c in frequency.items() if c >= COMMON_WORD_COUNT)
    bad_start, bad_end = boundary_words((doc["tokens"].words, doc["gold_spans"]) for doc in documents)
    arrays: dict[str, np.ndarray] = {}
    closed = closed_class_words(load_lexicon(LANGUAGE))
    clusters = word_clusters((doc["tokens"].words, doc["tokens"].sentence) for doc in documents) if use_clusters else {}
    log(f"{len(clusters)} word clusters in {time.perf_counter() - started:.1f} s")
    for variant, lexical in (("lexical", True), ("abstract", False)):
        starts, ends = (bad_start, bad_end) if lexical else (closed, closed)
        examples = _examples(documents, lexical, starts, ends, common if lexical else None,
                             cluster_features(clusters) if lexical else None)
        log(f"{variant}: features in {time.perf_counter() - started:.1f} s")
        vocabulary, weights, intercepts = _fit(examples, seed, log)
        chosen = THRESHOLDS[variant] if thresholds is None or not lexical else thresholds
        config = {"thresholds": list(chosen), "mix": MIX, "lexical": lexical,
                  "language": LANGUAGE, "max_tokens": MAX_TOKENS, "roles": list(ROLES), "seed": seed,
                  "C": C, "documents": len(documents)}
        prefix = variant + "/"
        arrays[prefix + "config"] = np.array(json.dumps(config, sort_keys=True))
        arrays[prefix + "vocabulary"] = np.array(vocabulary)
        arrays[prefix + "weights"] = weights.astype(np.float16)
        arrays[prefix + "intercepts"] = intercepts
        arrays[prefix + "bad_start"] = np.array(sorted(starts))
        arrays[prefix + "bad_end"] = np.array(sorted(ends))
        if lexical:
            arrays[prefix + "common_words"] = np.array(sorted(common))
            arrays[prefix + "aliases"] = np.array(_aliases(documents))
            if clusters:
                arrays[prefix + "cluster_words"] = np.array(sorted(clusters))
                arrays[prefix + "cluster_ids"] = np.array([clusters[w] for w in sorted(clusters)], dtype=np.int16)
            relevance = _fit_relevance(documents, seed)
            if relevance is not None:
                config["relevance_gate"] = RELEVANCE_GATE if gate is None else gate
                arrays[prefix + "config"] = np.array(json.dumps(config, sort_keys=True))
                arrays.update({prefix + name: value for name, value in relevance.items()})
        log(f"{variant}: trained in {time.perf_counter() - started:.1f} s")
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as handle:
        np.savez_compressed(handle, **arrays)
    return out


def _default_out() -> Path:
    return Path(__file__).resolve().parents[1] / "data" / "models" / "muc4_roles.npz"


@click.command("muc4")
@click.option("--docs", "docs_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="MUC-4 training documents (GTT or GRIT JSON Lines, .gz ok).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), default=None,
              help="Weights file to write (default: the shipped src/kroniek/data/models/muc4_roles.npz).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the learners.")
@click.option("--choices", "choices_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Thresholds / gate / clusters file instead of data/models/muc4_choices.json "
                   "(e.g. data/models/muc4_choices.heldout.json).")
def command_train(docs_path: str, out_path: str | None, seed: int, choices_file: str | None) -> None:
    """Train the perpetrator / target / victim / weapon model on MUC-4 (one CPU core, a few minutes).

    Example: kroniek train muc4 --docs ../shared/data/muc4/train.gtt.jsonl.gz
    """
    out = train_muc4(docs_path, out_path or _default_out(), seed=seed, log=click.echo, choices=choices_file)
    click.echo(f"wrote {out}")
