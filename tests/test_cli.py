"""The `kroniek` command end to end: ingest (good and bad input), events, show, export, demo."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kroniek.cli import main


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _mixed_batch(folder: Path, nl_attack: str, en_attack: str) -> None:
    (folder / "good_nl.txt").write_text(nl_attack, encoding="utf-8")
    (folder / "good_nl.meta.json").write_text(json.dumps({"published": "2016-12-21", "url": "u:nl"}), encoding="utf-8")
    (folder / "feed.jsonl").write_text(
        json.dumps({"text": en_attack, "published": "2019-03-18", "url": "u:en"}) + "\n{broken json\n",
        encoding="utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "latin1.txt").write_bytes(
        ("De politie in Liège heeft gisteren een man aangehouden die een aanslag op een café in Luik zou "
         "hebben beraamd. Hij had explosieven in zijn woning, zei het parket.").encode("latin-1"))
    with open(folder / "huge.txt", "wb") as fh:          # 50 MB, sparse: rejected by its size, never read
        fh.truncate(50 * 1024 * 1024)
    (folder / "broken.html").write_text("<html><body><div><<<<</div></bo", encoding="utf-8")
    (folder / "german.txt").write_text(
        "Ein Lastwagen ist am Montagabend in einen Weihnachtsmarkt in Berlin gerast. Mindestens zwölf Menschen "
        "wurden getötet, Dutzende verletzt, teilte die Polizei mit.", encoding="utf-8")


def test_mixed_batch_stores_the_good_names_the_bad_and_is_idempotent(tmp_path, nl_attack, en_attack):
    folder = tmp_path / "in"
    folder.mkdir()
    _mixed_batch(folder, nl_attack, en_attack)
    db = str(tmp_path / "k.duckdb")
    code, out, err = _run("ingest", str(folder), "--db", db, "-q")
    assert code == 0, err
    assert out.startswith("3 documents stored")
    rejected = [line for line in err.splitlines() if line.startswith("rejected:")]
    for name, code_ in (("image.png", "K102"), ("empty.txt", "K101"), ("huge.txt", "K104"),
                        ("broken.html", "K105"), ("feed.jsonl:2", "K106"), ("german.txt", "K108")):
        assert any(name in line and code_ in line for line in rejected), (name, rejected)
    assert len(rejected) == 6
    assert "latin1.txt: not UTF-8" in err
    code, out, _ = _run("ingest", str(folder), "--db", db, "-q")
    assert code == 0 and out.startswith("0 documents stored, 0 events, 3 already stored")


def test_nothing_ingestible_exits_1(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    code, _, err = _run("ingest", str(tmp_path / "empty.txt"), "--db", str(tmp_path / "k.duckdb"), "-q")
    assert code == 1 and "K101" in err


def test_events_show_export(tmp_path, nl_attack):
    article = tmp_path / "a.txt"
    article.write_text(nl_attack, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(json.dumps({"published": "2016-12-21", "language": "nl"}),
                                          encoding="utf-8")
    db = str(tmp_path / "k.duckdb")
    assert _run("ingest", str(article), "--db", db, "-q")[0] == 0

    code, out, _ = _run("events", "--db", db, "--type", "attack", "--json")
    attack = json.loads(out.splitlines()[0])
    assert code == 0 and attack["type"] == "attack" and attack["location"]["country"] == "DE"
    code, out, _ = _run("events", "--db", db, "--country", "FR")
    assert code == 0 and "attack" not in out

    code, out, _ = _run("show", attack["id"], "--db", db)
    assert code == 0 and "[Keulen]{location}" in out and "Gisteravond" in out
    code, _, err = _run("show", "evt_nope", "--db", db)
    assert code == 1 and "kroniek events" in err

    for fmt in ("jsonl", "csv", "geojson", "parquet"):
        target = tmp_path / f"out.{fmt}"
        code, _, err = _run("export", "--db", db, "--format", fmt, "-o", str(target))
        assert code == 0 and target.stat().st_size > 0, err
    exported = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {e["id"] for e in exported} >= {attack["id"]}
    for event in exported:
        for ev in event["evidence"]:
            assert ev["quote"] in nl_attack


def test_query_on_missing_database_says_what_to_do(tmp_path):
    code, _, err = _run("events", "--db", str(tmp_path / "none.duckdb"))
    assert code == 1 and "kroniek ingest" in err


def test_bad_date_is_a_usage_error(tmp_path):
    code, _, err = _run("events", "--db", str(tmp_path / "x.duckdb"), "--since", "yesterday")
    assert code == 2 and "YYYY-MM-DD" in err


def test_every_command_has_an_example_in_its_help():
    for name, command in main.commands.items():
        if name in ("eval", "train"):
            continue
        assert "Example:" in (command.help or ""), name


def test_worker_processes_give_the_same_database(tmp_path, nl_attack, en_attack):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"text": t, "published": p}) + "\n" for t, p in
                            ((nl_attack, "2016-12-21"), (en_attack, "2019-03-18"))), encoding="utf-8")
    outputs = []
    for jobs in ("1", "2"):
        db = str(tmp_path / f"k{jobs}.duckdb")
        assert _run("ingest", str(feed), "--db", db, "--jobs", jobs, "-q")[0] == 0
        outputs.append(_run("events", "--db", db, "--json")[1])
    assert outputs[0] == outputs[1] and outputs[0]
