"""`kroniek train names`: train the name tagger (kroniek.annotate.names) on CoNLL-2002-style files, byte for byte.

Averaged perceptron (Collins 2002), greedy left-to-right decoding, EPOCHS passes over the sentences in an order
fixed by SEED; weights averaged over every update, rounded to 3 decimals, those below PRUNE dropped. Same files,
same bytes: the order, the rounding and the gzip header are fixed.
"""
from __future__ import annotations

import gzip
import random
import time
from pathlib import Path

import click

from ..annotate.names import NameModel, features, save_name_model

__all__ = ["train_names", "read_iob", "command"]

# Passes and pruning chosen on CoNLL-2002 testa (the development file; testb is held out). Re-run
# `kroniek eval ner --names-model` after a change.
EPOCHS = 6
SEED = 20021
PRUNE = 0.05            # averaged weights are scaled by SCALE before rounding to 2 decimals and pruning
SCALE = 1000.0


def read_iob(path: Path) -> list[tuple[list[str], list[str]]]:
    """Sentences of a CoNLL file (word ... tag per line; -DOCSTART- skipped; .gz ok)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    sentences: list[tuple[list[str], list[str]]] = []
    words: list[str] = []
    tags: list[str] = []
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if not parts or parts[0] == "-DOCSTART-":
                if words:
                    sentences.append((words, tags))
                words, tags = [], []
                continue
            words.append(parts[0])
            tags.append(parts[-1])
    if words:
        sentences.append((words, tags))
    return sentences


def train_names(sentences: list[tuple[list[str], list[str]]], epochs: int = EPOCHS, seed: int = SEED) -> NameModel:
    """An averaged-perceptron tagger from (words, IOB2 tags) sentences."""
    tags = sorted({t for _, ts in sentences for t in ts})
    weights: dict[str, dict[str, float]] = {}
    totals: dict[tuple[str, str], float] = {}
    stamps: dict[tuple[str, str], int] = {}
    model = NameModel(weights, tags)
    step = 0
    order = list(range(len(sentences)))
    rng = random.Random(seed)

    def update(feature: str, tag: str, delta: float) -> None:
        key = (feature, tag)
        row = weights.setdefault(feature, {})
        current = row.get(tag, 0.0)
        totals[key] = totals.get(key, 0.0) + (step - stamps.get(key, 0)) * current
        stamps[key] = step
        row[tag] = current + delta

    for _ in range(epochs):
        rng.shuffle(order)
        for index in order:
            words, gold = sentences[index]
            prev = prev2 = "<s>"
            for i in range(len(words)):
                step += 1
                feats = features(words, i, prev, prev2)
                guess = model.best(feats, prev)
                if guess != gold[i]:
                    for f in feats:
                        update(f, gold[i], 1.0)
                        update(f, guess, -1.0)
                prev2, prev = prev, gold[i]     # teacher forcing: the history is the gold tags
    averaged: dict[str, dict[str, float]] = {}
    for feature in sorted(weights):
        row = {}
        for tag in sorted(weights[feature]):
            key = (feature, tag)
            total = totals.get(key, 0.0) + (step - stamps.get(key, 0)) * weights[feature][tag]
            value = round(SCALE * total / step, 2)
            if abs(value) >= PRUNE:
                row[tag] = value
        if row:
            averaged[feature] = row
    return NameModel(averaged, tags)


@click.command("names")
@click.option("--conll", "conll_paths", multiple=True, required=True, type=click.Path(exists=True, dir_okay=False),
              help="Training file(s) in CoNLL format (word ... IOB2-tag; .gz ok). Repeatable.")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False),
              help="Where to write the model (gzipped JSON).")
@click.option("--epochs", default=EPOCHS, show_default=True, help="Passes over the training sentences.")
def command(conll_paths: tuple[str, ...], out_path: str, epochs: int) -> None:
    """Train the learned name tagger (PER/ORG/LOC/MISC); the same files give the same bytes.

    Example: kroniek train names --conll ../shared/data/conll2002_nl/ned.train.utf8.gz --out names_nl.json.gz
    """
    started = time.process_time()
    sentences = [s for path in conll_paths for s in read_iob(Path(path))]
    model = train_names(sentences, epochs=epochs)
    save_name_model(model, Path(out_path))
    click.echo(f"trained on {len(sentences)} sentences, {sum(len(w) for w, _ in sentences)} tokens: "
               f"{len(model.weights)} features -> {out_path} ({time.process_time() - started:.1f} s CPU)")
