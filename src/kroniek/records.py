"""Typed, immutable records passed between the pipeline's stages.

The data flow (see ARCHITECTURE.md)::

    RawDocument -> Article -> Article(+language) -> AnnotatedArticle -> EventMention[] -> Event[]

Every stage returns a new record (or a :class:`Rejected` saying why), never mutates its input.
Annotations are character-offset :class:`Span` objects into ``Article.text``, kept in named groups
(``sentences``, ``places``, ``dates``, ``quantities``, ``actors``, ``triggers``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

__all__ = [
    "RawDocument", "Rejected", "Article", "Span", "DateValue", "Quantity", "Place", "ActorRef",
    "Trigger", "AnnotatedArticle", "Evidence", "ActorRole", "EventMention", "Source", "Event",
]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """Bytes as read from a source, with whatever metadata came beside them.

    ``media_type`` is ``"text"`` or ``"html"``; ``metadata`` keys: published, url, title, author,
    source (the outlet), language.
    """
    origin: str                      # a path, "path:line" or "-" (stdin); used in messages
    content: bytes
    media_type: str = "text"
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rejected:
    """A document that could not be used, and why (one line, naming the origin)."""
    origin: str
    code: str                        # stable code from kroniek.errors, e.g. "K101"
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason} [{self.code}]"


@dataclass(frozen=True, slots=True)
class Article:
    """Clean article text with its metadata; ``doc_id`` is a hash of the normalised text."""
    doc_id: str
    text: str
    origin: str
    title: str | None = None
    published: date | None = None
    url: str | None = None
    author: str | None = None
    outlet: str | None = None
    language: str | None = None
    encoding: str = "utf-8"          # how the input bytes were decoded (a legacy encoding is worth a notice)


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of ``Article.text`` with a normalised value and the name of what produced it."""
    start: int
    end: int
    text: str
    label: str = ""                  # group-specific kind, e.g. "city", "fatalities", "attack"
    value: Any = None                # DateValue, Quantity, Place, ActorRef, Trigger, ...
    producer: str = ""


@dataclass(frozen=True, slots=True)
class DateValue:
    start: date
    end: date
    precision: str                   # day | week | month | year | unknown
    resolved_from: str               # absolute | published | context


@dataclass(frozen=True, slots=True)
class Quantity:
    min: int | None
    max: int | None


@dataclass(frozen=True, slots=True)
class Place:
    name: str                        # canonical English name
    country: str | None              # ISO 3166-1 alpha-2
    admin1: str | None
    lat: float | None
    lon: float | None
    geonames_id: int | None
    precision: str                   # site | city | admin2 | admin1 | country | region | unknown
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class ActorRef:
    id: str | None                   # stable slug from the actor dictionary
    name: str                        # canonical English name
    kind: str                        # state_forces, non_state_armed_group, ... , civilians, person


@dataclass(frozen=True, slots=True)
class Trigger:
    event_type: str
    subtype: str | None = None
    weapons: tuple[str, ...] = ()
    needs_violence: bool = False     # a word that also names peaceful things ("aanval" in football)


@dataclass(frozen=True, slots=True)
class AnnotatedArticle:
    article: Article
    sentences: tuple[Span, ...]
    spans: Mapping[str, tuple[Span, ...]]   # group name -> spans sorted by start

    def group(self, name: str) -> tuple[Span, ...]:
        return self.spans.get(name, ())


@dataclass(frozen=True, slots=True)
class Evidence:
    doc_id: str
    start: int
    end: int
    quote: str
    field: str | None = None         # which field the span supports; None = the event itself


@dataclass(frozen=True, slots=True)
class ActorRole:
    role: str                        # perpetrator, opponent, target, victim, claimant, instigator, addressee
    name: str
    id: str | None
    kind: str | None
    attribution: str | None
    text: str


@dataclass(frozen=True, slots=True)
class EventMention:
    """One mention of an event in one sentence (or a sentence and its neighbours)."""
    doc_id: str
    type: str
    subtype: str | None
    modality: str
    sentence: int                    # index into AnnotatedArticle.sentences
    trigger: Span
    date: Span | None = None         # value: DateValue
    location: Span | None = None     # value: Place
    actors: tuple[ActorRole, ...] = ()
    weapons: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    fatalities: Span | None = None   # value: Quantity
    injuries: Span | None = None     # value: Quantity
    evidence: tuple[Evidence, ...] = ()
    refers_to_sentence: int | None = None   # for claims: sentence of the claimed event, if known
    confidence: float = 0.5
    reference: str = "specific"      # specific | anaphoric ("the attack") | generic ("attacks in the West")
    paragraph: int = 0               # index of the paragraph the sentence is in


@dataclass(frozen=True, slots=True)
class Source:
    doc_id: str
    url: str | None
    title: str | None
    outlet: str | None
    published: str | None


@dataclass(frozen=True, slots=True)
class Event:
    """A consolidated event: the record exported by ``kroniek export`` (see EVENTS.md)."""
    id: str
    type: str
    subtype: str | None
    modality: str
    date: Mapping[str, Any] | None
    location: Mapping[str, Any] | None
    actors: tuple[Mapping[str, Any], ...]
    weapons: tuple[str, ...]
    targets: tuple[str, ...]
    fatalities: Mapping[str, Any] | None
    injuries: Mapping[str, Any] | None
    related: tuple[Mapping[str, str], ...]
    evidence: tuple[Mapping[str, Any], ...]
    sources: tuple[Mapping[str, Any], ...]
    confidence: float
    merged_because: tuple[str, ...] = ()
    # The words that name the event in each mention ({doc_id, start, end, text}): "aanslag", "shot dead".
    triggers: tuple[Mapping[str, Any], ...] = ()
