"""Hand learned role fillers to Kroniek's event records: the same roles every other input gets.

Each entity from :func:`kroniek.roles.predict_role_fillers` joins the event whose own evidence is
nearest to the entity's best-placed mention (inside it, or fewest characters away, up to
``MAX_DISTANCE``). Perpetrators and victims become ``actors`` (role ``perpetrator`` / ``victim``),
targets become ``targets`` (lower case) and weapons become ``weapons`` categories where the
MUC-4 crosswalk's weapon words name one; each addition brings an evidence span with its field.
An entity near no event is left out: no event is invented for it.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping, Sequence

import msgspec

from ..consolidate.record import with_codes
from ..ontology import VIOLENT_TYPES, muc4_crosswalk
from ..records import Event, EventActor, Evidence, Span

__all__ = ["attach_role_fillers", "MAX_DISTANCE", "EVENT_TYPES"]

MAX_DISTANCE = 400          # characters between a mention and an event's evidence (about two sentences)
EVENT_TYPES = VIOLENT_TYPES | {"plot", "threat"}
PRODUCER = "roles.muc4"
_ACTOR_ROLES = {"perpetrator_individual": "perpetrator", "perpetrator_organisation": "perpetrator",
                "victim": "victim"}


@lru_cache(maxsize=1)
def _weapon_categories() -> dict[str, str]:
    categories: dict[str, str] = {}
    for category, words in muc4_crosswalk()["weapon_words"].items():
        if category == muc4_crosswalk()["remote_violence_weapons"]:
            continue                       # not a Kroniek weapon category
        for word in words:
            categories.setdefault(word, category)
    return categories


def _weapon_category(text: str) -> str | None:
    words = text.lower().replace("-", " ").split()
    table = _weapon_categories()
    for length in range(len(words), 0, -1):    # longest known ending first: "powerful car bomb" -> "car bomb"
        category = table.get(" ".join(words[-length:]))
        if category:
            return category
    return None


def _event_anchors(event: Event) -> list[tuple[int, int]]:
    return [(e.start, e.end) for e in event.evidence if e.field in (None, "trigger")]


def _distance(span: Span, anchor: tuple[int, int]) -> int:
    start, end = anchor
    if span.start >= start and span.end <= end:
        return 0
    return max(start - span.end, span.start - end, 0)


def _nearest(events: Sequence[Event], mentions: Sequence[Span]) -> tuple[int, Span] | None:
    best: tuple[int, int, Span] | None = None
    for index, event in enumerate(events):
        if event.type not in EVENT_TYPES:
            continue
        for anchor in _event_anchors(event):
            for mention in mentions:
                d = _distance(mention, anchor)
                if d <= MAX_DISTANCE and (best is None or d < best[0]):
                    best = (d, index, mention)
    return None if best is None else (best[1], best[2])


def attach_role_fillers(events: Sequence[Event], fillers: Mapping[str, Sequence[Sequence[Span]]]
                        ) -> tuple[Event, ...]:
    """New events with the learned fillers added (input events are not changed).

    Args:
        events: one document's events (from the pipeline).
        fillers: :func:`kroniek.roles.predict_role_fillers` output for the same text.
    """
    additions: dict[int, dict[str, list[Any]]] = {}
    for role, entities in fillers.items():
        for entity in entities:
            found = _nearest(events, entity)
            if found is None:
                continue
            index, mention = found
            event = events[index]
            add = additions.setdefault(index, {"actors": [], "targets": [], "weapons": [], "evidence": []})
            doc_id = next((e.doc_id for e in event.evidence), None)
            field = None
            if role in _ACTOR_ROLES:
                kroniek_role = _ACTOR_ROLES[role]
                known = {(a.role, (a.text or "").lower()) for a in event.actors}
                if (kroniek_role, mention.text.lower()) not in known:
                    add["actors"].append(EventActor(kroniek_role, mention.text, None, None, None, mention.text,
                                                    producer=PRODUCER,
                                                    confidence=round(float(mention.value or 0.0), 3)))
                    field = "actors"
            elif role == "target":
                target = mention.text.lower()
                if target not in event.targets and target not in add["targets"]:
                    add["targets"].append(target)
                    field = "targets"
            elif role == "weapon":
                category = _weapon_category(mention.text)
                if category and category not in event.weapons and category not in add["weapons"]:
                    add["weapons"].append(category)
                    field = "weapons"
            if field:
                add["evidence"].append(Evidence(doc_id, mention.start, mention.end, mention.text, field))
    result = []
    for index, event in enumerate(events):
        add = additions.get(index)
        if not add:
            result.append(event)
            continue
        result.append(with_codes(msgspec.structs.replace(
            event,
            actors=tuple(event.actors) + tuple(add["actors"]),
            targets=tuple(event.targets) + tuple(add["targets"]),
            weapons=tuple(event.weapons) + tuple(add["weapons"]),
            evidence=tuple(event.evidence) + tuple(add["evidence"]),
        )))
    return tuple(result)
