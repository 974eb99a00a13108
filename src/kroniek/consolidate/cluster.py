"""An event as it is being put together from one article's mentions (the working record of consolidation)."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..ontology import DATE_RANK, PLACE_RANK
from ..records import ActorRole, EventMention, Evidence, Span



@dataclass
class Cluster:
    mentions: list[EventMention]
    reasons: list[str] = field(default_factory=list)
    extra_evidence: list[Evidence] = field(default_factory=list)
    extra_fatalities: list[Span] = field(default_factory=list)
    extra_injuries: list[Span] = field(default_factory=list)
    context_date: Span | None = None
    context_place: Span | None = None
    context_actors: list[ActorRole] = field(default_factory=list)
    claims: int | None = None          # index of the claimed cluster
    links: list[tuple[str, int]] = field(default_factory=list)   # (relation, index of the other cluster)

    @property
    def head(self) -> EventMention:
        # The mention that started the event (deaths and references that joined it later do not change its type).
        return self.mentions[0]

    @property
    def type(self) -> str:
        return self.head.type

    @property
    def modality(self) -> str:
        return self.head.modality

    @property
    def last_sentence(self) -> int:
        return max(m.sentence for m in self.mentions)

    def date(self) -> Span | None:
        dated = [m.date for m in self.mentions if m.date is not None]
        return min(dated, key=lambda d: DATE_RANK.get(d.value.precision, 4)) if dated else self.context_date

    def location(self) -> Span | None:
        placed = [m.location for m in self.mentions if m.location is not None]
        return min(placed, key=lambda p: PLACE_RANK.get(p.value.precision, 6)) if placed else self.context_place
