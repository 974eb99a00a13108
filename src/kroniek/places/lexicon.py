"""The hand-made place knowledge in ``data/places/`` (exonyms, regions, demonyms, cue words), loaded once."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..datafiles import read_tsv

__all__ = ["normalise", "Cues", "cues", "given_names", "common_words", "LANGUAGES"]

LANGUAGES = ("nl", "en")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise(name: str) -> str:
    """The lookup key of a name: case-folded, accents removed, punctuation and hyphens as single spaces.

    'Tall ‘Afar', "Tal-Afar" and "TAL AFAR" differ; 'Côte d'Ivoire' -> 'cote d ivoire'; "'s-Hertogenbosch"
    -> 's hertogenbosch'. Text tokens are normalised the same way, so both sides always agree.
    """
    folded = unicodedata.normalize("NFKD", name.casefold())
    ascii_only = "".join(ch for ch in folded if not unicodedata.combining(ch))
    ascii_only = ascii_only.replace("ß", "ss").replace("ø", "o").replace("æ", "ae").replace("ı", "i").replace("ł", "l")
    return _NON_ALNUM.sub(" ", ascii_only).strip()


@dataclass(frozen=True)
class Cues:
    """Context words of one language (see cues.tsv for what each kind means)."""
    titles: frozenset[str]
    locatives: frozenset[str]
    compass: dict[str, str]          # word -> English direction
    articles: frozenset[str]
    org_heads: frozenset[str]
    speech: frozenset[str]
    venues: frozenset[str] = frozenset()     # words before a name that make it a venue's ('Hotel Kyjev')
    streets: frozenset[str] = frozenset()    # words after a name that make it a street's ('Oxford Street')
    links: frozenset[str] = frozenset()      # words between a venue word and its name ('Stade de France')
    site_heads: frozenset[str] = frozenset()  # org heads of a building or ground ('Manchester Arena')
    events: frozenset[str] = frozenset()     # event nouns whose "van"/"of" is locative ('de schietpartij van Luik')
    event_links: frozenset[str] = frozenset()  # that "van"/"of"


@lru_cache(maxsize=None)
def cues(language: str) -> Cues:
    """The cue words of ``language`` ("nl" or "en"), lower case."""
    kinds: dict[str, dict[str, str]] = {}
    for row in read_tsv("places", "cues.tsv"):
        if row["lang"] == language:
            kinds.setdefault(row["kind"], {})[row["word"].casefold()] = row["value"]
    return Cues(
        titles=frozenset(kinds.get("title", {})),
        locatives=frozenset(kinds.get("locative", {})),
        compass=dict(kinds.get("compass", {})),
        articles=frozenset(kinds.get("article", {})),
        org_heads=frozenset(kinds.get("orghead", {})),
        site_heads=frozenset(w for w, value in kinds.get("orghead", {}).items() if value == "site"),
        speech=frozenset(kinds.get("speech", {})),
        venues=frozenset(kinds.get("venue", {})),
        streets=frozenset(kinds.get("street", {})),
        links=frozenset(kinds.get("link", {})),
        events=frozenset(kinds.get("event", {})),
        event_links=frozenset(kinds.get("event_link", {})),
    )


@lru_cache(maxsize=None)
def given_names(language: str) -> frozenset[str]:
    """Frequent given names in news of ``language`` (both languages' lists apply: names travel)."""
    return frozenset(row["name"] for row in read_tsv("places", "given_names.tsv"))


@lru_cache(maxsize=None)
def common_words(language: str) -> frozenset[str]:
    """Lower-case words of ``language`` that are also the normalised name of a place ('reading', 'door')."""
    return frozenset(row["word"] for row in read_tsv("places", "common_words.tsv") if row["lang"] == language)
