"""GRIT's MUC-4 metric on hand-built cases; every expected number is worked out in a comment."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kroniek.evaluate.muc4 import command
from kroniek.evaluate.muc4_metric import (
    RoleScore, gold_entities, grit_docid, incident_accuracy, incident_types, match_score,
    normalise_mention, score_documents,
)

EMPTY = {"PerpInd": [], "PerpOrg": [], "Target": [], "Victim": [], "Weapon": []}


def roles(**filled):
    return {**EMPTY, **filled}


def test_normalisation_drops_articles_punctuation_and_case():
    assert normalise_mention("The  F.M.L.N.") == "fmln"
    assert normalise_mention("an Urban-Guerrilla  Group") == "urbanguerrilla group"
    assert normalise_mention("A bomb") == "bomb"
    # "the" inside a word is kept ("theatre"); only whole-word articles go
    assert normalise_mention("THE THEATRE") == "theatre"


def test_normalised_prediction_matches_gold():
    gold = {"d": roles(Victim=[["the Jesuit priests"]])}
    pred = {"d": roles(Victim=[["JESUIT PRIESTS."]])}
    # both normalise to "jesuit priests": 1 matched of 1 predicted, 1 gold
    score = score_documents(pred, gold)["Victim"]
    assert (score.matched, score.predicted, score.gold) == (1, 1, 1)


def test_one_to_one_matching_scores_only_one_of_two_fitting_predictions():
    gold = [["fmln", "farabundo marti national liberation front"]]
    pred = [["fmln"], ["farabundo marti national liberation front"]]
    # both predicted entities fit the single gold entity, but the matching is one-to-one: total 1
    assert match_score(pred, gold) == 1
    s = score_documents({"d": roles(PerpOrg=pred)}, {"d": roles(PerpOrg=gold)})["PerpOrg"]
    # P = 1/2, R = 1/1, F1 = 2 * 0.5 * 1 / 1.5 = 0.6667
    assert s.precision == 0.5 and s.recall == 1.0
    assert s.f1 == pytest.approx(2 / 3)


def test_hungarian_assignment_maximises_total():
    gold = [["guerrillas", "terrorists"], ["terrorists"]]
    pred = [["terrorists"], ["guerrillas"]]
    # greedy (pred 1 -> gold 1) would leave pred 2 unmatched (total 1);
    # the optimum is pred 1 -> gold 2, pred 2 -> gold 1: total 2
    assert match_score(pred, gold) == 2


def test_wrong_extra_mention_makes_the_entity_score_zero():
    gold = [["jesuit priests", "priests"]]
    pred = [["jesuit priests", "soldiers"]]
    # "soldiers" is not a mention of the gold entity, so the whole entity scores 0
    assert match_score(pred, gold) == 0
    # a subset of the gold mentions is enough
    assert match_score([["priests"]], gold) == 1


def test_documents_without_gold_or_predictions_count():
    gold = {"a": roles(Victim=[["mayor"]]), "b": roles()}
    pred = {"a": roles(Victim=[["mayor"]]), "b": roles(Victim=[["bystander"]])}
    # doc a: 1 matched; doc b has no gold but one prediction -> P = 1/2, R = 1/1
    s = score_documents(pred, gold)["Victim"]
    assert (s.matched, s.predicted, s.gold) == (1, 2, 1)
    assert s.precision == 0.5 and s.recall == 1.0

    gold = {"a": roles(Victim=[["mayor"]]), "b": roles(Victim=[["judge"]])}
    pred = {"a": roles(Victim=[["mayor"]])}          # nothing at all for document b
    # doc b's gold still counts: R = 1/2, P = 1/1
    s = score_documents(pred, gold)["Victim"]
    assert (s.matched, s.predicted, s.gold) == (1, 1, 2)
    assert s.recall == 0.5 and s.precision == 1.0


def test_micro_average_sums_counts_over_roles():
    gold = {"d": roles(PerpOrg=[["fmln"]], Victim=[["mayor"], ["judge"]], Weapon=[["bomb"]])}
    pred = {"d": roles(PerpOrg=[["fmln"]], Victim=[["mayor"]], Weapon=[["rifle"]], Target=[["bus"]])}
    # matched: PerpOrg 1 + Victim 1 = 2; predicted 1 + 1 + 1 + 1 = 4; gold 1 + 2 + 1 = 4
    micro = score_documents(pred, gold)["micro"]
    assert (micro.matched, micro.predicted, micro.gold) == (2, 4, 4)
    assert micro.precision == 0.5 and micro.recall == 0.5 and micro.f1 == 0.5


def test_zero_numerator_gives_zero_not_division_error():
    assert RoleScore(0, 0, 0).f1 == 0.0
    assert RoleScore(0, 3, 0).precision == 0.0


def test_grit_docid_numbering():
    # last digit of the first part x 10000 + the final number
    assert grit_docid("TST3-MUC4-0001") == "30001"
    assert grit_docid("TST1-MUC3-0001") == "10001"
    assert grit_docid("TST2-MUC4-0100") == "20100"
    assert grit_docid(40042) == "40042"
    assert grit_docid("40042") == "40042"
    # a first part ending in a letter cannot be numbered: the id stays as it is
    assert grit_docid("DEV-MUC3-0007") == "DEV-MUC3-0007"


def test_predictions_keyed_by_grit_numbers_match_string_docids():
    gold = {"TST1-MUC3-0001": roles(Victim=[["mayor"]])}
    pred = {10001: roles(Victim=[["mayor"]])}
    assert score_documents(pred, gold)["Victim"].matched == 1


GTT = {
    "docid": "TST1-MUC3-0009", "doctext": "...",
    "templates": [
        {"incident_type": "bombing / attack", "PerpInd": [[["guerrilla column", 0], ["guerrillas", 9]]],
         "PerpOrg": [], "Target": [], "Victim": [[["mayor", 3]]], "Weapon": [[["bomb", 5]]]},
        {"incident_type": "attack", "PerpInd": [[["guerrillas", 9]]],
         "PerpOrg": [], "Target": [], "Victim": [[["judge", 20]]], "Weapon": [[["bomb", 5]]]},
    ],
}
GRIT = {
    "docid": "TST1-MUC3-0009", "doctext": "...",
    "extracts": {"PerpInd": [[["guerrilla column", 0], ["guerrillas", 9]]], "PerpOrg": [], "Target": [],
                 "Victim": [[["mayor", 3]], [["judge", 20]]], "Weapon": [[["bomb", 5]]]},
}


def test_both_gold_formats_give_the_same_entities():
    # GTT: union over templates; [guerrillas] is a subset of [guerrilla column, guerrillas] and the
    # repeated [bomb] is identical, so neither is added again (GRIT's own merging rule)
    expected = {"PerpInd": [["guerrilla column", "guerrillas"]], "PerpOrg": [], "Target": [],
                "Victim": [["mayor"], ["judge"]], "Weapon": [["bomb"]]}
    assert gold_entities(GTT) == expected
    assert gold_entities(GRIT) == expected


def test_incident_types_and_accuracy():
    assert incident_types(GTT) == {"BOMBING", "ATTACK"}
    assert incident_types(GRIT) is None
    gold = {"a": frozenset({"BOMBING"}), "b": frozenset(), "c": frozenset({"KIDNAPPING"}), "d": frozenset()}
    pred = {"a": ["BOMBING", "ATTACK"], "b": [], "c": ["ATTACK"], "d": ["ATTACK"]}
    # a right (first type in gold), b right (nothing for nothing), c wrong, d wrong: 2 of 4
    assert incident_accuracy(pred, gold) == (2, 4)


def test_score_only_accepts_a_grit_prediction_file(tmp_path):
    gold_path = tmp_path / "gold.jsonl"
    other = {"docid": "TST1-MUC3-0010", "doctext": "...", "templates": []}
    gold_path.write_text(json.dumps(GTT) + "\n" + json.dumps(other) + "\n")
    predictions = {
        # GRIT keys documents by number: TST1-MUC3-0009 -> 10009
        "10009": {"doctext": "...", "pred_extracts": roles(
            PerpInd=[["guerrillas"]], Victim=[["the mayor"], ["soldier"]], Weapon=[["bomb"]])},
        "10010": {"pred_extracts": roles(Target=[["bus"]])},
    }
    pred_path = tmp_path / "preds.out"
    pred_path.write_text(json.dumps(predictions))
    result = CliRunner().invoke(command, ["--docs", str(gold_path), "--score-only", str(pred_path)])
    assert result.exit_code == 0, result.output
    # matched: PerpInd 1, Victim 1 (mayor), Weapon 1 = 3; predicted 1 + 2 + 1 + 1 (bus) = 5;
    # gold 1 + 2 + 1 = 4 -> P 60.00, R 75.00, F1 = 2 * .6 * .75 / 1.35 = 66.67
    micro = next(line for line in result.output.splitlines() if line.startswith("micro"))
    assert micro.split()[1:4] == ["60.00", "75.00", "66.67"]
    assert "3 / 5 / 4" in micro
