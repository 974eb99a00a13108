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
    # What date(), location() and last_sentence found in the first n mentions (mentions are only ever appended): a
    # cluster that gathers thousands of mentions is not rescanned for each new one, and one that gathered none since
    # the last call answers at once.
    _seen: dict[str, tuple[int, object]] = field(default_factory=dict, repr=False, compare=False)
    # The head's type and modality, read once: consolidation asks for them for every cluster at every mention
    # (297,000 times for 400 generated articles), and the head never changes.
    type: str = field(init=False, repr=False, compare=False)
    modality: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.type = self.mentions[0].type
        self.modality = self.mentions[0].modality

    @property
    def head(self) -> EventMention:
        # The mention that started the event (deaths and references that joined it later do not change its type).
        return self.mentions[0]

    @property
    def last_sentence(self) -> int:
        n, last = self._seen.get("sentence", (0, -1))
        if n == len(self.mentions):          # no mention joined since the last call
            return last
        for m in self.mentions[n:]:
            last = max(last, m.sentence)
        self._seen["sentence"] = (len(self.mentions), last)
        return last

    def date(self) -> Span | None:
        best = self._best("date", DATE_RANK, 4)
        return best if best is not None else self.context_date

    def location(self) -> Span | None:
        best = self._best("location", PLACE_RANK, 6)
        return best if best is not None else self.context_place

    def tolls(self, attribute: str) -> list:
        """The Quantity of every mention's ``attribute`` (fatalities, injuries) that has one, in mention order."""
        n, values = self._seen.get(attribute, (0, []))
        if n == len(self.mentions):
            return values
        values.extend(getattr(m, attribute).value for m in self.mentions[n:] if getattr(m, attribute) is not None)
        self._seen[attribute] = (len(self.mentions), values)
        return values

    def date_words(self) -> list[Span]:
        """Every mention's own date words: its date's, or those the missing publication date left unresolved."""
        n, words = self._seen.get("date_words", (0, []))
        if n == len(self.mentions):
            return words
        words.extend(w for m in self.mentions[n:] for w in (m.date or m.undated_words,) if w is not None)
        self._seen["date_words"] = (len(self.mentions), words)
        return words

    def target_heads(self) -> set[str]:
        """The last word of every target its mentions name ("the market", "a Christmas market": market)."""
        n, heads = self._seen.get("targets", (0, set()))
        if n == len(self.mentions):
            return heads
        heads.update(t.split()[-1] for x in self.mentions[n:] for t in x.targets)
        self._seen["targets"] = (len(self.mentions), heads)
        return heads

    def _best(self, attribute: str, rank: dict, default: int) -> Span | None:
        """The first mention's span of the most precise rank (as min() over all of them would choose)."""
        n, best = self._seen.get(attribute, (0, None))
        if n == len(self.mentions):          # no mention joined since the last call
            return best
        for m in self.mentions[n:]:
            span = getattr(m, attribute)
            if span is not None and (best is None or rank.get(span.value.precision, default)
                                     < rank.get(best.value.precision, default)):
                best = span
        self._seen[attribute] = (len(self.mentions), best)
        return best
