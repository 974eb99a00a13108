"""Reading sources: files, sidecars, directories, JSON Lines, standard input, and the bad cases."""
from __future__ import annotations

import json
from pathlib import Path

from kroniek.ingest.sources import read_sources
from kroniek.records import RawDocument, Rejected


def _split(items):
    return [i for i in items if isinstance(i, RawDocument)], [i for i in items if isinstance(i, Rejected)]


def test_text_file_takes_its_sidecar_metadata(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Tekst.", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(json.dumps({"published": "2016-12-21", "language": "nl",
                                                      "title": "T", "unknown": 1}), encoding="utf-8")
    docs, rejects = _split(list(read_sources([str(tmp_path / "a.txt")])))
    assert not rejects
    assert docs[0].metadata == {"published": "2016-12-21", "language": "nl", "title": "T"}
    assert docs[0].media_type == "text"


def test_directory_is_read_recursively_and_sidecars_are_not_documents(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text("{}", encoding="utf-8")
    docs, _ = _split(list(read_sources([str(tmp_path)])))
    assert sorted(Path(d.origin).name for d in docs) == ["a.txt", "b.html"]
    assert {d.media_type for d in docs} == {"text", "html"}


def test_jsonl_good_and_broken_lines(tmp_path: Path):
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join([
        json.dumps({"text": "Een tekst.", "url": "u1", "outlet": "Krant"}),
        "{not json",
        json.dumps({"html": "<p>Hallo</p>", "published": "2020-01-01"}),
        json.dumps({"title": "no body"}),
        json.dumps(["a list"]),
    ]), encoding="utf-8")
    docs, rejects = _split(list(read_sources([str(path)])))
    assert [d.media_type for d in docs] == ["text", "html"]
    assert docs[0].metadata["source"] == "Krant"
    assert [(r.origin.rsplit(":", 1)[1], r.code) for r in rejects] == [("2", "K106"), ("4", "K107"), ("5", "K107")]


def test_too_large_file_is_rejected_without_reading(tmp_path: Path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2000)
    _, rejects = _split(list(read_sources([str(path)], max_bytes=1000)))
    assert rejects[0].code == "K104" and "big.txt" in str(rejects[0])


def test_missing_path_and_broken_sidecar(tmp_path: Path):
    (tmp_path / "c.txt").write_text("x", encoding="utf-8")
    (tmp_path / "c.meta.json").write_text("[1, 2", encoding="utf-8")
    docs, rejects = _split(list(read_sources([str(tmp_path / "nope.txt"), str(tmp_path / "c.txt")])))
    assert [r.code for r in rejects] == ["K109", "K110"]
    assert len(docs) == 1 and docs[0].metadata == {}
