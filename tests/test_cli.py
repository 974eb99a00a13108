"""The `kroniek` command end to end: ingest (good and bad input), events, show, export, demo."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import click
import conftest
import pytest
from click.testing import CliRunner

from kroniek.cli import main
from kroniek.lazycommands import LazyGroup
from kroniek.store import Store


def _run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False, input=input)
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
    assert code == 0 and out.startswith("0 documents stored, 0 mentions, 0 events, 3 already stored")


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
    ctx = click.Context(main)
    for name in main.list_commands(ctx):
        if name in ("eval", "train"):
            continue
        assert "Example:" in (main.get_command(ctx, name).help or ""), name


# -- startup: every command imports only what it uses (speed itself: benchmarks/cli_startup.py) -------------------
HEAVY = ("fastapi", "uvicorn", "scipy", "numpy", "lingua", "duckdb", "pyarrow", "trafilatura", "sklearn")


@pytest.mark.parametrize("arguments", [["--help"], ["--version"], ["events", "--help"], ["export", "--help"],
                                       ["serve", "--help"], ["eval", "--help"], ["train", "--help"]])
def test_help_and_version_import_no_heavy_library(arguments):
    script = textwrap.dedent(f"""
        import json, sys
        from kroniek.cli import main
        try:
            main({arguments!r}, prog_name="kroniek")
        except SystemExit:
            pass
        heavy = sorted({{m.split(".")[0] for m in sys.modules}} & {set(HEAVY)!r})
        print("HEAVY=" + json.dumps(heavy), file=sys.stderr)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=conftest.HANG_GUARD_S)
    assert result.returncode == 0, result.stderr
    assert "HEAVY=[]" in result.stderr.splitlines(), result.stderr


def test_importing_the_cli_imports_no_heavy_library():
    result = subprocess.run([sys.executable, "-c", "import json, sys, kroniek.cli; "
                             "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"],
                            capture_output=True, text=True, timeout=conftest.HANG_GUARD_S)
    loaded = set(json.loads(result.stdout))
    assert "kroniek" in loaded and "click" in loaded
    assert loaded.isdisjoint(HEAVY), loaded & set(HEAVY)


def test_lazy_subcommands_are_listed_with_their_own_short_help():
    groups = [main, main.get_command(click.Context(main), "eval"), main.get_command(click.Context(main), "train")]
    for group in groups:
        assert isinstance(group, LazyGroup) and group.lazy
        for name, lazy in group.lazy.items():
            command = group.load(name)
            assert command.name == name
            assert lazy.short_help == command.get_short_help_str(limit=1000), (group.name, name)


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


# -- filters, order, ids -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hand_built_db(tmp_path_factory) -> str:
    from test_api import fill   # hand-built Dutch and English events (evt_berlin, evt_manchester, ...)

    db = str(tmp_path_factory.mktemp("cli") / "hand.duckdb")
    with Store.open(db) as store:
        fill(store)
    return db


def _ids(db: str, *options: str) -> list[str]:
    code, out, err = _run("events", "--db", db, "--json", *options)
    assert code == 0, err
    return [json.loads(line)["id"] for line in out.splitlines()]


@pytest.mark.parametrize("options, expected", [
    (("--type", "attack"), {"evt_berlin", "evt_manchester"}),
    (("--type", "attack,arrest"), {"evt_berlin", "evt_manchester", "evt_brussels"}),
    (("--type", "aanslag"), {"evt_berlin", "evt_manchester"}),
    (("--modality", "planned or expected"), {"evt_threat"}),
    (("--modality", "future"), {"evt_threat"}),
    (("--country", "DE,FR"), {"evt_berlin"}),
    (("--country", "Germany"), {"evt_berlin"}),
    (("--country", "Duitsland"), {"evt_berlin"}),
    (("--country", "nederland"), {"evt_amsterdam", "evt_threat"}),
    (("--subtype", "vehicle_ramming,suicide_bombing", "--type", "attack"), {"evt_berlin", "evt_manchester"}),
    (("--text", "vrachtauto,concert"), {"evt_berlin", "evt_manchester"}),
    (("--actor", "islamic-state,nobody"), {"evt_berlin_claim"}),
])
def test_filters_take_names_labels_and_comma_separated_values(hand_built_db, options, expected):
    assert set(_ids(hand_built_db, *options)) == expected


@pytest.mark.parametrize("options, words", [
    (("--type", "attacks"), ["Invalid value for '--type'", "did you mean attack?", "armed_clash", "riot"]),
    (("--modality", "happend"), ["'--modality'", "asserted (happened)", "negated (did not happen)"]),
    (("--country", "Narnia"), ["'--country'", "unknown country 'Narnia'", "Duitsland"]),
    (("--type", "attack", "--subtype", "air_strike"), ["'--subtype'", "subtype of remote_violence, not of attack"]),
])
def test_an_unknown_filter_value_is_a_usage_error_that_lists_the_valid_ones(hand_built_db, options, words):
    for command in (["events"], ["export", "-o", "-"]):
        code, out, err = _run(*command, "--db", hand_built_db, *options)
        assert code == 2 and out == ""
        for word in words:
            assert word in err, (word, err)


def test_order(hand_built_db):
    assert _ids(hand_built_db, "--type", "attack", "--order", "fatalities") == ["evt_manchester", "evt_berlin"]
    assert _ids(hand_built_db, "--order", "id") == sorted(_ids(hand_built_db))
    code, out, _ = _run("export", "--db", hand_built_db, "--order", "id", "--format", "jsonl", "-o", "-")
    assert [json.loads(line)["id"] for line in out.splitlines()] == sorted(_ids(hand_built_db))


