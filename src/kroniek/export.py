"""Every shape events leave Kroniek in: JSON Lines (the EVENTS.md contract), CSV, GeoJSON and Parquet.

`kroniek export` and the HTTP API both call `export_chunks` / `write_parquet`, so the same query gives the same
bytes from either. JSON Lines is the stored JSON as it is (nothing is parsed or re-serialised); the flat shapes
share one row (`flat_row`): one column per field, lists as lists in GeoJSON and Parquet and joined with " | " in CSV.
GeoJSON keeps every event, with ``"geometry": null`` where the event has no place.
"""
from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator, Protocol

from .eventjson import encode_value
from .records import Event

__all__ = ["FORMATS", "FLAT_COLUMNS", "LIST_SEPARATOR", "flat_row", "export_chunks", "write_parquet",
           "write_events", "MEDIA_TYPES", "DOCUMENT_COLUMNS", "document_row", "write_documents_parquet"]

FORMATS = ("jsonl", "csv", "geojson", "parquet")
MEDIA_TYPES = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8",
               "geojson": "application/geo+json", "parquet": "application/vnd.apache.parquet"}
LIST_SEPARATOR = " | "

# column -> kind: str, int, float, date or list (of strings)
FLAT_COLUMNS: dict[str, str] = {
    "id": "str", "type": "str", "subtype": "str", "modality": "str",
    "date_start": "date", "date_end": "date", "date_precision": "str", "date_text": "str",
    "location_name": "str", "country": "str", "admin1": "str", "lat": "float", "lon": "float",
    "geonames_id": "int", "location_precision": "str", "location_text": "str",
    "perpetrators": "list", "opponents": "list", "victims": "list", "target_actors": "list", "claimants": "list",
    "instigators": "list", "addressees": "list", "weapons": "list", "targets": "list",
    "fatalities_min": "int", "fatalities_max": "int", "injuries_min": "int", "injuries_max": "int",
    "acled_event_type": "str", "acled_sub_event_type": "str", "gtd_attack_type": "str", "gtd_weapon_types": "list",
    "outcome": "str", "related": "list", "n_sources": "int", "source_urls": "list", "source_titles": "list",
    "first_published": "date", "evidence": "list", "confidence": "float",
}
# The flat shape of a document (the documents table of a store, without its index columns): `kroniek spark ingest`
# writes DIR/documents/ in it. A copy (a near-duplicate of another document) has no text and names its holder.
DOCUMENT_COLUMNS: dict[str, str] = {
    "doc_id": "str", "origin": "str", "url": "str", "title": "str", "author": "str", "outlet": "str",
    "published": "date", "language": "str", "duplicate_of": "str", "text": "str",
}
_ROLE_COLUMNS = {"perpetrator": "perpetrators", "opponent": "opponents", "victim": "victims",
                 "target": "target_actors", "claimant": "claimants", "instigator": "instigators",
                 "addressee": "addressees"}


class EventReader(Protocol):
    """What an export reads from a store (DuckDB or PostgreSQL)."""

    def iter_events_json(self, query: Any) -> Iterator[str]: ...
    def iter_events(self, query: Any) -> Iterator[Event]: ...


def flat_row(event: Event) -> dict[str, Any]:
    """One row of FLAT_COLUMNS for an event (lists stay lists; None is unknown)."""
    d, loc, fat, inj = event.date, event.location, event.fatalities, event.injuries
    names: dict[str, list[str]] = {column: [] for column in _ROLE_COLUMNS.values()}
    for actor in event.actors:
        column = _ROLE_COLUMNS.get(actor.role)
        if column is not None and actor.name not in names[column]:
            names[column].append(actor.name)
    published = [s.published for s in event.sources if s.published is not None]
    return {
        "id": event.id, "type": event.type, "subtype": event.subtype, "modality": event.modality,
        "date_start": d.start if d else None, "date_end": d.end if d else None,
        "date_precision": d.precision if d else None, "date_text": d.text if d else None,
        "location_name": loc.name if loc else None, "country": loc.country if loc else None,
        "admin1": loc.admin1 if loc else None, "lat": loc.lat if loc else None, "lon": loc.lon if loc else None,
        "geonames_id": loc.geonames_id if loc else None, "location_precision": loc.precision if loc else None,
        "location_text": loc.text if loc else None,
        **names,
        "weapons": list(event.weapons), "targets": list(event.targets),
        "fatalities_min": fat.min if fat else None, "fatalities_max": fat.max if fat else None,
        "injuries_min": inj.min if inj else None, "injuries_max": inj.max if inj else None,
        "acled_event_type": event.acled_event_type, "acled_sub_event_type": event.acled_sub_event_type,
        "gtd_attack_type": event.gtd_attack_type, "gtd_weapon_types": list(event.gtd_weapon_types),
        "outcome": event.outcome,
        "related": [f"{r.relation}:{r.event_id}" for r in event.related],
        "n_sources": len(event.sources),
        "source_urls": [s.url or s.doc_id for s in event.sources],
        "source_titles": [s.title for s in event.sources if s.title],
        "first_published": min(published) if published else None,
        "evidence": [e.quote for e in event.evidence if e.field is None],
        "confidence": event.confidence,
    }


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return value


