"""Exports of the event store: JSON Lines (the EVENTS.md contract), CSV, GeoJSON and Parquet."""
from __future__ import annotations

import csv
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable, TextIO

__all__ = ["FORMATS", "write_events", "flat_row", "CSV_COLUMNS", "geojson_feature"]

FORMATS = ("jsonl", "csv", "geojson", "parquet")
CSV_COLUMNS = ("id", "type", "subtype", "modality", "date_start", "date_end", "date_precision", "date_text",
               "location_name", "country", "admin1", "lat", "lon", "geonames_id", "location_precision",
               "location_text", "perpetrators", "victims", "targets_actors", "claimants", "instigators", "weapons",
               "targets", "fatalities_min", "fatalities_max", "injuries_min", "injuries_max", "related",
               "n_sources", "source_urls", "evidence", "confidence")


def _names(record: dict[str, Any], role: str) -> str:
    return "; ".join(a["name"] for a in record.get("actors") or [] if a.get("role") == role)


def flat_row(record: dict[str, Any]) -> dict[str, Any]:
    """One CSV/Parquet row for an event: lists joined with '; ', evidence quotes joined with ' | '."""
    d, loc = record.get("date") or {}, record.get("location") or {}
    fat, inj = record.get("fatalities") or {}, record.get("injuries") or {}
    return {
        "id": record["id"], "type": record["type"], "subtype": record.get("subtype"),
        "modality": record["modality"], "date_start": d.get("start"), "date_end": d.get("end"),
        "date_precision": d.get("precision"), "date_text": d.get("text"),
        "location_name": loc.get("name"), "country": loc.get("country"), "admin1": loc.get("admin1"),
        "lat": loc.get("lat"), "lon": loc.get("lon"), "geonames_id": loc.get("geonames_id"),
        "location_precision": loc.get("precision"), "location_text": loc.get("text"),
        "perpetrators": _names(record, "perpetrator"), "victims": _names(record, "victim"),
        "targets_actors": _names(record, "target"), "claimants": _names(record, "claimant"),
        "instigators": _names(record, "instigator"),
        "weapons": "; ".join(record.get("weapons") or []), "targets": "; ".join(record.get("targets") or []),
        "fatalities_min": fat.get("min"), "fatalities_max": fat.get("max"),
        "injuries_min": inj.get("min"), "injuries_max": inj.get("max"),
        "related": "; ".join(f"{r['relation']}:{r['event_id']}" for r in record.get("related") or []),
        "n_sources": len(record.get("sources") or []),
        "source_urls": "; ".join(s.get("url") or s.get("doc_id") for s in record.get("sources") or []),
        "evidence": " | ".join(e["quote"] for e in record.get("evidence") or [] if e.get("field") is None),
        "confidence": record.get("confidence"),
    }


def geojson_feature(record: dict[str, Any]) -> dict[str, Any] | None:
    loc = record.get("location") or {}
    if loc.get("lat") is None or loc.get("lon") is None:
        return None
    return {"type": "Feature", "id": record["id"],
            "geometry": {"type": "Point", "coordinates": [loc["lon"], loc["lat"]]},
            "properties": flat_row(record)}


def _write_jsonl(records: Iterable[dict], fh: TextIO) -> int:
    n = 0
    for n, record in enumerate(records, 1):
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return n


def _write_csv(records: Iterable[dict], fh: TextIO) -> int:
    writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    n = 0
    for n, record in enumerate(records, 1):
        writer.writerow(flat_row(record))
    return n


def _write_geojson(records: Iterable[dict], fh: TextIO) -> int:
    # Events without coordinates have no place on a map; they are counted in the collection's properties.
    features, unplaced = [], 0
    for record in records:
        feature = geojson_feature(record)
        if feature is None:
            unplaced += 1
        else:
            features.append(feature)
    json.dump({"type": "FeatureCollection", "features": features, "properties": {"events_without_place": unplaced}},
              fh, ensure_ascii=False)
    return len(features)


def _write_parquet(records: Iterable[dict], path: str) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [dict(flat_row(r), record=json.dumps(r, ensure_ascii=False)) for r in records]
    schema = pa.schema([(c, pa.float64() if c in ("lat", "lon", "confidence") else
                         pa.int64() if c in ("geonames_id", "fatalities_min", "fatalities_max", "injuries_min",
                                             "injuries_max", "n_sources") else pa.string())
                        for c in CSV_COLUMNS] + [("record", pa.string())])
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, path)
    return len(rows)


def write_events(records: Iterable[dict[str, Any]], fmt: str, path: str) -> int:
    """Write events to `path` ("-" = standard output) atomically; returns how many were written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if path == "-":
        import sys
        if fmt == "parquet":
            raise ValueError("Parquet cannot be written to standard output; give -o FILE")
        return {"jsonl": _write_jsonl, "csv": _write_csv, "geojson": _write_geojson}[fmt](records, sys.stdout)
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=str(target.parent.resolve()))
    os.close(fd)
    try:
        if fmt == "parquet":
            n = _write_parquet(records, tmp)
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                n = {"jsonl": _write_jsonl, "csv": _write_csv, "geojson": _write_geojson}[fmt](records, fh)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return n