def test_show_takes_a_unique_start_of_an_id(hand_built_db):
    code, out, _ = _run("show", "evt_manch", "--db", hand_built_db)
    assert code == 0 and out.startswith("evt_manchester  attack/suicide_bombing  (asserted: happened")
    code, out, _ = _run("show", "manch", "--db", hand_built_db, "--json")   # evt_ left out
    assert code == 0 and json.loads(out)["id"] == "evt_manchester"
    code, _, err = _run("show", "evt_berlin", "--db", hand_built_db)          # a whole id that starts another
    assert code == 0
    code, _, err = _run("show", "evt_b", "--db", hand_built_db)
    assert code == 1 and "'evt_b' is the start of several ids: evt_berlin, evt_berlin_claim, evt_brussels" in err


def test_the_table_shows_whole_names_when_piped(hand_built_db):
    code, out, _ = _run("events", "--db", hand_built_db, "--type", "claim,attack")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["id", "type", "modality", "date", "place", "country", "killed", "perpetrators"]
    assert any("evt_manchester" in line and "Manchester" in line and " 22+ " in line for line in lines)
    assert "…" not in out


def test_events_after_the_demo_names_the_demo_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = _run("events")
    assert code == 1 and "kroniek.duckdb" in err and "kroniek demo" in err and "kroniek-demo.duckdb" in err
    code, _, err = _run("show", "evt_x", "--db", "kroniek-demo.duckdb")
    assert code == 1 and "build it with `kroniek demo --no-serve --db kroniek-demo.duckdb`" in err
    Store.open("kroniek-demo.duckdb").close()
    code, _, err = _run("events")
    assert code == 1 and "add --db kroniek-demo.duckdb" in err


# -- metadata for documents that carry none ----------------------------------------------------------------------
def _sources(db: str) -> list[dict]:
    code, out, _ = _run("events", "--db", db, "--json")
    return [s for line in out.splitlines() for s in json.loads(line)["sources"]]


def test_txt_and_stdin_take_published_language_url_and_title(tmp_path, nl_attack, en_attack):
    article = tmp_path / "bare.txt"
    article.write_text(nl_attack, encoding="utf-8")
    db = str(tmp_path / "k.duckdb")
    code, _, err = _run("ingest", str(article), "--db", db, "-q", "--published", "2016-12-21", "--language", "nl",
                        "--url", "https://nieuws.example/keulen", "--title", "Aanslag in Keulen")
    assert code == 0, err
    code, _, err = _run("ingest", "-", "--db", db, "-q", "--published", "2019-03-17", "--url", "stdin:lyon",
                        input=en_attack)
    assert code == 0, err
    sources = {s["url"]: s for s in _sources(db)}
    assert sources["https://nieuws.example/keulen"]["title"] == "Aanslag in Keulen"
    assert sources["https://nieuws.example/keulen"]["published"] == "2016-12-21"
    assert sources["stdin:lyon"]["published"] == "2019-03-17"
    code, out, _ = _run("events", "--db", db, "--json", "--country", "FR")
    assert json.loads(out.splitlines()[0])["date"]["start"] == "2019-03-16"   # 'on Saturday' before the 17th


def test_a_documents_own_metadata_wins_over_the_options(tmp_path, nl_attack):
    (tmp_path / "own.txt").write_text(nl_attack, encoding="utf-8")
    (tmp_path / "own.meta.json").write_text(json.dumps({"published": "2016-12-21", "url": "u:own"}),
                                            encoding="utf-8")
    db = str(tmp_path / "k.duckdb")
    code, _, err = _run("ingest", str(tmp_path / "own.txt"), "--db", db, "-q", "--published", "2000-01-01",
                        "--url", "u:option", "--title", "Optie")
    assert code == 0, err
    (source,) = {s["doc_id"]: s for s in _sources(db)}.values()
    assert (source["url"], source["published"], source["title"]) == ("u:own", "2016-12-21", "Optie")


def test_a_language_kroniek_does_not_read_is_a_usage_error(tmp_path):
    code, _, err = _run("ingest", "-", "--db", str(tmp_path / "k.duckdb"), "--language", "de", input="Hallo.")
    assert code == 2 and "'de' is not a language Kroniek reads; use one of nl, en" in err


def test_show_reads_like_a_record(hand_built_db):
    code, out, _ = _run("show", "evt_berlin_claim", "--db", hand_built_db)
    assert code == 0
    assert out.splitlines()[0] == "evt_berlin_claim  claim  (asserted: happened, confidence 0.8)"
    assert "  claimant     Islamic State [islamic-state, non_state_armed_group, claimed] «Islamitische Staat»" in out
    assert "None" not in out and "[–" not in out
    code, out, _ = _run("show", "evt_berlin", "--db", hand_built_db)
    assert "  fatalities   12+ «minstens twaalf mensen»" in out.splitlines()   # an open-ended count, as said
    assert "  place        Berlin, DE (city; 52.52, 13.41) «Berlijn»" in out.splitlines()
    code, out, _ = _run("show", "evt_threat", "--db", hand_built_db)
    assert out.splitlines()[0] == "evt_threat  threat  (future: planned or expected, confidence 0.8)"


def test_count_text_says_open_ended_counts_as_open_ended():
    from kroniek.records import Count
    from kroniek.show import count_text

    assert [count_text(c) for c in (Count(10, None, "tientallen"), Count(5, 5, "vijf"), Count(None, 20, "tot 20"),
                                    Count(10, 20, "10 à 20"), Count(None, None, "doden"), None)] == \
        ["10+", "5", "up to 20", "10–20", "unknown", "unknown"]
