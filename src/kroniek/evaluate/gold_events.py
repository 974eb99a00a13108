"""Scoring events against gold in the seed's format, by the rules of ../shared/tools/score_events.py.

A predicted event matches a gold event when its type is one of the gold's types and one of its evidence quotes
overlaps one of the gold's anchor sentences in the original text. Each gold event takes at most one prediction
(required golds first; asserted predictions, then those with more evidence, first). Only `asserted` predictions
count for precision; an asserted violent prediction whose evidence lies only in non-event sentences is a modality
error. Kept identical to the shared scorer so that `kroniek eval corpus` prints the same figures.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

VIOLENT = frozenset({"attack", "armed_clash", "remote_violence", "killing"})
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-",
                         "\u00a0": " "})


def norm(s: str) -> str:
    s = unicodedata.normalize("NFC", s).translate(_QUOTES)
    return re.sub(r"\s+", " ", s).strip()


def norm_name(s: str) -> str:
    s = norm(s).lower().replace("'", "").replace("-", " ")
    return re.sub(r"\s+", " ", s).strip()


def _spans(text: str, needle: str) -> list[tuple[int, int]]:
    needle = norm(needle)
    if not needle:
        return []
    out, i = [], text.find(needle)
    while i >= 0:
        out.append((i, i + len(needle)))
        i = text.find(needle, i + 1)
    return out


def _overlaps(a, b) -> bool:
    return any(x0 < y1 and y0 < x1 for x0, x1 in a for y0, y1 in b)


def _field_checks(gold: dict, pred: dict, matched_ids: dict[str, str]) -> list[tuple[str, bool, str, str]]:
    """(field, passed, what the prediction has, what the gold wants) per check of one matched gold event."""
    checks: list[tuple[str, bool, str, str]] = []
    if "modality" in gold:
        checks.append(("modality", pred.get("modality") == gold["modality"], str(pred.get("modality")),
                       str(gold["modality"])))
    if gold.get("subtypes"):
        checks.append(("subtype", pred.get("subtype") in gold["subtypes"], str(pred.get("subtype")),
                       "|".join(gold["subtypes"])))
    if gold.get("date"):
        lo, hi = gold["date"]["start_between"]
        start = ((pred.get("date") or {}).get("start") or "")[:10]
        checks.append(("date", bool(start) and lo <= start <= hi, start or "null", f"{lo}..{hi}"))
    if gold.get("location"):
        loc = pred.get("location") or {}
        names = {norm_name(n) for n in gold["location"]["names"]}
        got = {norm_name(loc.get(k) or "") for k in ("name", "text")}
        checks.append(("location.country", loc.get("country") == gold["location"]["country"],
                       str(loc.get("country")), str(gold["location"]["country"])))
        checks.append(("location.name", bool(names & got), str(loc.get("name")), "|".join(gold["location"]["names"])))
    for key in ("fatalities", "injuries"):
        rng = gold.get(f"{key}_min")
        if rng:
            got = (pred.get(key) or {}).get("min")
            checks.append((f"{key}.min", got is not None and rng[0] <= got <= rng[1], str(got), f"{rng[0]}..{rng[1]}"))
    if gold.get("weapons"):
        got = set(pred.get("weapons") or [])
        checks.append(("weapons", set(gold["weapons"]) <= got, ",".join(sorted(got)) or "none",
                       ",".join(gold["weapons"])))
    for want in gold.get("actors_any", []):
        names = {norm_name(n) for n in want["names"]}
        ok = any(a.get("role") == want["role"]
                 and names & {norm_name(a.get(k) or "") for k in ("name", "text", "id")}
                 for a in pred.get("actors") or [])
        got = [f"{a.get('role')}:{a.get('name')}" for a in pred.get("actors") or []]
        checks.append((f"actor.{want['role']}", ok, ";".join(got) or "none", "|".join(want["names"])))
    if gold.get("related_to"):
        target = matched_ids.get(gold["related_to"])
        ok = target is not None and any(r.get("event_id") == target and r.get("relation") == "claims"
                                         for r in pred.get("related") or [])
        checks.append(("related.claims", ok, str([r.get("event_id") for r in pred.get("related") or []]),
                       str(target)))
    return checks


@dataclass
class DocumentScore:
    required: int = 0
    found_required: int = 0
    asserted: int = 0
    correct_asserted: int = 0
    checks_total: int = 0
    checks_ok: int = 0
    duplicates: int = 0
    false_positives: int = 0
    modality_errors: int = 0
    evidence_errors: int = 0
    lines: list[str] = field(default_factory=list)
    field_errors: dict[str, int] = field(default_factory=dict)
    field_totals: dict[str, int] = field(default_factory=dict)


def score_document(gold: dict[str, Any], text: str, preds: list[dict[str, Any]]) -> DocumentScore:
    text = norm(text)
    golds = gold["events"]
    gold_spans = {g["id"]: [s for a in g["anchors"] for s in _spans(text, a)] for g in golds}
    non_event_spans = [s for a in (gold.get("non_events") or {}).get("anchors", []) for s in _spans(text, a)]
    r = DocumentScore()
    pred_spans = []
    for p in preds:
        spans = []
        for ev in p.get("evidence") or []:
            found = _spans(text, ev.get("quote") or "")
            if not found:
                r.evidence_errors += 1
                r.lines.append(f"  evidence error: {p.get('id')}: «{(ev.get('quote') or '')[:80]}»")
            spans += found
        pred_spans.append(spans)
    match: dict[str, int] = {}
    used: set[int] = set()
    for g in sorted(golds, key=lambda g: not g["required"]):
        cands = [i for i, p in enumerate(preds) if i not in used and p.get("type") in g["types"]
                 and _overlaps(pred_spans[i], gold_spans[g["id"]])]
        cands.sort(key=lambda i: (preds[i].get("modality") != "asserted", -len(pred_spans[i])))
        if cands:
            match[g["id"]] = cands[0]
            used.add(cands[0])
    matched_ids = {gid: preds[i].get("id") for gid, i in match.items()}
    asserted = [i for i, p in enumerate(preds) if p.get("modality") == "asserted"]
    r.asserted = len(asserted)
    r.correct_asserted = sum(1 for i in asserted if i in used)
    for i in asserted:
        if i in used:
            continue
        p = preds[i]
        quote = ((p.get("evidence") or [{}])[0].get("quote") or "")[:90]
        hits_gold = any(p.get("type") in g["types"] and _overlaps(pred_spans[i], gold_spans[g["id"]]) for g in golds)
        if p.get("type") in VIOLENT and pred_spans[i] and _overlaps(pred_spans[i], non_event_spans) and not hits_gold:
            r.modality_errors += 1
            r.lines.append(f"  modality error: {p.get('type')}/{p.get('subtype')} «{quote}»")
        elif hits_gold:
            r.duplicates += 1
            r.lines.append(f"  duplicate: {p.get('type')}/{p.get('subtype')} «{quote}»")
        else:
            r.false_positives += 1
            r.lines.append(f"  false positive: {p.get('type')}/{p.get('subtype')} «{quote}»")
    for g in (g for g in golds if g["required"]):
        r.required += 1
        if g["id"] not in match:
            r.lines.append(f"  MISSED {g['id']} {g['label']}")
            continue
        r.found_required += 1
        checks = _field_checks(g, preds[match[g["id"]]], matched_ids)
        r.checks_total += len(checks)
        r.checks_ok += sum(ok for _, ok, _, _ in checks)
        bad = [f"{name}={got} (gold {want})" for name, ok, got, want in checks if not ok]
        for name, ok, _, _ in checks:
            r.field_totals[name] = r.field_totals.get(name, 0) + 1
            if not ok:
                r.field_errors[name] = r.field_errors.get(name, 0) + 1
        r.lines.append(f"  found  {g['id']} {g['label']}: {len(checks) - len(bad)}/{len(checks)} fields"
                       + (f"; wrong: {', '.join(bad)}" if bad else ""))
    return r