def _csv_chunks(events: Iterable[Event]) -> Iterator[bytes]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FLAT_COLUMNS)
    for n, event in enumerate(events, 1):
        row = flat_row(event)
        writer.writerow([_csv_cell(row[c]) for c in FLAT_COLUMNS])
        if n % 500 == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def geojson_feature(event: Event) -> dict[str, Any]:
    loc = event.location
    placed = loc is not None and loc.lat is not None and loc.lon is not None
    return {"type": "Feature", "id": event.id,
            "geometry": {"type": "Point", "coordinates": [loc.lon, loc.lat]} if placed else None,
            "properties": flat_row(event)}


def _geojson_chunks(events: Iterable[Event]) -> Iterator[bytes]:
    yield b'{"type":"FeatureCollection","features":['
    for n, event in enumerate(events):
        yield (b"," if n else b"") + encode_value(geojson_feature(event))
    yield b"]}\n"


def _jsonl_chunks(records: Iterable[str]) -> Iterator[bytes]:
    batch: list[str] = []
    for raw in records:
        batch.append(raw)
        if len(batch) == 1000:
            yield ("\n".join(batch) + "\n").encode("utf-8")
            batch = []
    if batch:
        yield ("\n".join(batch) + "\n").encode("utf-8")


def _counted(items: Iterable, counter: list[int]) -> Iterator:
    for item in items:
        counter[0] += 1
        yield item


def export_chunks(reader: EventReader, query: Any, fmt: str, counter: list[int] | None = None) -> Iterator[bytes]:
    """The export of `query` in `fmt` (jsonl, csv, geojson) as a stream of bytes; `counter[0]` counts the events."""
    counter = counter if counter is not None else [0]
    if fmt == "jsonl":
        return _jsonl_chunks(_counted(reader.iter_events_json(query), counter))
    if fmt == "csv":
        return _csv_chunks(_counted(reader.iter_events(query), counter))
    if fmt == "geojson":
        return _geojson_chunks(_counted(reader.iter_events(query), counter))
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def parquet_schema():
    """The Arrow schema of the Parquet export: FLAT_COLUMNS with real types, then the full record as JSON."""
    import pyarrow as pa

    return _schema(FLAT_COLUMNS, (("record", pa.string()),))


def document_row(article, duplicate_of: str | None = None) -> dict[str, Any]:
    """One row of DOCUMENT_COLUMNS for an Article (a copy: `duplicate_of` is the document that holds its text)."""
    return {"doc_id": article.doc_id, "origin": article.origin, "url": article.url, "title": article.title,
            "author": article.author, "outlet": article.outlet, "published": article.published,
            "language": article.language, "duplicate_of": duplicate_of,
            "text": None if duplicate_of else article.text}


def _schema(columns: dict[str, str], extra: tuple = ()):
    import pyarrow as pa

    kinds = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "date": pa.date32(),
             "list": pa.list_(pa.string())}
    return pa.schema([(c, kinds[k]) for c, k in columns.items()] + list(extra))


def documents_parquet_schema():
    return _schema(DOCUMENT_COLUMNS)


def write_documents_parquet(rows: Iterable[dict[str, Any]], sink: str | BinaryIO, batch_rows: int = 5000) -> int:
    """Write rows of DOCUMENT_COLUMNS as Parquet to a path or a binary file; returns how many were written."""
    return _write_rows(rows, sink, documents_parquet_schema(), batch_rows)


def _write_rows(rows: Iterable[dict[str, Any]], sink, schema, batch_rows: int) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 0
    with pq.ParquetWriter(sink, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == batch_rows:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def write_parquet(events: Iterable[Event], sink: str | BinaryIO, batch_rows: int = 5000) -> int:
    """Write events as Parquet to a path or a binary file; returns how many were written."""
    from .eventjson import encode_event

    rows = (dict(flat_row(event), record=encode_event(event).decode("utf-8")) for event in events)
    return _write_rows(rows, sink, parquet_schema(), batch_rows)


def _write_to(path: Path, reader: EventReader, query: Any, fmt: str, counter: list[int]) -> int:
    if fmt == "parquet":
        counter[0] = write_parquet(reader.iter_events(query), str(path))
    else:
        with open(path, "wb") as fh:
            for chunk in export_chunks(reader, query, fmt, counter):
                fh.write(chunk)
    return counter[0]


def write_events(reader: EventReader, query: Any, fmt: str, output: str) -> int:
    """Write the events of `query` to `output` ("-" = standard output; a file is replaced atomically and gets the
    user's umask); returns how many were written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    counter = [0]
    if output == "-":
        if fmt == "parquet":
            raise ValueError("Parquet cannot be written to standard output; give -o FILE")
        for chunk in export_chunks(reader, query, fmt, counter):
            sys.stdout.buffer.write(chunk)
        sys.stdout.flush()
        return counter[0]
    target = Path(output)
    if target.is_symlink():
        target = target.resolve()      # the file it points at is replaced, not the link
    if target.is_dir():
        raise ValueError(f"{output} is a directory; give a file name (-o {Path(output) / 'events.jsonl'})")
    if target.exists() and not target.is_file():
        # a device, a FIFO or a socket (-o /dev/null, -o /dev/stdout, a named pipe): written to as it is; replacing
        # it would put a regular file in its place (as root, /dev/null itself)
        return _write_to(target, reader, query, fmt, counter)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=str(target.parent.resolve()))
    os.close(fd)
    try:
        _write_to(Path(tmp), reader, query, fmt, counter)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)     # mkstemp makes 0600; an export is an ordinary file
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return counter[0]
