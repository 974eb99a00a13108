"""`kroniek train names`: train the name tagger (kroniek.annotate.names) on CoNLL-2002-style files, byte for byte.

Averaged perceptron (Collins 2002), greedy left-to-right decoding with the gold tags as history in training,
EPOCHS passes over the sentences in an order fixed by SEED; with RULES, the tags Kroniek's rule finders give
each token are features too; weights averaged over every update, rounded to 2 decimals after scaling, those below
PRUNE dropped. Same files, same bytes: the order, the rounding and the gzip header are fixed.
"""
from __future__ import annotations

import gzip
import random
import time
from collections import Counter
from pathlib import Path
from typing import Callable

import click

from ..annotate.names import NameModel, features, rule_tags_of_words, save_name_model

__all__ = ["train_names", "read_iob", "command"]

# Passes chosen on a held-out slice of ned.train (its last 10 % of documents, 29 of 287, trained on the rest:
# F1 72.9 from 6 to 10 passes, best at 8); testa is the reported development figure, testb is never seen.
# Re-run `kroniek eval ner --names-model` after a change.
EPOCHS = 8
SEED = 20021
RULES = True            # the rule finders' tags are features (annotate.names.rule_tags): +2.9 F1 on the held-out slice
PRUNE = 0.05            # averaged weights are scaled by SCALE before rounding to 2 decimals and pruning
SCALE = 1000.0
LOWERED_MIN = 2        # a lower-case word seen this often in training marks its capitalised form as ordinary


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


def lowered_words(sentences: list[tuple[list[str], list[str]]]) -> frozenset[str]:
    """Words written in lower case at least LOWERED_MIN times, outside any name, in the training sentences."""
    counts = Counter(w for words, tags in sentences for w, t in zip(words, tags)
                     if t == "O" and w.islower() and w.isalpha())
    return frozenset(w for w, n in counts.items() if n >= LOWERED_MIN)


def train_names(sentences: list[tuple[list[str], list[str]]], epochs: int = EPOCHS, seed: int = SEED,
                on_epoch: Callable[[int, NameModel], None] | None = None,
                rules: bool = RULES) -> NameModel:
    """An averaged-perceptron tagger from (words, IOB2 tags) sentences; `on_epoch(n, model)` (optional) sees the
    averaged model after each pass, for choosing the number of passes on a held-out slice."""
    tags = sorted({t for _, ts in sentences for t in ts})
    lowered = lowered_words(sentences)
    rule_rows = [rule_tags_of_words(words) if rules else None for words, _ in sentences]
    weights: dict[str, dict[str, float]] = {}
    totals: dict[tuple[str, str], float] = {}
    stamps: dict[tuple[str, str], int] = {}
    model = NameModel(weights, tags, lowered, rules)
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

    def averaged() -> NameModel:
        out: dict[str, dict[str, float]] = {}
        for feature in sorted(weights):
            row = {}
            for tag in sorted(weights[feature]):
                key = (feature, tag)
                total = totals.get(key, 0.0) + (step - stamps.get(key, 0)) * weights[feature][tag]
                value = round(SCALE * total / step, 2)
                if abs(value) >= PRUNE:
                    row[tag] = value
            if row:
                out[feature] = row
        return NameModel(out, tags, lowered, rules)

    for epoch in range(1, epochs + 1):
        rng.shuffle(order)
        for index in order:
            words, gold = sentences[index]
            ruled = rule_rows[index]
            prev = prev2 = "<s>"
            for i in range(len(words)):
                step += 1
                feats = features(words, i, prev, prev2, lowered, ruled)
                guess = model.best(feats, prev)
                if guess != gold[i]:
                    for f in feats:
                        update(f, gold[i], 1.0)
                        update(f, guess, -1.0)
                prev2, prev = prev, gold[i]     # teacher forcing: the history is the gold tags
        if on_epoch is not None and epoch < epochs:
            on_epoch(epoch, averaged())
    final = averaged()
    if on_epoch is not None:
        on_epoch(epochs, final)
    return final


@click.command("names")
@click.option("--conll", "conll_paths", multiple=True, required=True, type=click.Path(exists=True, dir_okay=False),
              help="Training file(s) in CoNLL format (word ... IOB2-tag; .gz ok). Repeatable.")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False),
              help="Where to write the model (gzipped JSON).")
@click.option("--epochs", default=EPOCHS, show_default=True, help="Passes over the training sentences.")
@click.option("--rules/--no-rules", default=RULES, show_default=True,
              help="Use the rule finders' tags (actors, persons, places) as features.")
def command(conll_paths: tuple[str, ...], out_path: str, epochs: int, rules: bool = RULES) -> None:
    """Train the learned name tagger (PER/ORG/LOC/MISC); the same files give the same bytes.

    Example: kroniek train names --conll ../shared/data/conll2002_nl/ned.train.utf8.gz --out names_nl.json.gz
    """
    started = time.process_time()
    sentences = [s for path in conll_paths for s in read_iob(Path(path))]
    model = train_names(sentences, epochs=epochs, rules=rules)
    save_name_model(model, Path(out_path))
    click.echo(f"trained on {len(sentences)} sentences, {sum(len(w) for w, _ in sentences)} tokens: "
               f"{len(model.weights)} features -> {out_path} ({time.process_time() - started:.1f} s CPU)")
