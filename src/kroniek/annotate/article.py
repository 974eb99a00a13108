"""Annotation: every span group an event is built from, as character-offset spans into the article text.

Groups: sentences, dates, quantities, casualties, places, actors, persons, triggers, cues, weapons, targets.
Each annotator is a plain function of the text (and language, publication date); this module only runs them.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from ..records import AnnotatedArticle, Article, Span
from .actors import find_actors
from .casualties import find_casualties
from .dates import find_dates
from .lexicons import LEXICON_GROUPS, find_lexicon_spans
from .names import organisation_actors
from .persons import find_persons
from .quantities import find_quantities
from .sentences import split_sentences

__all__ = ["annotate_article", "GROUPS"]

GROUPS = ("dates", "quantities", "casualties", "places", "actors", "persons") + tuple(LEXICON_GROUPS)


def annotate_article(article: Article) -> AnnotatedArticle:
    """All span groups for an article whose language is set."""
    from ..places import find_places   # the gazetteer is its own component (kroniek.places)

    text, language = article.text, article.language or "en"
    quantities = find_quantities(text, language)
    places = find_places(text, language, publisher_country=None)
    # organisations the learned name tagger finds join the dictionary's actors (only with $KRONIEK_NAMES_MODEL)
    actors = organisation_actors(text, language, find_actors(text, language), places)
    spans = {
        "dates": find_dates(text, language, article.published),
        "quantities": quantities,
        "casualties": find_casualties(text, language, quantities),
        "places": places,
        "actors": actors,
        "persons": find_persons(text, language, actors),
        **find_lexicon_spans(text, language),
    }
    spans["places"], spans["persons"] = _settle_names(spans["places"], spans["persons"])
    # "een aanslag op een synagoge in de Verenigde Staten": a state's name after a locative preposition is the
    # country, not its government.
    actors = _countries_as_places(text, language, spans["places"], actors)
    spans["actors"] = actors
    # "US-led coalition", "Iraakse leger": a place inside an actor's name is part of the name.
    actor_starts = [a.start for a in actors]
    spans["places"] = tuple(p for p in spans["places"] if not _inside_any(p, actors, actor_starts))
    return AnnotatedArticle(article, split_sentences(text), spans)


# Prepositions after which a state's name is where something happened ("in de Verenigde Staten", "in the US").
_LOCATIVE = {"nl": re.compile(r"(?:^|\s)(?:in|in de|in het)\s+$", re.I),
             "en": re.compile(r"(?:^|\s)(?:in|in the)\s+$", re.I)}
PLACE_ACTOR_KINDS = frozenset({"government"})


def _countries_as_places(text: str, language: str, places: tuple[Span, ...], actors: tuple[Span, ...]
                         ) -> tuple[Span, ...]:
    """The actors that are not a country place named after a locative preposition."""
    pattern = _LOCATIVE.get(language)
    if pattern is None:
        return actors
    country_places = {(p.start, p.end) for p in places if p.value is not None and p.value.precision == "country"}
    return tuple(a for a in actors if not (a.value.kind in PLACE_ACTOR_KINDS and (a.start, a.end) in country_places
                                           and pattern.search(text[max(0, a.start - 10):a.start])))


def _inside_any(span: Span, spans: tuple[Span, ...], starts: list[int]) -> bool:
    """Whether `span` lies inside one of `spans` (sorted by start, not overlapping; `starts` their starts)."""
    i = bisect_right(starts, span.start) - 1
    return i >= 0 and spans[i].end >= span.end


def _settle_names(places: tuple[Span, ...], persons: tuple[Span, ...]) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """A place inside a longer person name is part of the name ("Ariana Grande", "Paris Hilton"); a person span
    that is exactly a place name is the place."""
    by_start = sorted(persons, key=lambda q: q.start)
    starts = [q.start for q in by_start]
    longest = max((q.end - q.start for q in persons), default=0)

    def inside_a_longer_name(p: Span) -> bool:
        # only persons that start at most `longest` characters before the place can hold it
        i = bisect_right(starts, p.start)
        j = bisect_left(starts, p.start - longest)
        return any(q.end >= p.end and (q.end - q.start) > (p.end - p.start) for q in by_start[j:i])

    kept_places = tuple(p for p in places if not inside_a_longer_name(p))
    place_spans = {(p.start, p.end) for p in kept_places}
    kept_persons = tuple(q for q in persons if (q.start, q.end) not in place_spans)
    return kept_places, kept_persons
