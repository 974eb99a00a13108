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

import msgspec

__all__ = [
    "RawDocument", "Rejected", "Article", "Span", "DateValue", "Quantity", "Place", "ActorRef",
    "Trigger", "AnnotatedArticle", "ActorRole", "EventMention",
    "Evidence", "DateRange", "Location", "EventActor", "Count", "Relation", "Source", "TriggerWord", "Event",
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
    outcome: str | None = None       # GTD's success the words imply ("defused": failed)


@dataclass(frozen=True, slots=True)
class AnnotatedArticle:
    article: Article
    sentences: tuple[Span, ...]
    spans: Mapping[str, tuple[Span, ...]]   # group name -> spans sorted by start

    def group(self, name: str) -> tuple[Span, ...]:
        return self.spans.get(name, ())


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
    outcome: str | None = None       # succeeded | failed | foiled (GTD's success): "defused", "failed to explode"
    # its own date words where the article has no publication date to resolve them against ("donderdagavond",
    # "afgelopen november"): no date, but they can still tell two events apart (consolidate/undated.py)
    undated_words: Span | None = None


# -- the event record (EVENTS.md) -------------------------------------------------------------------------------------
# msgspec Structs: typed, immutable, and encoded to (or decoded from) the EVENTS.md JSON by kroniek.eventjson in one
# C call, which is what the store, the exports and the API do with every event. Field order is the export's key order.

class Evidence(msgspec.Struct, frozen=True):
    """The exact words of a document that support an event (``field`` None) or one of its fields."""
    doc_id: str
    start: int
    end: int
    quote: str
    field: str | None = None


class DateRange(msgspec.Struct, frozen=True):
    start: date
    end: date
    precision: str                   # ontology.DATE_PRECISIONS
    text: str | None = None          # the words it came from
    resolved_from: str | None = None  # absolute | published | context


class Location(msgspec.Struct, frozen=True):
    name: str | None
    country: str | None              # ISO 3166-1 alpha-2
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    precision: str = "unknown"       # ontology.PLACE_PRECISIONS
    text: str | None = None


class EventActor(msgspec.Struct, frozen=True, omit_defaults=True):
    role: str                        # ontology.ROLES
    name: str                        # canonical English name
    id: str | None                   # slug from the actor dictionary
    kind: str | None                 # ontology.ACTOR_KINDS
    attribution: str | None          # confirmed | claimed | suspected
    text: str | None                 # the words that name it
    # Set only for an actor a learned model added (and then written out): which model, and how sure it was.
    producer: str | None = None
    confidence: float | None = None


class Count(msgspec.Struct, frozen=True):
    """An honest range: ``min`` the most conservative figure the text supports, ``max`` only where it bounds it."""
    min: int | None
    max: int | None = None
    text: str | None = None


class Relation(msgspec.Struct, frozen=True):
    relation: str                    # ontology.RELATIONS
    event_id: str


class Source(msgspec.Struct, frozen=True):
    doc_id: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: date | None = None


class TriggerWord(msgspec.Struct, frozen=True):
    """The words that name the event in one mention ("aanslag", "shot dead")."""
    doc_id: str
    start: int
    end: int
    text: str


class Event(msgspec.Struct, frozen=True):
    """A consolidated event: the record exported by ``kroniek export`` (EVENTS.md v1.1)."""
    id: str
    type: str
    subtype: str | None
    modality: str
    date: DateRange | None = None
    location: Location | None = None
    actors: tuple[EventActor, ...] = ()
    weapons: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    fatalities: Count | None = None
    injuries: Count | None = None
    related: tuple[Relation, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    sources: tuple[Source, ...] = ()
    confidence: float = 0.5
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    gtd_attack_type: str | None = None
    gtd_weapon_types: tuple[str, ...] = ()
    outcome: str | None = None       # succeeded | failed | foiled (GTD's success)
    merged_because: tuple[str, ...] = ()
    triggers: tuple[TriggerWord, ...] = ()
