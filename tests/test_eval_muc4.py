"""`kroniek eval muc4` runner: the crosswalk from events to MUC-4 roles, systems, and the CLI."""
from __future__ import annotations

import json

from click.testing import CliRunner

from kroniek.evaluate.muc4 import command, events_to_fillers, learned_to_fillers, predict_documents
from kroniek.records import Event, Span

TEXT = ("urban guerrillas of the fmln attacked the electric power substation with dynamite and "
        "killed mayor jose garcia.")


def make_event(**overrides) -> Event:
    fields = dict(
        id="evt_1", type="attack", subtype="bombing", modality="asserted", date=None, location=None,
        actors=(
            {"role": "perpetrator", "name": "Urban guerrillas", "id": None, "kind": "generic_armed",
             "attribution": None, "text": "urban guerrillas"},
            {"role": "perpetrator", "name": "FMLN", "id": "fmln", "kind": "rebel_group",
             "attribution": "claimed", "text": "fmln"},
            {"role": "perpetrator", "name": "FMLN", "id": "fmln", "kind": "rebel_group",
             "attribution": "claimed", "text": "farabundo marti national liberation front"},
            {"role": "victim", "name": "Jose Garcia", "id": None, "kind": "person",
             "attribution": None, "text": "mayor jose garcia"},
        ),
        weapons=("explosives",), targets=("electric power substation",), fatalities=None, injuries=None,
        related=(), evidence=({"doc_id": "d", "start": 0, "end": len(TEXT), "quote": TEXT, "field": None},),
        sources=(), confidence=0.8,
    )
    fields.update(overrides)
    return Event(**fields)


def test_events_map_to_muc4_roles_through_the_crosswalk():
    fillers, types = events_to_fillers([make_event()])
    # a description of people is PerpInd; the two names of one dictionary actor are one PerpOrg entity
    assert fillers["PerpInd"] == [["urban guerrillas"]]
    assert fillers["PerpOrg"] == [["fmln", "farabundo marti national liberation front"]]
    assert fillers["Target"] == [["electric power substation"]]
    assert fillers["Victim"] == [["mayor jose garcia"]]
    # the weapon category is turned back into the word found in the evidence
    assert fillers["Weapon"] == [["dynamite"]]
    assert types == ["BOMBING"]


def test_negated_events_and_unmapped_types_give_nothing():
    fillers, types = events_to_fillers([make_event(modality="negated")])
    assert not any(fillers.values()) and types == []
    _, types = events_to_fillers([make_event(type="arrest", subtype="arrest")])
    assert types == []
    _, types = events_to_fillers([make_event(subtype="kidnapping")])
    assert types == ["KIDNAPPING"]


def test_learned_fillers_convert_to_strings():
    spans = {"victim": [[Span(0, 5, "mayor"), Span(10, 15, "Mayor")]], "weapon": [], "unknown_role": [[Span(0, 1, "x")]]}
    assert learned_to_fillers(spans)["Victim"] == [["mayor", "Mayor"]]


def test_predict_documents_with_a_fake_pipeline_and_fake_role_model():
    records = [{"docid": "TST1-MUC3-0001", "doctext": TEXT, "templates": []}]
    fake_roles = lambda text: {"victim": [[Span(0, 4, "mayor")]]}   # noqa: E731
    timings: dict[str, float] = {}
    fillers, types, seconds = predict_documents(records, "learned", lambda text: [make_event()], fake_roles, timings)
    assert fillers["TST1-MUC3-0001"]["Victim"] == [["mayor"]]
    assert types["TST1-MUC3-0001"] == ["BOMBING"]
    assert seconds == timings["total"] >= timings["roles"] >= 0
    # both: the learned entities first, then rule entities sharing no mention with them
    fillers, _, _ = predict_documents(records, "both", lambda text: [make_event()], fake_roles)
    assert fillers["TST1-MUC3-0001"]["Victim"] == [["mayor"], ["mayor jose garcia"]]
    assert fillers["TST1-MUC3-0001"]["PerpInd"] == [["urban guerrillas"]]


def test_cli_runs_the_learned_system_and_writes_grit_predictions(tmp_path):
    gold = {"docid": "TST1-MUC3-0001", "doctext": TEXT, "templates": [{
        "incident_type": "bombing", "PerpInd": [[["urban guerrillas", 0]]], "PerpOrg": [[["fmln", 24]]],
        "Target": [[["electric power substation", 42]]], "Victim": [[["jose garcia", 114]]],
        "Weapon": [[["dynamite", 73]]]}]}
    docs = tmp_path / "gold.jsonl"
    docs.write_text(json.dumps(gold) + "\n")
    out = tmp_path / "preds.json"
    result = CliRunner().invoke(command, ["--docs", str(docs), "--system", "learned", "--predictions", str(out)])
    assert result.exit_code == 0, result.output
    assert "micro" in result.output and "documents/s" in result.output
    written = json.loads(out.read_text())
    assert set(written["TST1-MUC3-0001"]["pred_extracts"]) == {"PerpInd", "PerpOrg", "Target", "Victim", "Weapon"}
    # the written file scores with --score-only exactly as the run did
    rescored = CliRunner().invoke(command, ["--docs", str(docs), "--score-only", str(out)])
    line = lambda output: next(l for l in output.splitlines() if l.startswith("micro"))  # noqa: E731,E741
    assert line(rescored.output) == line(result.output)


def test_whom_an_arrest_took_is_no_incident_target():
    arrest = make_event(id="evt_2", type="arrest", subtype="arrest", weapons=(), targets=(), actors=(
        {"role": "perpetrator", "name": "police", "id": "police", "kind": "police", "attribution": None,
         "text": "police"},
        {"role": "target", "name": "two suspects", "id": None, "kind": "person", "attribution": None,
         "text": "two suspects"}))
    fillers, types = events_to_fillers([make_event(), arrest])
    assert fillers["Target"] == [["electric power substation"]]
    assert types == ["BOMBING"]
