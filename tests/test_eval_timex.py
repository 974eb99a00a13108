"""`kroniek eval timex`: TimeML reading and TempEval-3 scoring on hand-made documents, plus a floor on TBAQ."""
from __future__ import annotations

import io
import json
import tarfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from kroniek.annotate.dates import Timex
from kroniek.errors import EvaluationError
from kroniek.evaluate.timex import command, iter_documents, read_timeml, score

DOC = """<?xml version="1.0" ?>
<TimeML>
<DOCID>TEST1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-08-07" temporalFunction="false" functionInDocument="CREATION_TIME">1998-08-07</TIMEX3></DCT>
<TEXT>
Bombs <EVENT eid="e1" class="OCCURRENCE">exploded</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-08-07">Friday</TIMEX3>, killing dozens &amp; more.
The embassy had been warned <TIMEX3 tid="t2" type="DATE" value="1998-07">last month</TIMEX3> and <TIMEX3 tid="t3" type="DURATION" value="P2W">two weeks</TIMEX3> ago, on <TIMEX3 tid="t4" type="DATE" value="1998-07-01">July 1</TIMEX3>.
</TEXT>
</TimeML>
"""


def test_reads_text_offsets_and_creation_time():
    document = read_timeml("test.tml", DOC)
    assert document.creation_time == date(1998, 8, 7)
    assert [t.text for t in document.timexes] == ["Friday", "last month", "two weeks", "July 1"]
    for timex in document.timexes:
        assert document.text[timex.start:timex.end] == timex.text
    assert "&amp;" not in document.text and "dozens & more" in document.text
    assert all(t.value != "1998-08-07" or t.text == "Friday" for t in document.timexes)   # DCT not scored


def _timex(text: str, piece: str, value: str, kind: str = "date", type_: str = "DATE") -> Timex:
    start = text.index(piece)
    return Timex(start, start + len(piece), piece, kind, None, type_, value, (start, start + len(piece)))


def test_tempeval_measures_by_hand():
    document = read_timeml("test.tml", DOC)
    text = document.text
    predicted = [
        _timex(text, "Friday", "1998-08-07"),                  # strict, value right
        _timex(text, "month", "1998-06"),                      # relaxed only, value wrong
        _timex(text, "two weeks ago", "1998-W30", "ago"),      # relaxed only (gold: "two weeks"), value wrong
        _timex(text, "dozens", "P12D", "duration", "DURATION"),  # a false positive
    ]
    scores = score([(document, predicted)])
    assert (scores.strict.system_matched, scores.strict.gold_matched) == (1, 1)
    assert (scores.relaxed.system_matched, scores.relaxed.gold_matched) == (3, 3)
    assert scores.strict.precision == pytest.approx(1 / 4) and scores.strict.recall == pytest.approx(1 / 4)
    assert scores.relaxed.precision == pytest.approx(3 / 4) and scores.relaxed.recall == pytest.approx(3 / 4)
    assert scores.value.precision == pytest.approx(1 / 4) and scores.value.recall == pytest.approx(1 / 4)
    assert scores.value_accuracy == pytest.approx(1 / 3)
    assert scores.type.system_matched == 2          # Friday DATE, last month DATE; "two weeks" is DURATION


def test_kroniek_reads_the_hand_made_document():
    document = read_timeml("test.tml", DOC)
    from kroniek.annotate.dates import find_timexes
    found = {document.text[slice(*t.timeml_span)]: t.timeml_value
             for t in find_timexes(document.text, "en", document.creation_time)}
    assert found["Friday"] == "1998-08-07"
    assert found["last month"] == "1998-07"
    assert found["July 1"] == "1998-07-01"


def _write_archive(path: Path) -> None:
    with tarfile.open(path, "w:gz") as archive:
        for name in ("corpus/a.tml", "corpus/b.tml"):
            data = DOC.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def test_reads_a_directory_and_an_archive(tmp_path):
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "docs" / "sub" / "x.tml").write_text(DOC, encoding="utf-8")
    assert [d.name for d in iter_documents(tmp_path / "docs")] == ["sub/x.tml"]
    _write_archive(tmp_path / "docs.tar.gz")
    assert [d.name for d in iter_documents(tmp_path / "docs.tar.gz")] == ["corpus/a.tml", "corpus/b.tml"]


def test_bad_input_is_an_evaluation_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(EvaluationError):
        list(iter_documents(tmp_path / "empty"))
    with pytest.raises(EvaluationError):
        read_timeml("broken.tml", "<TimeML><TEXT>unclosed")


def test_command_prints_scores_and_writes_predictions(tmp_path):
    _write_archive(tmp_path / "docs.tar.gz")
    predictions = tmp_path / "predictions.jsonl"
    result = CliRunner().invoke(command, ["--tml", str(tmp_path / "docs.tar.gz"), "--predictions", str(predictions)])
    assert result.exit_code == 0, result.output
    for measure in ("strict match", "relaxed match", "value", "type", "documents/s"):
        assert measure in result.output
    lines = [json.loads(line) for line in predictions.read_text(encoding="utf-8").splitlines()]
    assert [line["document"] for line in lines] == ["corpus/a.tml", "corpus/b.tml"]
    assert {"Friday", "last month", "July 1"} <= {p["text"] for p in lines[0]["predicted"]}
    assert len(lines[0]["gold"]) == 4


def test_command_rejects_a_folder_without_timeml(tmp_path):
    result = CliRunner().invoke(command, ["--tml", str(tmp_path)])
    assert result.exit_code != 0 and "no .tml files" in result.output


def test_registered_under_kroniek_eval():
    from kroniek.evaluate.cli import eval_group
    assert eval_group.get_command(None, "timex") is command


# Floors measured on TBAQ-cleaned (docs/TIME.md); they only go up.
FLOORS = {"relaxed": 0.90, "strict": 0.80, "value": 0.71}


def test_tbaq_floor(shared_dir):
    archive = shared_dir / "data" / "tempeval3" / "TBAQ-cleaned.tar.gz"
    if not archive.exists():
        pytest.skip("TBAQ-cleaned is not present")
    from kroniek.annotate.dates import find_timexes
    documents = list(iter_documents(archive))
    scores = score([(d, find_timexes(d.text, "en", d.creation_time)) for d in documents])
    assert scores.relaxed.f1 >= FLOORS["relaxed"]
    assert scores.strict.f1 >= FLOORS["strict"]
    assert scores.value.f1 >= FLOORS["value"]
