"""The seed article of ../shared (read there, never copied here): the gold thresholds of score_events.py, and no
invented dates without its metadata. Skipped when ../shared is absent."""
from __future__ import annotations

import json

from kroniek.evaluate.gold_events import score_document
from kroniek.pipeline import analyse_text, event_to_dict
from kroniek.clean import parse_date


def _seed(shared_dir):
    gold = json.loads((shared_dir / "gold" / "seed.gold.json").read_text(encoding="utf-8"))
    path = shared_dir / "examples" / "seed" / gold["document"]
    meta = json.loads(path.with_name(path.stem + ".meta.json").read_text(encoding="utf-8"))
    return gold, path.read_text(encoding="utf-8"), meta


def test_seed_meets_the_gold_thresholds(shared_dir):
    gold, text, meta = _seed(shared_dir)
    events = [event_to_dict(e) for e in analyse_text(text, language="nl", published=parse_date(meta["published"]))]
    score = score_document(gold, text, events)
    assert score.found_required == score.required
    assert score.correct_asserted / score.asserted >= 0.8
    assert score.checks_ok / score.checks_total >= 0.8
    assert score.modality_errors == 0 and score.evidence_errors == 0


def test_seed_without_metadata_gets_no_invented_dates(shared_dir):
    _, text, _ = _seed(shared_dir)
    events = analyse_text(text, language="nl", published=None)
    assert events
    assert all(e.date is None for e in events)
