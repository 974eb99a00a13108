"""`kroniek eval gate`: the fast evaluations on the development data, each figure held to a pinned floor.

The registry (:mod:`kroniek.evaluate.registry`) runs every evaluation whose shared data file is present (the
others are skipped, never failed) and returns a flat dict of figures such as ``{"geo.acc161": 0.885}``.
``quality/baseline.json`` pins a bound for each: a floor for figures where higher is better, a ceiling where lower
is better (AUC, error km, error counts). Floors only go up: ``--update`` raises them to today's figures (less a
small tolerance) and never lowers one; lowering a floor is a hand edit of the baseline file, visible in review.

Data lives in ``<repo>/../shared`` (override with ``KRONIEK_SHARED``); see docs/QUALITY.md for every figure.
"""
from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any, Mapping

import click

import kroniek

from .registry import REGISTRY, Evaluation, GateRun, Measurement, run_registry

__all__ = [
    "command", "Measurement", "Evaluation", "GateRun", "REGISTRY", "default_shared", "default_baseline",
    "run_registry", "check_floors", "unmeasured", "update_baseline", "load_baseline", "write_baseline",
]

HIGHER, LOWER = "higher", "lower"
DEFAULT_TOLERANCE = 0.01          # ratios in [0, 1]; deterministic evaluations, so this is a margin, not noise
# Figures where lower is better, with the tolerance `--update` leaves above today's value for new ceilings.
LOWER_IS_BETTER: dict[str, float] = {
    "geo.auc": 0.01, "geo.mean_error_km": 25.0, "geo_gwn.auc": 0.01,
    "corpus.evidence_errors": 0, "corpus.modality_errors": 1, "corpus.distractor_hits": 1,
    "seed.evidence_errors": 0, "case2021.unseen_violent": 2,
}


def default_shared() -> Path:
    """The shared folder: ``$KRONIEK_SHARED``, else ``<repository>/../shared``."""
    if os.environ.get("KRONIEK_SHARED"):
        return Path(os.environ["KRONIEK_SHARED"])
    return Path(kroniek.__file__).resolve().parents[2].parent / "shared"


def default_baseline() -> Path:
    """``<repository>/quality/baseline.json``."""
    return Path(kroniek.__file__).resolve().parents[2] / "quality" / "baseline.json"


def _bound(name: str, entry: Mapping[str, Any]) -> tuple[str, float]:
    direction = entry.get("direction")
    key = {HIGHER: "floor", LOWER: "ceiling"}.get(direction)
    if key is None or key not in entry:
        raise ValueError(f"baseline entry {name!r} needs direction 'higher' with a floor or 'lower' with a ceiling")
    return direction, float(entry[key])


def check_floors(figures: Mapping[str, float], baseline: Mapping[str, Any]) -> list[str]:
    """One readable line per figure that breaks its pinned bound; figures not measured (no data) are skipped.

    ``baseline`` is the loaded baseline file: ``{"figures": {name: {"direction": "higher", "floor": x} or
    {"direction": "lower", "ceiling": x}}}``.
    """
    violations = []
    for name, entry in sorted(baseline["figures"].items()):
        if name not in figures:
            continue
        direction, bound = _bound(name, entry)
        value = figures[name]
        if value is None or math.isnan(value):
            violations.append(f"{name} is not a number ({value}); its {'floor' if direction == HIGHER else 'ceiling'}"
                              f" is {bound:g}")
        elif direction == HIGHER and value < bound:
            violations.append(f"{name} {value:g} is below its floor {bound:g} (higher is better)")
        elif direction == LOWER and value > bound:
            violations.append(f"{name} {value:g} is above its ceiling {bound:g} (lower is better)")
    return violations


def unmeasured(run: GateRun, baseline: Mapping[str, Any]) -> list[str]:
    """Pinned figures that an evaluation which ran did not measure (renamed, dropped, or a part skipped)."""
    lines = []
    for name in sorted(baseline["figures"]):
        evaluation = name.split(".")[0]
        if evaluation in run.throughput and name not in run.figures:
            reasons = [f"{part}: {why}" for part, why in run.skipped.items() if name.startswith(part + ".")]
            because = f" ({reasons[0]})" if reasons else ""
            lines.append(f"{name} is pinned but {evaluation} did not measure it{because}")
    return lines


