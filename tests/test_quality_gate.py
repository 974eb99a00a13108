"""The quality gate: floors and ceilings checked by hand, a drop caught, and the real gate on ../shared/data."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from kroniek.evaluate.gate import (
    LOWER_IS_BETTER, REGISTRY, Evaluation, GateRun, Measurement, check_floors, command, load_baseline, run_registry,
    unmeasured, update_baseline, write_baseline,
)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BASELINE = REPO / "quality" / "baseline.json"


def _baseline(**entries: dict) -> dict:
    return {"figures": entries}


HAND = _baseline(**{
    "geo.acc161": {"direction": "higher", "floor": 0.85},
    "geo.auc": {"direction": "lower", "ceiling": 0.20},
    "ner.f1": {"direction": "higher", "floor": 0.45},
})


# (a) check_floors on figures built by hand

def test_figures_at_or_above_their_floors_pass():
    assert check_floors({"geo.acc161": 0.85, "geo.auc": 0.20, "ner.f1": 0.60}, HAND) == []


def test_higher_is_better_figure_below_its_floor_is_one_named_violation():
    violations = check_floors({"geo.acc161": 0.80, "geo.auc": 0.15, "ner.f1": 0.50}, HAND)
    assert len(violations) == 1
    assert "geo.acc161" in violations[0] and "0.8" in violations[0] and "floor 0.85" in violations[0]


def test_lower_is_better_figure_above_its_ceiling_is_a_violation():
    violations = check_floors({"geo.acc161": 0.90, "geo.auc": 0.25, "ner.f1": 0.50}, HAND)
    assert len(violations) == 1
    assert "geo.auc" in violations[0] and "ceiling 0.2" in violations[0]
    # a lower AUC is better: far under the ceiling passes
    assert check_floors({"geo.auc": 0.01}, HAND) == []


def test_figure_not_measured_is_skipped_not_failed():
    # NER data absent: only the geo figures were measured
    assert check_floors({"geo.acc161": 0.90, "geo.auc": 0.10}, HAND) == []
    assert check_floors({}, HAND) == []


def test_figure_that_is_not_a_number_fails():
    violations = check_floors({"ner.f1": math.nan}, HAND)
    assert len(violations) == 1 and "ner.f1" in violations[0]


def test_entry_without_direction_is_refused():
    with pytest.raises(ValueError, match="geo.acc161"):
        check_floors({"geo.acc161": 0.9}, _baseline(**{"geo.acc161": {"floor": 0.85}}))


def test_update_raises_floors_and_never_lowers_them():
    baseline = _baseline(**{
        "geo.acc161": {"direction": "higher", "floor": 0.85, "tolerance": 0.01},
        "geo.auc": {"direction": "lower", "ceiling": 0.20, "tolerance": 0.01},
        "ner.f1": {"direction": "higher", "floor": 0.45, "tolerance": 0.01},
    })
    updated, changes = update_baseline({"geo.acc161": 0.90, "geo.auc": 0.15, "ner.f1": 0.40, "timex.value_f1": 0.7},
                                       baseline)
    assert updated["figures"]["geo.acc161"]["floor"] == 0.89             # raised to the figure less its tolerance
    assert updated["figures"]["geo.auc"]["ceiling"] == 0.16              # a ceiling comes down
    assert updated["figures"]["ner.f1"]["floor"] == 0.45                 # a drop never lowers a floor
    assert updated["figures"]["timex.value_f1"] == {"direction": "higher", "floor": 0.69, "tolerance": 0.01,
                                                    "measured": 0.7}
    assert baseline["figures"]["geo.acc161"]["floor"] == 0.85            # the input is not changed
    assert len(changes) == 3 and not any("ner.f1" in line for line in changes)
    # and the drop still fails the gate after the update
    assert [v for v in check_floors({"ner.f1": 0.40}, updated) if "ner.f1" in v]


def test_new_lower_is_better_figures_get_a_ceiling():
    updated, _ = update_baseline({"geo.mean_error_km": 900.0, "corpus.evidence_errors": 0}, _baseline())
    assert updated["figures"]["geo.mean_error_km"]["direction"] == "lower"
    assert updated["figures"]["geo.mean_error_km"]["ceiling"] == 900.0 + LOWER_IS_BETTER["geo.mean_error_km"]
    assert updated["figures"]["corpus.evidence_errors"]["ceiling"] == 0
    assert check_floors({"corpus.evidence_errors": 1}, updated)


def test_baseline_file_round_trips(tmp_path):
    path = tmp_path / "baseline.json"
    baseline = dict(load_baseline(path), figures={"ner.f1": {"direction": "higher", "floor": 0.4}})
    write_baseline(path, baseline)
    assert json.loads(path.read_text(encoding="utf-8")) == baseline
    assert "_rule" in baseline and "only go up" in baseline["_rule"]


def test_no_shared_data_skips_every_evaluation(tmp_path):
    run = run_registry(tmp_path)
    assert run.figures == {} and run.errors == {}
    assert set(run.skipped) == {e.name for e in REGISTRY}
    result = CliRunner().invoke(command, ["--shared", str(tmp_path), "--baseline", str(BASELINE)])
    assert result.exit_code == 0, result.output
    assert "skipped geo" in result.output


def test_registry_runs_what_has_data_and_reports_a_broken_evaluation(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "toy.txt").write_text("x", encoding="utf-8")

    def broken(shared: Path) -> Measurement:
        raise ValueError("bad gold file")

    registry = (
        Evaluation("toy", ("data/toy.txt",), lambda shared: Measurement({"toy.f1": 0.5}, 10, 2.0), "kroniek eval toy"),
        Evaluation("absent", ("data/absent.txt",), lambda shared: Measurement({"absent.f1": 1.0}, 1, 1.0), "-"),
        Evaluation("broken", ("data/toy.txt",), broken, "-"),
    )
    run = run_registry(tmp_path, registry=registry)
    assert run.figures == {"toy.f1": 0.5}
    assert run.throughput == {"toy": 5.0}
    assert list(run.skipped) == ["absent"] and "absent.txt" in run.skipped["absent"]
    assert run.errors == {"broken": "ValueError: bad gold file"}
    assert run_registry(tmp_path, only=("toy",), registry=registry).errors == {}


def test_pinned_figure_an_evaluation_stopped_measuring_is_reported():
    run = GateRun(figures={"geo.acc161": 0.9}, throughput={"geo": 900.0, "muc4": 80.0},
                  skipped={"muc4.learned": "no weights", "ner": "no data"})
    baseline = _baseline(**{"geo.acc161": {"direction": "higher", "floor": 0.85},
                            "geo.auc": {"direction": "lower", "ceiling": 0.2},            # renamed or dropped
                            "muc4.learned.micro_f1": {"direction": "higher", "floor": 0.4},
                            "ner.f1": {"direction": "higher", "floor": 0.45}})          # no data: skipped
    lines = unmeasured(run, baseline)
    assert len(lines) == 2
    assert lines[0].startswith("geo.auc ") and "muc4.learned.micro_f1" in lines[1] and "no weights" in lines[1]


def test_gate_is_a_kroniek_eval_command():
    from kroniek.evaluate.cli import eval_group
    from kroniek.evaluate.gate import command
    assert eval_group.get_command(None, "gate") is command


# (b) the gate fails on a drop: the real baseline, today's figures, one of them lowered

def _real_baseline() -> dict:
    return json.loads(BASELINE.read_text(encoding="utf-8"))


def test_real_baseline_is_consistent():
    baseline = _real_baseline()
    assert "only go up" in baseline["_rule"]
    assert {e.name for e in REGISTRY} <= {name.split(".")[0] for name in baseline["figures"]}
    for name, entry in baseline["figures"].items():
        assert entry["direction"] == ("lower" if name in LOWER_IS_BETTER else "higher"), name
        if entry["direction"] == "higher":
            assert entry["floor"] <= entry["measured"], name
        else:
            assert entry["ceiling"] >= entry["measured"], name


def test_gate_fails_when_any_one_figure_drops():
    baseline = _real_baseline()
    today = {name: entry["measured"] for name, entry in baseline["figures"].items()}
    assert check_floors(today, baseline) == []
    for name, entry in baseline["figures"].items():
        dropped = dict(today)
        if entry["direction"] == "higher":
            dropped[name] = entry["floor"] - 0.001
        else:
            dropped[name] = entry["ceiling"] + 1
        violations = check_floors(dropped, baseline)
        assert len(violations) == 1 and violations[0].startswith(name + " "), (name, violations)


def test_command_exits_1_on_a_drop_and_update_keeps_the_floor(shared_dir, tmp_path):
    if not (shared_dir / "data" / "tempeval3" / "TBAQ-cleaned.tar.gz").is_file():
        pytest.skip("TBAQ-cleaned is not in ../shared/data/tempeval3")
    path = tmp_path / "baseline.json"
    write_baseline(path, _baseline(**{
        "timex.strict_f1": {"direction": "higher", "floor": 0.99, "tolerance": 0.01},    # above today's figure
        "timex.relaxed_f1": {"direction": "higher", "floor": 0.10, "tolerance": 0.01},   # far below it
    }))
    args = ["--shared", str(shared_dir), "--baseline", str(path), "--only", "timex"]
    result = CliRunner().invoke(command, args + ["--update"])
    assert result.exit_code == 1
    assert "timex.strict_f1" in result.output and "below its floor 0.99" in result.output
    figures = json.loads(path.read_text(encoding="utf-8"))["figures"]
    assert figures["timex.strict_f1"]["floor"] == 0.99                   # --update never lowers a floor
    assert 0.10 < figures["timex.relaxed_f1"]["floor"] < figures["timex.relaxed_f1"]["measured"]
    assert "raised timex.relaxed_f1" in result.output


# (c) the real gate on the development data

def test_real_gate_has_no_violations(shared_dir):
    run = run_registry(shared_dir)
    assert run.errors == {}
    baseline = load_baseline(BASELINE)
    assert check_floors(run.figures, baseline) == []
    assert unmeasured(run, baseline) == []
    assert all(rate > 0 for rate in run.throughput.values()), run.throughput
