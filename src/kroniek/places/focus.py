"""Where a given toponym lies when the gazetteer has no name for it: a place named inside it, or the article's focus.

Only :func:`kroniek.places.geocode_spans` uses this: there the caller asserts that a span is a place (a street, a
venue, a neighbourhood, 'Dubai World Cup', 'Colorado State University'), and the question is where it is, not
whether it is one. :func:`kroniek.places.find_places` never reports a span the gazetteer does not know.

- A name inside the span, found by the detector run on the span alone (so a single weak word at its start,
  'Royal' of 'Royal Street', does not count, as at a sentence start): 'Dubai' in 'Dubai World Cup'. It is
  resolved with the rest of the article, like any mention.
- A given span whose every reading is a small place, none of them in the division of or near another place the
  article names ('Heathrow' in a London story: only small US towns), is treated like an unknown name when the
  focus lies elsewhere.
- Else the article's focus: the city the article names most often around the span (each mention weighted by
  its confidence and its nearness in the text; cities and finer first, then admin1 divisions, then countries); a street or a venue
  lies, as a rule, in the city the article is about there.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from ..records import Place
from .detect import Mention, detect_mentions, in_venue_name, is_strong_posting
from .lexicon import cues
from .gazetteer import ADMIN2, CITY, COUNTRY, REGION, Gazetteer
from .resolve import CLOSE_KM, haversine_km

__all__ = ["inner_mention", "focus_place", "lowered", "is_weak", "supported", "near", "INNER_CONFIDENCE", "FOCUS_CONFIDENCE"]

# Confidence factors of the two guesses: a contained name is usually where the venue is ('Dubai World Cup'), the
# focus is only where the article is ('Royal Street' in a New Orleans story). Not tuned on a corpus.
INNER_CONFIDENCE = 0.5
FOCUS_CONFIDENCE = 0.3
# How fast a mention's vote for the focus fades with its distance in characters from the span. On the tuned two
# thirds of GeoWebNews 300, 1,000 and 3,000 placed 102, 103 and 98 of 198 unknown spans right (no decay: 82);
# weighing each vote by its confidence then added 14 more right answers on that part (87.1 % -> 87.9 %).
FOCUS_DECAY_CHARS = 1000.0
# Tiers of precision the focus is chosen from, finest first.
_FOCUS_TIERS = (("site", "city", "admin2"), ("admin1",), ("country",))


def inner_mention(text: str, start: int, end: int, language: str, gazetteer: Gazetteer) -> Mention | None:
    """The first place name (else demonym) inside text[start:end], as a forced mention at its offsets in text."""
    # A weak name ('Street' of 'Royal Street', 'Marigny' of 'Faubourg Marigny': small towns) is no evidence here,
    # nor a name that a venue or a street is named after ('Hotel Kyjev', 'Northumberland Avenue').
    span, language_cues = text[start:end], cues(language if language in ("nl", "en") else "en")
    found = [m for m in detect_mentions(span, language, gazetteer)
             if not m.weak and not (_cities_only(gazetteer, m) and in_venue_name(span, m.start, m.end, language_cues))]
    if not found:
        return None
    mention = next((m for m in found if m.label == "place"), found[0])
    return Mention(start + mention.start, start + mention.end, mention.postings, mention.label, mention.compass,
                   forced=True)


def _same(place: Place, other: Place) -> bool:
    return (place.name, place.lat, place.lon) == (other.name, other.lat, other.lon)


def _cities_only(gazetteer: Gazetteer, mention: Mention) -> bool:
    return all(gazetteer.kind[p >> 1] == CITY for p in mention.postings)


def focus_place(placed: Sequence[tuple[int, Place]], at: int, skip: Place | None = None) -> Place | None:
    """The place the article names most often near character ``at`` (not counting a place named at ``at``
    itself, nor the reading ``skip`` wherever it is named), from its finest tier.

    Each mention counts its confidence / (1 + distance / FOCUS_DECAY_CHARS): a story that moves from one city to
    another puts a street in the city named around it, and a doubtful reading (a street's name read as a small
    town) votes less than a sure one. Ties: the first named."""
    for tier in _FOCUS_TIERS:
        weights: dict[tuple, float] = {}
        first: dict[tuple, Place] = {}
        for start, place in placed:
            if place.precision in tier and place.lat is not None and start != at and not (
                    skip is not None and _same(place, skip)):
                key = (place.geonames_id, place.name, place.lat, place.lon)
                weights[key] = weights.get(key, 0.0) + place.confidence / (1.0 + abs(start - at) / FOCUS_DECAY_CHARS)
                first.setdefault(key, place)
        if weights:
            best = max(weights.values())
            return next(place for key, place in first.items() if weights[key] == best)
    return None


def is_weak(gazetteer: Gazetteer, postings: tuple[int, ...]) -> bool:
    """Every reading of the name is a small place (as the detector judges a mention weak, but by size alone)."""
    # The main-name reading of each posting: 'Quebec City' names Québec (pop. 530,000) through an alternate name.
    return not any(gazetteer.kind[p >> 1] in (COUNTRY, REGION, ADMIN2) or is_strong_posting(gazetteer, p & ~1)
                   for p in postings)


def near(place: Place, other: Place) -> bool:
    return haversine_km(place.lat, place.lon, other.lat, other.lon) < CLOSE_KM


def supported(place: Place, placed: Sequence[tuple[int, Place]], at: int) -> bool:
    """Whether another place the article names (not at ``at``, nor a repetition of this reading: 'Heathrow' three
    times is no support for Heathrow, Florida) lies in the same division or within CLOSE_KM."""
    if place.lat is None:
        return True
    return any(start != at and other.lat is not None and not _same(other, place) and (
        place.admin1 is not None and other.admin1 == place.admin1 and other.country == place.country
        or near(place, other)) for start, other in placed)


def lowered(place: Place, factor: float) -> Place:
    """The place with its confidence scaled by ``factor`` (a guess about where an unknown name lies)."""
    return replace(place, confidence=round(place.confidence * factor, 3))
