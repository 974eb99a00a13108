"""The demo corpus shipped in data/demo: well-formed texts and sidecars in both languages."""
from __future__ import annotations

import json
import re
from datetime import date

from kroniek.annotate.actors import find_actors
from kroniek.datafiles import data_path

DEMO = data_path("demo")
META_KEYS = {"published", "title", "source", "language", "url"}


def texts():
    return sorted(DEMO.glob("*.txt"))


def test_at_least_twelve_texts_in_both_languages():
    files = texts()
    assert len(files) >= 12
    languages = [json.loads(p.with_name(p.stem + ".meta.json").read_text(encoding="utf-8"))["language"]
                 for p in files]
    assert set(languages) == {"nl", "en"}
    assert abs(languages.count("nl") - languages.count("en")) <= 2


def test_every_text_has_a_valid_sidecar():
    for path in texts():
        meta_path = path.with_name(path.stem + ".meta.json")
        assert meta_path.exists(), f"{path.name} has no .meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        assert set(meta) == META_KEYS, path.name
        assert date.fromisoformat(meta["published"]) <= date(2024, 1, 1)
        assert meta["language"] in ("nl", "en")
        assert meta["url"] == f"demo:{path.stem}"
        assert meta["source"] == "Kroniek demo corpus (illustrative)"
        text = path.read_text(encoding="utf-8")
        assert text.splitlines()[0].strip() == meta["title"], path.name
        words = len(text.split())
        assert 150 <= words <= 400, f"{path.name}: {words} words"


def test_no_orphan_sidecars_and_a_readme_that_says_illustrative():
    for meta_path in DEMO.glob("*.meta.json"):
        assert meta_path.with_name(meta_path.name.replace(".meta.json", ".txt")).exists(), meta_path.name
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    assert "illustrative" in readme and "not real" in readme


def test_language_of_each_text_matches_its_sidecar():
    # Dutch texts use Dutch function words, English texts English ones: a crude check that no sidecar lies.
    for path in texts():
        meta = json.loads(path.with_name(path.stem + ".meta.json").read_text(encoding="utf-8"))
        words = re.findall(r"\w+", path.read_text(encoding="utf-8").lower())
        dutch = sum(words.count(w) for w in ("de", "het", "een", "van", "en"))
        english = sum(words.count(w) for w in ("the", "a", "of", "and", "was"))
        assert (dutch > english) == (meta["language"] == "nl"), path.name


def test_an_event_is_reported_in_both_languages_and_modality_shows():
    berlin = [p for p in texts() if "berl" in p.stem]
    assert {p.stem[-2:] for p in berlin} == {"nl", "en"}
    corpus = " ".join(p.read_text(encoding="utf-8") for p in texts())
    assert re.search(r"\b(kan|could|would|zullen|zal|will)\b", corpus)          # hypothetical or future
    assert re.search(r"\b(geen|niet|not|no)\b", corpus)                           # negated


def test_demo_texts_name_actors_the_finder_knows():
    found = set()
    for path in texts():
        language = path.stem[-2:]
        found |= {s.value.id for s in find_actors(path.read_text(encoding="utf-8"), language)}
    assert {"islamic-state", "amaq", "police", "popular-mobilization-forces", "us-led-coalition"} <= found
