"""Event lists as CSV rows and GeoJSON features (the JSON format is the EVENTS.md record itself)."""
from __future__ import annotations

import csv
import io
from typing import Any, Iterable, Mapping

__all__ = ["CSV_COLUMNS", "events_csv", "events_geojson", "event_summary"]

# One flat row per event; lists are joined with " | " so a spreadsheet keeps one event per line.
CSV_COLUMNS = (
    "id", "type", "subtype", "modality", "date_start", "date_end", "date_precision", "location_name",
    "country", "admin1", "lat", "lon", "location_precision", "fatalities_min", "fatalities_max",
    "injuries_min", "injuries_max", "actors", "weapons", "targets", "confidence", "n_sources", "n_evidence",
    "source_urls", "source_titles",
)


def _part(record: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    return record.get(key) or {}


def _csv_row(event: Mapping[str, Any]) -> list[Any]:
    date, location = _part(event, "date"), _part(event, "location")
    fatalities, injuries = _part(event, "fatalities"), _part(event, "injuries")
    sources = event.get("sources") or []
    actors = [f"{a.get('role')}: {a.get('name')}" for a in event.get("actors") or []]
    return [
        event.get("id"), event.get("type"), event.get("subtype"), event.get("modality"),
        date.get("start"), date.get("end"), date.get("precision"), location.get("name"),
        location.get("country"), location.get("admin1"), location.get("lat"), location.get("lon"),
        location.get("precision"), fatalities.get("min"), fatalities.get("max"),
        injuries.get("min"), injuries.get("max"), " | ".join(actors), " | ".join(event.get("weapons") or []),
        " | ".join(event.get("targets") or []), event.get("confidence"), len(sources),
        len(event.get("evidence") or []), " | ".join(s.get("url") or "" for s in sources),
        " | ".join(s.get("title") or "" for s in sources),
    ]


def events_csv(events: Iterable[Mapping[str, Any]]) -> str:
    """CSV text with a header row of :data:`CSV_COLUMNS`; unknown values are empty cells."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for event in events:
        writer.writerow(["" if v is None else v for v in _csv_row(event)])
    return out.getvalue()


def event_summary(event: Mapping[str, Any]) -> dict[str, Any]:
    """The few fields a map point, a table row or a link to an event needs."""
    date, location = _part(event, "date"), _part(event, "location")
    sources = event.get("sources") or []
    return {
        "id": event.get("id"), "type": event.get("type"), "subtype": event.get("subtype"),
        "modality": event.get("modality"), "date_start": date.get("start"), "date_end": date.get("end"),
        "location_name": location.get("name"), "country": location.get("country"),
        "fatalities_min": _part(event, "fatalities").get("min"),
        "injuries_min": _part(event, "injuries").get("min"),
        "actors": [a.get("name") for a in event.get("actors") or [] if a.get("name")],
        "title": next((s.get("title") for s in sources if s.get("title")), None),
        "n_sources": len(sources), "confidence": event.get("confidence"),
    }


def events_geojson(events: Iterable[Mapping[str, Any]], total: int) -> dict[str, Any]:
    """A GeoJSON FeatureCollection; an event without coordinates keeps its feature with a null geometry."""
    features = []
    for event in events:
        location = _part(event, "location")
        lat, lon = location.get("lat"), location.get("lon")
        geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
        features.append({"type": "Feature", "id": event.get("id"), "geometry": geometry,
                         "properties": event_summary(event)})
    return {"type": "FeatureCollection", "total": total, "features": features}
