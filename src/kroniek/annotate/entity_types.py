"""The entities Kroniek's rule finders give a text (actors, persons, places), typed as CoNLL's PER, ORG, LOC and MISC
through `data/crosswalks/ner_labels.tsv`: what `kroniek eval ner` scores, and what the learned name tagger
(annotate/names.py) reads as features when it is trained with them."""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, Mapping, Sequence

from ..datafiles import read_tsv
from ..records import Span
from .actors import actor_entries, find_actors
from .persons import find_persons

__all__ = ["Finder", "PRIORITY", "entity_type", "predict_sentence", "load_finders"]

PRIORITY = {"places": 0, "persons": 1, "actors": 2, "names": 3}

Finder = Callable[[str, str], Sequence[Span]]


@lru_cache(maxsize=1)
def _crosswalk() -> tuple[dict[tuple[str, str], str], set[tuple[str, str]]]:
    mapping: dict[tuple[str, str], str] = {}
    names_only: set[tuple[str, str]] = set()
    for row in read_tsv("crosswalks", "ner_labels.tsv"):
        key = (row["producer"], row["label"])
        mapping[key] = row["ner"]
        if row["names_only"] == "yes":
            names_only.add(key)
    return mapping, names_only


@lru_cache(maxsize=1)
def _generic_actor_ids() -> frozenset[str]:
    return frozenset(str(e["id"]) for e in actor_entries() if e.get("generic"))


def _looks_like_a_name(text: str) -> bool:
    """Its last word starts with a capital: "Boko Haram", "al-Qaeda", not "Iraakse leger" or "IS-strijders"."""
    last = text.split()[-1].split("-")[-1] if text.split() else ""
    return last[:1].isupper()


def entity_type(producer: str, span: Span) -> str | None:
    """The CoNLL type of a Kroniek span through the crosswalk, or None when it is not a named entity."""
    if producer == "actors" and getattr(span.value, "id", None) in _generic_actor_ids():
        return None
    mapping, names_only = _crosswalk()
    key = (producer, span.label) if (producer, span.label) in mapping else (producer, "*")
    kind = mapping.get(key)
    if kind in (None, "-"):
        return None
    if key in names_only and not _looks_like_a_name(span.text):
        return None
    return kind


def predict_sentence(text: str, finders: Mapping[str, Finder], language: str = "nl") -> list[tuple[int, int, str]]:
    """Typed, non-overlapping (start, end, type) entity spans Kroniek's finders give for ``text``."""
    found: list[tuple[int, int, int, str]] = []     # (start, end, priority, type)
    places: Sequence[Span] = ()
    if "places" in finders:
        places = finders["places"](text, language)
    actors = finders["actors"](text, language) if "actors" in finders else ()
    persons: Sequence[Span] = ()
    if "persons" in finders:
        # Only actors block a name; where a name and a place overlap, the longer span wins below. Measured on
        # testa: blocking names at places too cost 1.2 points of overall F1 (it cut names that contain a town).
        persons = finders["persons"](text, language, [*actors])      # type: ignore[call-arg]
    names = finders["names"](text, language) if "names" in finders else ()
    for producer, spans in (("places", places), ("persons", persons), ("actors", actors), ("names", names)):
        for span in spans:
            kind = span.label if producer == "names" else entity_type(producer, span)
            if kind is not None:
                found.append((span.start, span.end, PRIORITY[producer], kind))
    found.sort(key=lambda s: (-(s[1] - s[0]), s[2], s[0]))
    chosen: list[tuple[int, int, str]] = []
    for start, end, _, kind in found:
        if all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, kind))
    return sorted(chosen)


def load_finders(with_places: bool = True) -> dict[str, Finder]:
    """The finders to run: actors and persons always; places when kroniek.places can be imported."""
    finders: dict[str, Finder] = {"actors": find_actors, "persons": find_persons}
    if with_places:
        try:
            from kroniek.places import find_places
        except ImportError:                # the place finder is optional for this benchmark
            find_places = None
        if find_places is not None:
            finders["places"] = find_places
    return finders