def update_baseline(figures: Mapping[str, float], baseline: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Raise floors (lower ceilings) to today's figures less their tolerance; never loosen one.

    Returns the new baseline and one line per change. A figure without an entry gets one (direction from
    :data:`LOWER_IS_BETTER`, tolerance 0.01 for ratios).
    """
    updated = json.loads(json.dumps(baseline))
    entries = updated.setdefault("figures", {})
    changes = []
    for name, value in sorted(figures.items()):
        if value is None or math.isnan(value):
            continue
        entry = entries.get(name)
        if entry is None:
            lower = name in LOWER_IS_BETTER
            tolerance = LOWER_IS_BETTER[name] if lower else DEFAULT_TOLERANCE
            bound = _ceiling_of(value, tolerance) if lower else _floor_of(value, tolerance)
            entries[name] = {"direction": LOWER if lower else HIGHER, "ceiling" if lower else "floor": bound,
                             "tolerance": tolerance, "measured": value}
            changes.append(f"added {name}: {'ceiling' if lower else 'floor'} {bound:g} (measured {value:g})")
            continue
        direction, bound = _bound(name, entry)
        tolerance = float(entry.get("tolerance", DEFAULT_TOLERANCE))
        if direction == HIGHER and _floor_of(value, tolerance) > bound:
            entry["floor"], entry["measured"] = _floor_of(value, tolerance), value
            changes.append(f"raised {name} floor {bound:g} -> {entry['floor']:g} (measured {value:g})")
        elif direction == LOWER and _ceiling_of(value, tolerance) < bound:
            entry["ceiling"], entry["measured"] = _ceiling_of(value, tolerance), value
            changes.append(f"lowered {name} ceiling {bound:g} -> {entry['ceiling']:g} (measured {value:g})")
    return updated, changes


def _floor_of(value: float, tolerance: float) -> float:
    # Bounds keep four decimals, as the figures do; no figure here is below zero.
    return max(0.0, round(value - tolerance, 4))


def _ceiling_of(value: float, tolerance: float) -> float:
    return round(value + tolerance, 4)


RULE = ("Floors only go up. Each figure of `kroniek eval gate` is held to a floor (direction 'higher': figure >= "
        "floor) or a ceiling (direction 'lower', for AUC, error km and error counts: figure <= ceiling). "
        "`kroniek eval gate --update` raises floors and lowers ceilings to today's figures less their tolerance and "
        "never loosens one; loosening a bound is a hand edit of this file, with its reason in the commit, seen in "
        "review. 'measured' is the figure when the bound was last set. See docs/QUALITY.md.")


def load_baseline(path: Path) -> dict[str, Any]:
    """The baseline file; a missing file is an empty baseline (every figure unpinned)."""
    if not path.exists():
        return {"_rule": RULE, "figures": {}}
    baseline = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(baseline.get("figures"), dict):
        raise ValueError(f"{path}: no 'figures' object")
    return baseline


def write_baseline(path: Path, baseline: Mapping[str, Any]) -> None:
    """Write the baseline, one figure a line in name order (a raised floor is a one-line diff), atomically."""
    header = [f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}"
              for key, value in baseline.items() if key != "figures"]
    figures = [f"    {json.dumps(name)}: {json.dumps(entry)}" for name, entry in sorted(baseline["figures"].items())]
    text = "{\n" + "".join(line + ",\n" for line in header) + '  "figures": {\n' + ",\n".join(figures) + "\n  }\n}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".json.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def _print_run(run: GateRun, baseline: Mapping[str, Any]) -> None:
    """Each evaluation's command, then its figures beside their bounds; skips and throughput last."""
    entries = baseline["figures"]
    for evaluation in REGISTRY:
        names = sorted(n for n in run.figures.keys() | entries.keys() if n.split(".")[0] == evaluation.name)
        if evaluation.name not in run.throughput:          # skipped, failed, or not asked for
            continue
        click.echo(f"{evaluation.name}: {evaluation.command}  ({run.throughput[evaluation.name]:.1f} documents/s)")
        for name in names:
            entry, value = entries.get(name), run.figures.get(name)
            if value is None:
                click.echo(f"  {name:<34}{'-':>10}   not measured")
            elif entry is None:
                click.echo(f"  {name:<34}{value:>10g}   (no floor pinned)")
            else:
                direction, bound = _bound(name, entry)
                ok = not check_floors({name: value}, {"figures": {name: entry}})
                click.echo(f"  {name:<34}{value:>10g}  {'>=' if direction == HIGHER else '<='} {bound:<10g}"
                           f"{'ok' if ok else 'FAIL'}")
    for name, reason in run.skipped.items():
        click.echo(f"skipped {name}: {reason}")


@click.command("gate")
@click.option("--shared", "shared_path", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The shared folder holding data/ (default: $KRONIEK_SHARED, else ../shared beside the repo).")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The pinned floors (default: quality/baseline.json in the repository).")
@click.option("--only", multiple=True, type=click.Choice([e.name for e in REGISTRY]),
              help="Run only this evaluation (repeatable).")
@click.option("--update", is_flag=True, help="Raise floors to today's figures (never lowers one) and write them.")
@click.pass_context
def command(ctx: click.Context, shared_path: Path | None, baseline_path: Path | None, only: tuple[str, ...],
            update: bool) -> None:
    """Run the fast evaluations on the development data; exit 1 when a figure is below its pinned floor.

    Evaluations whose data is absent are skipped, not failed.

    \b
    Example:
        kroniek eval gate
        kroniek eval gate --only geo --only timex
        kroniek eval gate --update      # after an improvement: raise the floors, commit quality/baseline.json
    """
    shared = shared_path or default_shared()
    baseline_path = baseline_path or default_baseline()
    try:
        baseline = load_baseline(baseline_path)
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"{baseline_path}: cannot read the baseline ({exc})") from exc
    click.echo(f"quality gate: data {shared}, baseline {baseline_path}")
    run = run_registry(shared, only)
    _print_run(run, baseline)
    if update:
        baseline, changes = update_baseline(run.figures, baseline)
        write_baseline(baseline_path, baseline)
        click.echo("\n".join(changes) if changes else "no floor raised")
    violations = check_floors(run.figures, baseline) + unmeasured(run, baseline)
    violations += [f"{name} failed: {error}" for name, error in run.errors.items()]
    if violations:
        click.echo(f"FAILED: {len(violations)} problem(s)", err=True)
        for line in violations:
            click.echo(f"  {line}", err=True)
        ctx.exit(1)
    click.echo(f"passed: {len(run.figures)} figures measured, "
               f"{sum(name in run.figures for name in baseline['figures'])} held to a floor")
