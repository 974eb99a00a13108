"""Choose the role model's thresholds and document gate on training data only (never on dev).

``python -m kroniek.train.muc4_select --docs ../shared/data/muc4/train.gtt.jsonl.gz`` holds out
each slice of ``HELD_OUT`` in turn (documents 1000..1299, 0..299, 300..649, 650..999, in file
order), trains on the other 950-1,000 training documents, scores the held-out slice, pools the
1,300 held-out documents and picks by a fixed rule:

* per role, the threshold of ``THRESHOLD_GRID`` and the gate of ``GATE_GRID`` that maximise
  micro-F1 on the pooled held-out documents, *smoothed*: each grid point is judged by the mean F1 of itself
  and its two neighbours (one at the edges), so a lone spike is not chosen;
* coordinate ascent: thresholds start at 0.2 and the gate at -1.0; each round sets every role's
  threshold (others fixed), then the gate; ``ROUNDS`` rounds; ties go to the lower grid value.

It prints the held-out figures at the current shipped choices and at the chosen ones and, with
``--write FILE``, stores the choice in a choices file that ``kroniek train muc4 --choices FILE`` reads
(``data/models/muc4_choices.heldout.json``; the default ``muc4_choices.json`` holds the dev-chosen values).
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any, Mapping, Sequence

import click
import numpy as np

from kroniek.evaluate.muc4_metric import ROLES, _normalised, gold_entities, match_score

__all__ = ["HELD_OUT", "THRESHOLD_GRID", "GATE_GRID", "held_out_table", "choose", "micro_f1"]

HELD_OUT = ((1000, 1300), (0, 300), (300, 650), (650, 1000))   # [start, end) held out; the rest is fitted
THRESHOLD_GRID = tuple(round(0.08 + 0.02 * i, 2) for i in range(17))       # 0.08 .. 0.40
GATE_GRID = tuple(round(-2.5 + 0.25 * i, 2) for i in range(13))           # -2.5 .. 0.5
ROUNDS = 2


def held_out_table(model_path: str | Path, records: Sequence[Mapping[str, Any]]):
    """Per held-out document: its gate score and counts[t, role] = (matched, predicted, gold) per grid threshold."""
    from kroniek.roles.model import choose_entities, gate_score, load_model, score_entities
    from kroniek.roles.tokens import tokenise

    model = load_model(str(model_path), "lexical")
    gates, counts = [], []
    for record in records:
        text = record["doctext"]
        gold = gold_entities(record)
        tokens = tokenise(text)
        scored = score_entities(tokens, model, "en")
        score = gate_score(tokens, scored, model)
        gates.append(float("inf") if score is None else score)
        table = np.zeros((len(THRESHOLD_GRID), len(ROLES), 3))
        for t, threshold in enumerate(THRESHOLD_GRID):
            chosen = choose_entities(tokens, scored, model, [threshold] * len(ROLES))
            for r, (role, entities) in enumerate(zip(ROLES, chosen.values())):
                predicted = _normalised([[text[tokens.starts[a]:tokens.ends[b]] for a, b in mentions]
                                         for _, mentions in entities])
                gold_role = _normalised(gold.get(role, ()))
                table[t, r] = (match_score(predicted, gold_role), len(predicted), len(gold_role))
        counts.append(table)
    return np.array(gates), np.array(counts)


def micro_f1(gates: np.ndarray, counts: np.ndarray, thresholds: Sequence[int], gate: float) -> tuple[float, np.ndarray]:
    """Micro-F1 (and per-role [matched, predicted, gold]) for threshold grid indices and a gate value."""
    passed = gates >= gate
    per_role = np.zeros((len(ROLES), 3))
    for r, t in enumerate(thresholds):
        role = counts[:, t, r, :]
        per_role[r, :2] = role[passed, :2].sum(axis=0)
        per_role[r, 2] = role[:, 2].sum()                    # gold counts whether or not the gate passes
    matched, predicted, gold = per_role.sum(axis=0)
    p = matched / predicted if predicted else 0.0
    rec = matched / gold if gold else 0.0
    return (2 * p * rec / (p + rec) if p + rec else 0.0), per_role


def _smoothed_best(values: Sequence[float]) -> int:
    best, best_score = 0, -1.0
    for i in range(len(values)):
        window = values[max(0, i - 1):i + 2]
        score = sum(window) / len(window)
        if score > best_score + 1e-12:
            best, best_score = i, score
    return best


def choose(gates: np.ndarray, counts: np.ndarray) -> tuple[list[int], float]:
    """The fixed rule of the module docstring: threshold grid indices per role and a gate value."""
    thresholds = [THRESHOLD_GRID.index(0.2)] * len(ROLES)
    gate = -1.0
    for _ in range(ROUNDS):
        for r in range(len(ROLES)):
            curve = [micro_f1(gates, counts, thresholds[:r] + [t] + thresholds[r + 1:], gate)[0]
                     for t in range(len(THRESHOLD_GRID))]
            thresholds[r] = _smoothed_best(curve)
        curve = [micro_f1(gates, counts, thresholds, g)[0] for g in GATE_GRID]
        gate = GATE_GRID[_smoothed_best(curve)]
    return thresholds, gate


def _nearest_index(value: float) -> int:
    return min(range(len(THRESHOLD_GRID)), key=lambda i: abs(THRESHOLD_GRID[i] - value))


@click.command()
@click.option("--docs", "docs_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False), default=None,
              help="Folder for the fold weights (fold0.npz, ...); existing ones are reused, not retrained.")
@click.option("--clusters/--no-clusters", default=True, show_default=True,
              help="Train the fold weights with (without) the word-cluster features.")
@click.option("--write", "write_path", type=click.Path(dir_okay=False), default=None,
              help="Store the choice in this choices file (e.g. src/kroniek/data/models/muc4_choices.heldout.json).")
def main(docs_path: str, cache_dir: str | None, clusters: bool, write_path: str | None) -> None:
    from kroniek.evaluate.muc4 import load_records
    from kroniek.train.muc4 import RELEVANCE_GATE, THRESHOLDS, choices_path, train_records


    records = load_records(docs_path)
    cache = Path(cache_dir or tempfile.mkdtemp(prefix="kroniek_muc4_select_"))
    cache.mkdir(parents=True, exist_ok=True)
    all_gates, all_counts = [], []
    for k, (start, end) in enumerate(HELD_OUT):
        fit, held = records[:start] + records[end:], records[start:end]
        model_path = cache / f"fold{k}.npz"
        if not model_path.exists():
            train_records(fit, model_path, log=click.echo, clusters=clusters)
        gates, counts = held_out_table(model_path, held)
        one, _ = micro_f1(gates, counts, [_nearest_index(t) for t in THRESHOLDS["lexical"]], RELEVANCE_GATE)
        click.echo(f"fold {k}: held out train[{start}:{end}], fit on {len(fit)}; at the current choices {100 * one:.2f}")
        all_gates.append(gates)
        all_counts.append(counts)
    gates, counts = np.concatenate(all_gates), np.concatenate(all_counts)
    held = gates
    shipped = [_nearest_index(t) for t in THRESHOLDS["lexical"]]
    before, roles_before = micro_f1(gates, counts, shipped, RELEVANCE_GATE)
    thresholds, gate = choose(gates, counts)
    after, roles_after = micro_f1(gates, counts, thresholds, gate)
    none, _ = micro_f1(gates, counts, thresholds, -float("inf"))
    click.echo(f"held out: {len(held)} documents pooled over {len(HELD_OUT)} folds")
    click.echo(f"shipped choices {list(THRESHOLDS['lexical'])} gate {RELEVANCE_GATE}: micro-F1 {100 * before:.2f} "
               f"(matched/predicted/gold {roles_before.sum(axis=0).tolist()})")
    chosen = [THRESHOLD_GRID[t] for t in thresholds]
    click.echo(f"chosen {chosen} gate {gate}: micro-F1 {100 * after:.2f} "
               f"(matched/predicted/gold {roles_after.sum(axis=0).tolist()}); same without gate {100 * none:.2f}")
    for r, role in enumerate(ROLES):
        m, p, g = roles_after[r]
        click.echo(f"  {role:<8} {m:g} / {p:g} / {g:g}")
    if write_path:
        path = Path(write_path)
        data = json.loads((path if path.exists() else choices_path()).read_text(encoding="utf-8"))
        data.update({"lexical_thresholds": chosen, "relevance_gate": gate, "clusters": clusters,
                     "held_out_micro_f1": round(100 * after, 2)})
        path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        click.echo(f"wrote {path}")

if __name__ == "__main__":
    main()
