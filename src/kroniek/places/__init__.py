"""Place resolution: find the places a Dutch or English text names and resolve each to a gazetteer entry.

    >>> from kroniek.places import find_places
    >>> [(s.text, s.value.name) for s in find_places("Een aanslag in Oost-Mosoel.", "nl")]
    [('Oost-Mosoel', 'Mosul')]

How it works and what it measures: docs/PLACES.md.
"""
from __future__ import annotations

from typing import Sequence

from ..ontology import PLACE_RANK
from ..records import Place, Span
from .detect import Mention, detect_mentions, elliptic_postings, is_dateline
from .focus import FOCUS_CONFIDENCE, INNER_CONFIDENCE, focus_place, inner_mention, is_weak, lowered, near, supported
from .gazetteer import load_gazetteer, name_words
from .lexicon import cues, normalise
from .resolve import haversine_km, resolve_mentions

__all__ = ["find_places", "geocode_spans", "most_specific_place", "load_gazetteer", "haversine_km"]

PRODUCER = "gazetteer"
_TAIL_ABBREVIATIONS = name_words("tail")   # 'Plymouth Co.' is Plymouth County: name_words.tsv
_GENERIC_TAILS = ("county", "parish", "district", "province", "region", "state", "city", "governorate")


def find_places(text: str, language: str, *, publisher_country: str | None = None) -> tuple[Span, ...]:
    """Place mentions in ``text``, sorted by start.

    Args:
        text: the article text (normal, all-lower or all-upper case).
        language: "nl" or "en".
        publisher_country: ISO alpha-2 country of the publication, a tie-breaker ('Limburg' from a Belgian
            outlet), or None.
    Returns:
        Spans with ``label`` "place" (a name: 'Berlijn', 'Oost-Mosoel') or "demonym" (an adjective:
        'Iraakse', 'Iraqi'), ``value`` a :class:`~kroniek.records.Place` and ``producer`` "gazetteer".
    """
    gazetteer = load_gazetteer()
    mentions = detect_mentions(text, language, gazetteer)
    resolved = resolve_mentions(mentions, gazetteer, text, publisher_country and publisher_country.upper())
    return tuple(Span(m.start, m.end, text[m.start:m.end], m.label, place, PRODUCER) for m, place in resolved)


def geocode_spans(text: str, spans: Sequence[tuple[int, int]], language: str, *,
                  publisher_country: str | None = None, fallback: bool = True) -> list[Place | None]:
    """Resolve given toponym spans (e.g. gold annotations) in the context of the whole text.

    Each span is resolved as a place whatever the detector would say of it; the places the detector finds
    elsewhere still serve as context. A span the gazetteer has no name for (a street, a venue, 'Dubai World
    Cup') takes, with ``fallback``, the place a name inside it resolves to ('Dubai'), else the article's focus
    (:func:`kroniek.places.focus.focus_place`), at a lower confidence. Returns one Place (or None) per span.
    """
    gazetteer = load_gazetteer()
    detected = [m for m in detect_mentions(text, language, gazetteer)
                if not any(m.start < end and start < m.end for start, end in spans)]
    forced: dict[tuple[int, int], Mention] = {}
    inner: dict[tuple[int, int], Mention] = {}
    for start, end in spans:
        postings, label = _lookup(gazetteer, text[start:end], language)
        key = normalise(text[start:end])
        if key in cues(language).compass:           # 'Eastern' of "Eastern and Southern Europe"
            postings = elliptic_postings(gazetteer, key, text, end, cues(language)) or postings
        if postings:
            forced[(start, end)] = Mention(start, end, postings, label, forced=True,
                                           dateline=is_dateline(text, start, end))
        elif fallback:
            found = inner_mention(text, start, end, language, gazetteer)
            if found is not None:
                inner[(start, end)] = found
    mentions = sorted(detected + list(forced.values()) + list(inner.values()), key=lambda m: (m.start, m.end))
    # One span may be given twice; resolve_mentions keeps order, so map by identity.
    publisher = publisher_country.upper() if publisher_country else None
    resolved = resolve_mentions(mentions, gazetteer, text, publisher)
    places = {id(m): place for m, place in resolved}
    found_places: list[Place | None] = []
    guesses = {id(m) for m in inner.values()}
    placed = [(m.start, place) for m, place in resolved if id(m) not in guesses]
    for s, e in spans:
        if (s, e) in forced:
            place = places.get(id(forced[(s, e)]))
            if fallback and place is not None and is_weak(gazetteer, forced[(s, e)].postings) \
                    and not supported(place, placed, s):
                # Only small places of that name, none near anything else the article names: an unknown local
                # feature ('Heathrow' in a London story is no town in Florida) lies where the article is.
                focus = focus_place(placed, s, skip=place)
                if focus is not None and not near(place, focus):
                    place = lowered(focus, FOCUS_CONFIDENCE)
            found_places.append(place)
        elif (s, e) in inner and id(inner[(s, e)]) in places:
            found_places.append(lowered(places[id(inner[(s, e)])], INNER_CONFIDENCE))
        else:
            focus = focus_place(placed, s) if fallback else None
            found_places.append(lowered(focus, FOCUS_CONFIDENCE) if focus is not None else None)
    return found_places


def most_specific_place(spans: Sequence[Span], start: int = 0, end: int | None = None) -> Span | None:
    """The most specific place span inside [start, end): names before demonyms, then finest precision.

    For an event, pass the character range of its evidence: the location is the finest place that
    evidence names ('Oost-Mosoel' over 'Irak'), not the first place in the article.
    """
    inside = [s for s in spans if s.start >= start and (end is None or s.end <= end) and isinstance(s.value, Place)]
    if not inside:
        return None
    return min(inside, key=lambda s: (s.label != "place", PLACE_RANK.get(s.value.precision, len(PLACE_RANK)),
                                      -s.value.confidence, s.start))


def _lookup(gazetteer, surface: str, language: str) -> tuple[tuple[int, ...], str]:
    """Postings for a given surface form: the name, its possessive-free form, a demonym, a generic head."""
    stripped = surface.strip().removesuffix("'s").removesuffix("’s")
    if stripped in gazetteer.cased:
        return tuple(e * 2 for e in gazetteer.cased[stripped]), "place"
    key = normalise(stripped)
    if stripped.endswith(".") and key in gazetteer.abbrev:   # 'Ky.', 'Mo.': the state, not a town called Mo
        return tuple(e * 2 for e in gazetteer.abbrev[key]), "place"
    for table in (gazetteer.demonyms.get(language, {}), *gazetteer.demonyms.values()):
        if key in table:
            return (table[key] * 2,), "demonym"
    postings = gazetteer.postings(key) or tuple(e * 2 for e in gazetteer.abbrev.get(key, ()))
    if postings:
        return postings, "place"
    words = key.split()
    if len(words) > 1 and words[-1] in _TAIL_ABBREVIATIONS:   # 'Plymouth Co.' is Plymouth County
        words[-1] = _TAIL_ABBREVIATIONS[words[-1]]
        postings = gazetteer.postings(" ".join(words))
        if postings:
            return postings, "place"
    if len(words) > 1 and words[-1] in _GENERIC_TAILS:
        return gazetteer.postings(" ".join(words[:-1])), "place"
    return (), "place"
