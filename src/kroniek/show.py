"""`kroniek show`: an event's fields next to the words they came from, highlighted in their sentences."""
from __future__ import annotations

from typing import Any

import click

from .ontology import MODALITY_LABELS
from .records import Count, Event, Evidence

__all__ = ["render_event", "count_text"]

_LABEL_WIDTH = 13


def count_text(count: Count | None) -> str:
    """A casualty range as a reader says it: "5", "10+", "up to 20", "10–20"."""
    if count is None or (count.min is None and count.max is None):
        return "unknown"
    if count.min is None:
        return f"up to {count.max}"
    if count.max is None:
        return f"{count.min}+"
    return str(count.min) if count.min == count.max else f"{count.min}–{count.max}"


def _field_line(name: str, value: Any) -> str:
    return f"  {name:<{_LABEL_WIDTH - 1}} {value}"


def _quoted(text: str | None) -> str:
    return f" «{text}»" if text else ""


def render_event(event: Event, documents: dict[str, dict | None], *, color: bool, context: int = 1,
                 redirected_from: str | None = None) -> str:
    modality = f"{event.modality}: {MODALITY_LABELS.get(event.modality, {}).get('en', event.modality)}"
    title = f"{event.id}  {event.type}{'/' + event.subtype if event.subtype else ''}  " \
            f"({modality}, confidence {event.confidence})"
    lines = [click.style(title, bold=True) if color else title]
    if redirected_from:
        lines.append(_field_line("merged", f"{redirected_from} is now part of this event"))
    d, loc = event.date, event.location
    if d:
        span = d.start.isoformat() if d.start == d.end else f"{d.start.isoformat()} … {d.end.isoformat()}"
        lines.append(_field_line("date", f"{span} ({d.precision}, from {d.resolved_from or 'the text'})"
                                         f"{_quoted(d.text)}"))
    if loc:
        where = ", ".join(x for x in (loc.name, loc.admin1 if loc.admin1 != loc.name else None, loc.country) if x)
        point = f"; {loc.lat}, {loc.lon}" if loc.lat is not None and loc.lon is not None else ""
        lines.append(_field_line("place", f"{where} ({loc.precision}{point}){_quoted(loc.text)}"))
    for actor in event.actors:
        # the id only where it is not the name itself ('gunmen'), and no word twice ('police [police, police]')
        given = (actor.id if actor.id and actor.id != actor.name.casefold() else None, actor.kind, actor.attribution)
        details = ", ".join(dict.fromkeys(x for x in given if x))
        lines.append(_field_line(actor.role, f"{actor.name}{' [' + details + ']' if details else ''}"
                                             f"{_quoted(actor.text if actor.text != actor.name else None)}"))
    for key in ("fatalities", "injuries"):
        count = getattr(event, key)
        if count:
            lines.append(_field_line(key, f"{count_text(count)}{_quoted(count.text)}"))
    if event.weapons:
        lines.append(_field_line("weapons", ", ".join(event.weapons)))
    if event.targets:
        lines.append(_field_line("targets", ", ".join(event.targets)))
    if event.acled_sub_event_type:
        lines.append(_field_line("ACLED", f"{event.acled_event_type} / {event.acled_sub_event_type}"))
    if event.gtd_attack_type:
        lines.append(_field_line("GTD", event.gtd_attack_type + (f" ({', '.join(event.gtd_weapon_types)})"
                                                                 if event.gtd_weapon_types else "")))
    for rel in event.related:
        lines.append(_field_line(rel.relation, rel.event_id))
    for reason in event.merged_because:
        lines.append(_field_line("merged", reason))
    for source in event.sources:
        doc = documents.get(source.doc_id)
        lines.append("")
        published = source.published.isoformat() if source.published else "no date"
        lines.append(f"  source {source.doc_id}: {source.title or ''} {source.url or ''} ({published})")
        if not doc:
            continue
        text = doc["text"]
        for ev in sorted((e for e in event.evidence if e.doc_id == source.doc_id and e.field is None),
                         key=lambda e: e.start):
            lines.append("    " + _highlight(text, ev, event, color))
    return "\n".join(lines)


def _highlight(text: str, sentence: Evidence, event: Event, color: bool) -> str:
    start, end = sentence.start, sentence.end
    marks = sorted((e for e in event.evidence if e.doc_id == sentence.doc_id and e.field
                    and start <= e.start and e.end <= end), key=lambda e: e.start)
    out, at = [], start
    for m in marks:
        if m.start < at:
            continue
        out.append(text[at:m.start])
        piece = text[m.start:m.end]
        out.append(click.style(piece, fg="yellow", bold=True) if color else f"[{piece}]{{{m.field}}}")
        at = m.end
    out.append(text[at:end])
    return "".join(out)
