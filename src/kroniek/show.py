"""`kroniek show`: an event's fields next to the words they came from, highlighted in their sentences."""
from __future__ import annotations

from typing import Any

import click

__all__ = ["render_event"]


def _field_line(name: str, value: Any) -> str:
    return f"  {name:<11}{value}"


def render_event(record: dict[str, Any], documents: dict[str, dict | None], *, color: bool, context: int = 1) -> str:
    lines = [click.style(f"{record['id']}  {record['type']}/{record.get('subtype') or '–'}  "
                         f"({record['modality']}, confidence {record.get('confidence')})", bold=True) if color
             else f"{record['id']}  {record['type']}/{record.get('subtype') or '–'}  "
                  f"({record['modality']}, confidence {record.get('confidence')})"]
    d, loc = record.get("date") or {}, record.get("location") or {}
    if d:
        lines.append(_field_line("date", f"{d.get('start')} … {d.get('end')} ({d.get('precision')}, "
                                         f"from {d.get('resolved_from')}) «{d.get('text')}»"))
    if loc:
        lines.append(_field_line("place", f"{loc.get('name')}, {loc.get('country')} ({loc.get('precision')}; "
                                          f"{loc.get('lat')}, {loc.get('lon')}) «{loc.get('text')}»"))
    for actor in record.get("actors") or []:
        lines.append(_field_line(actor["role"], f"{actor['name']} [{actor.get('id') or '–'}, {actor.get('kind')}]"
                                               f"{' (' + actor['attribution'] + ')' if actor.get('attribution') else ''}"
                                               f" «{actor.get('text')}»"))
    for key in ("fatalities", "injuries"):
        q = record.get(key)
        if q:
            lines.append(_field_line(key, f"min {q.get('min')}, max {q.get('max')} «{q.get('text')}»"))
    if record.get("weapons"):
        lines.append(_field_line("weapons", ", ".join(record["weapons"])))
    if record.get("targets"):
        lines.append(_field_line("targets", ", ".join(record["targets"])))
    for rel in record.get("related") or []:
        lines.append(_field_line(rel["relation"], rel["event_id"]))
    for reason in record.get("merged_because") or []:
        lines.append(_field_line("merged", reason))
    for source in record.get("sources") or []:
        doc = documents.get(source["doc_id"])
        lines.append("")
        lines.append(f"  source {source['doc_id']}: {source.get('title') or ''} {source.get('url') or ''} "
                     f"({source.get('published') or 'no date'})")
        if not doc:
            continue
        text = doc["text"]
        for ev in sorted((e for e in record.get("evidence") or [] if e["doc_id"] == source["doc_id"]
                          and e.get("field") is None), key=lambda e: e["start"]):
            lines.append("    " + _highlight(text, ev, record, color))
    return "\n".join(lines)


def _highlight(text: str, sentence: dict, record: dict, color: bool) -> str:
    start, end = sentence["start"], sentence["end"]
    marks = sorted((e for e in record.get("evidence") or [] if e["doc_id"] == sentence["doc_id"]
                    and e.get("field") and start <= e["start"] and e["end"] <= end), key=lambda e: e["start"])
    out, at = [], start
    for m in marks:
        if m["start"] < at:
            continue
        out.append(text[at:m["start"]])
        piece = text[m["start"]:m["end"]]
        out.append(click.style(piece, fg="yellow", bold=True) if color else f"[{piece}]{{{m['field']}}}")
        at = m["end"]
    out.append(text[at:end])
    return "".join(out)
