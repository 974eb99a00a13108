"""Merging one event reported by several documents into one record, and saying why.

Conservative by design: two reports are merged only when their type, modality, dates and places agree;
a missing date or place never merges (distinct events must stay distinct).
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Mapping

PRECISION_RANK = {"site": 0, "city": 1, "admin2": 2, "admin1": 3, "country": 4, "region": 5, "unknown": 6}
DATE_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}
# Reports of one day-precise event may differ by a day (time zones, "last night").
DATE_SLACK = timedelta(days=1)


def _dates(record: Mapping[str, Any]) -> tuple[date, date] | None:
    d = record.get("date") or {}
    if not d.get("start"):
        return None
    return date.fromisoformat(d["start"][:10]), date.fromisoformat((d.get("end") or d["start"])[:10])


def same_event_reason(a: Mapping[str, Any], b: Mapping[str, Any]) -> str | None:
    """Why `a` and `b` (EVENTS.md records from different documents) are one event, or None."""
    if a["type"] != b["type"] or a["modality"] != b["modality"]:
        return None
    if a.get("subtype") and b.get("subtype") and a["subtype"] != b["subtype"]:
        return None
    da, db = _dates(a), _dates(b)
    if not da or not db:
        return None
    slack = DATE_SLACK if (a["date"].get("precision") == "day" and b["date"].get("precision") == "day") else timedelta(0)
    if da[0] > db[1] + slack or db[0] > da[1] + slack:
        return None
    # Coarse dates (a year, a month) are too loose to identify one event on their own.
    if max(DATE_RANK.get(a["date"].get("precision"), 4), DATE_RANK.get(b["date"].get("precision"), 4)) > 1:
        return None
    la, lb = a.get("location") or {}, b.get("location") or {}
    if not la.get("country") or la.get("country") != lb.get("country"):
        return None
    if la.get("geonames_id") and la.get("geonames_id") == lb.get("geonames_id"):
        place = la.get("name")
    elif la.get("name") and la.get("name") == lb.get("name"):
        place = la.get("name")
    else:
        return None
    return f"same type {a['type']}, dates overlap ({da[0].isoformat()}), same place ({place})"


def _more_specific(a: Mapping | None, b: Mapping | None, rank: dict[str, int]) -> Mapping | None:
    if not a:
        return b
    if not b:
        return a
    return b if rank.get(b.get("precision"), 9) < rank.get(a.get("precision"), 9) else a


def _larger_min(a: Mapping | None, b: Mapping | None) -> Mapping | None:
    # Later reports usually carry higher, better-established figures; each is a lower bound.
    if not a or a.get("min") is None:
        return b or a
    if not b or b.get("min") is None:
        return a
    return b if b["min"] > a["min"] else a


def _union(items_a: list, items_b: list, key) -> list:
    seen, out = set(), []
    for item in list(items_a) + list(items_b):
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def merge_records(kept: Mapping[str, Any], other: Mapping[str, Any], reason: str) -> dict[str, Any]:
    """One record for both reports; `kept` gives the id (the earliest stored)."""
    merged = dict(kept)
    merged["subtype"] = kept.get("subtype") or other.get("subtype")
    merged["date"] = _more_specific(kept.get("date"), other.get("date"), DATE_RANK)
    merged["location"] = _more_specific(kept.get("location"), other.get("location"), PRECISION_RANK)
    merged["fatalities"] = _larger_min(kept.get("fatalities"), other.get("fatalities"))
    merged["injuries"] = _larger_min(kept.get("injuries"), other.get("injuries"))
    merged["actors"] = _union(kept.get("actors") or [], other.get("actors") or [],
                              lambda a: (a.get("role"), a.get("id") or a.get("name")))
    merged["weapons"] = sorted(set(kept.get("weapons") or []) | set(other.get("weapons") or []))
    merged["targets"] = sorted(set(kept.get("targets") or []) | set(other.get("targets") or []))
    merged["related"] = _union(kept.get("related") or [], other.get("related") or [],
                               lambda r: (r.get("relation"), r.get("event_id")))
    merged["evidence"] = _union(kept.get("evidence") or [], other.get("evidence") or [],
                                lambda e: (e.get("doc_id"), e.get("start"), e.get("end"), e.get("field")))
    merged["triggers"] = _union(kept.get("triggers") or [], other.get("triggers") or [],
                                lambda t: (t.get("doc_id"), t.get("start"), t.get("end")))
    merged["sources"] = _union(kept.get("sources") or [], other.get("sources") or [], lambda s: s.get("doc_id"))
    merged["confidence"] = max(kept.get("confidence") or 0, other.get("confidence") or 0)
    merged["merged_because"] = list(kept.get("merged_because") or []) + [reason]
    return merged
