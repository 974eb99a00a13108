"""`kroniek eval case2021`: the scorer's figures on written-out predictions, the split, the crosswalk, and the
command on the shared dev file (skipped when it is absent)."""
from __future__ import annotations

from pathlib import Path

import pytest

from kroniek.evaluate.case2021 import acled_to_case, case_codes, held_out, read_snippets, score

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "case2021_task2_dev" / "dev.tsv"


def test_the_crosswalk_names_all_25_seen_types_once():
    codes = case_codes()
    assert len(codes) == len(set(codes)) == 25
    assert acled_to_case()["Remote explosive/landmine/IED"] == "REM_EXPLOS"
    assert acled_to_case()["Excessive force against protesters"] == "FORCE_AGAINST_PROTEST"
    assert acled_to_case()["Headquarters or base established"] == "HQ_ESTABLISHED"


def test_scores_written_out():
    codes = ("ATTACK", "ARREST", "GRENADE")
    pairs = [("ATTACK", "ATTACK", True), ("ATTACK", "ARREST", True), ("ARREST", "ARREST", False),
             ("GRENADE", None, False), ("DIPLO", None, False), ("NATURAL_DISASTER", "ATTACK", True)]
    s = score(pairs, codes)
    assert (s.snippets, s.correct, s.covered) == (4, 2, 3)
    assert s.accuracy == 0.5 and s.coverage == 0.75
    # ATTACK: P 1/1, R 1/2, F1 2/3; ARREST: P 1/2, R 1/1, F1 2/3; GRENADE: 0
    assert s.per_type["ATTACK"][:3] == pytest.approx((1.0, 0.5, 2 / 3))
    assert s.per_type["ARREST"][:3] == pytest.approx((0.5, 1.0, 2 / 3))
    assert s.weighted_f1 == pytest.approx((2 / 3 * 2 + 2 / 3 * 1 + 0 * 1) / 4)
    assert s.macro_f1 == pytest.approx((2 / 3 + 2 / 3 + 0) / 3)
    assert (s.unseen, s.unseen_violent) == (2, 1)


def test_the_hold_out_split_is_fixed():
    # sha256 of the id, modulo 3 (worked out by hand with hashlib): of these ten ids only "18" is held out
    assert [i for i in ("3", "6", "9", "12", "15", "18", "21", "24", "27", "30") if held_out(i)] == ["18"]
    assert sum(held_out(str(i)) for i in range(0, 3000, 3)) in range(300, 370)


@pytest.mark.skipif(not DEV.exists(), reason="../shared/data/case2021_task2_dev is absent")
def test_reads_the_dev_file():
    snippets = read_snippets(DEV)
    assert len(snippets) == 340
    assert sum(s.gold in case_codes() for s in snippets) == 277
