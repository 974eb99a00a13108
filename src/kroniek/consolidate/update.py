"""What a batch of new reports changes in a store of events: the plan every store carries out in one transaction.

The store answers a few questions (:class:`ReportSource`); `plan_update` decides with the pure functions of
across.py and returns the events to write, the ones to delete and where every report now belongs. Because each
recomputed set is closed (every report agreeing with one of its members is in it) and clustering depends only on
the set, the events after any sequence of batches are those of ingesting everything at once, in any order.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Protocol, Sequence

import msgspec

from ..records import Event, Source
from .across import closure, consolidate_reports, merge_reports

__all__ = ["ReportSource", "EventUpdate", "plan_update", "with_aliases"]


class ReportSource(Protocol):
    """The stored reports, as a store sees them inside the batch's transaction."""

    def reports_with_keys(self, keys: set[str]) -> Sequence[Event]:
        """Stored reports with one of these block keys."""

    def events_of_reports(self, report_ids: set[str]) -> Mapping[str, str]:
        """Stored report id -> the id of the event that holds it (ids not stored are left out)."""

    def reports_of_events(self, event_ids: set[str]) -> Mapping[str, Sequence[Event]]:
        """Event id -> its stored reports."""

    def reports_of_documents(self, doc_ids: set[str]) -> Sequence[Event]:
        """Every stored report of these documents."""

    def aliases_of(self, doc_ids: set[str]) -> Mapping[str, Sequence[Source]]:
        """Document id -> the sources of the near-duplicate copies stored as that document (see near_duplicates.py)."""


@dataclass(frozen=True, slots=True)
class EventUpdate:
    events: tuple[Event, ...]             # events to write (new, or replacing a stored one of the same id)
    removed: frozenset[str]               # stored event ids to delete first (every rewritten one among them)
    assignments: Mapping[str, str]        # report id -> event id, for every report whose event is rewritten


def with_aliases(event: Event, aliases: Mapping[str, Sequence[Source]]) -> Event:
    """The event with the copies of its documents among its sources (after each document's own source)."""
    extra = [a for s in event.sources for a in aliases.get(s.doc_id, ())]
    if not extra:
        return event
    known = {s.doc_id for s in event.sources}
    added = tuple(a for a in sorted(extra, key=lambda a: a.doc_id) if a.doc_id not in known)
    return msgspec.structs.replace(event, sources=event.sources + added)


def plan_update(new_reports: Sequence[Event], source: ReportSource, *, removed_reports: Iterable[str] = (),
                touched_documents: Iterable[str] = ()) -> EventUpdate:
    """The events of the store once `new_reports` (of documents not stored yet) are added, the stored reports
    `removed_reports` are taken away (a document that became a copy of another), and the events of
    `touched_documents` are rewritten (a document that gained a copy, and so a source)."""
    removed = set(removed_reports)
    seeds: list[Event] = []
    dropped = set(source.events_of_reports(removed).values()) if removed else set()
    touched = {r.id for r in source.reports_of_documents(set(touched_documents))} if touched_documents else set()
    reshaped = dropped | set(source.events_of_reports(touched).values())
    for members in source.reports_of_events(reshaped).values():
        seeds += [m for m in members if m.id not in removed]
    region = closure(list(new_reports) + seeds, source.reports_with_keys)
    for rid in removed:
        region.pop(rid, None)
    stored = set(region) - {r.id for r in new_reports}
    held = source.events_of_reports(stored)
    old_events = set(held.values()) | dropped
    # Every member of an event that changes is recomputed with it (stores written by older versions may hold groups
    # that today's rules would split).
    for members in source.reports_of_events(old_events).values():
        for member in members:
            if member.id not in removed:
                region.setdefault(member.id, member)

    # the events of the reports outside the region that its reports link to, asked in one query (not one each)
    linked = {link.event_id for r in region.values() for link in r.related if link.event_id not in region}
    found = source.events_of_reports(linked) if linked else {}
    outside_cache: dict[str, str] = {rid: found.get(rid, rid) for rid in linked}

    def outside(report_id: str) -> str:
        if report_id not in outside_cache:
            outside_cache[report_id] = source.events_of_reports({report_id}).get(report_id, report_id)
        return outside_cache[report_id]

    results = consolidate_reports(region.values(), outside)
    assignments = {member: event.id for event, members in results for member in members}

    # Events elsewhere that link to a report whose event id changed (a claim in the same document as a merged attack)
    # are rewritten with the new id.
    changed = {rid for rid in region if held.get(rid) != assignments[rid]}
    docs = {s.doc_id for rid in changed for s in region[rid].sources}
    linking = {}
    if docs:
        # (a store may offer only the reports that link anywhere: the others are never candidates)
        of_documents = getattr(source, "linking_reports_of_documents", source.reports_of_documents)
        candidates = [r for r in of_documents(docs) if r.id not in region and r.id not in removed
                      and any(link.event_id in changed for link in r.related)]
        linking_ids = set(source.events_of_reports({r.id for r in candidates}).values())
        members_of = source.reports_of_events(linking_ids) if linking_ids else {}
        linking = {event_id: members_of.get(event_id, ()) for event_id in linking_ids}

    def resolve(report_id: str) -> str:
        return assignments.get(report_id) or outside(report_id)

    events = [event for event, _ in results]
    events += [merge_reports(members, resolve) for event_id, members in sorted(linking.items()) if members]
    aliases = source.aliases_of({s.doc_id for e in events for s in e.sources})
    events = [with_aliases(e, aliases) for e in events]
    return EventUpdate(tuple(events), frozenset(old_events | set(linking)), assignments)
