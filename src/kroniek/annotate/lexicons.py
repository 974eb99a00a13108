"""Lexicon-driven annotators: event triggers, modality cues, weapons and targets (data in data/lexicons/)."""
from __future__ import annotations

from functools import lru_cache

from ..datafiles import read_tsv
from ..records import Span, Trigger
from .phrases import PhraseTable

__all__ = ["find_triggers", "find_cues", "find_weapons", "find_targets"]


@lru_cache(maxsize=None)
def _table(name: str, language: str) -> PhraseTable:
    entries = []
    for row in read_tsv("lexicons", name):
        if row["language"] != language:
            continue
        if name == "triggers.tsv":
            weapons = tuple(w for w in row["weapons"].split(",") if w)
            payload = (row["form"] or "noun", Trigger(row["type"], row["subtype"] or None, weapons))
        elif name == "modality.tsv":
            payload = (row["modality"], row["scope"])
        elif name == "weapons.tsv":
            payload = (row["weapon"], row["weapon"])
        else:
            payload = (row["target"], row["target"])
        entries.append((row["pattern"], payload))
    return PhraseTable(entries)


def _find(name: str, text: str, language: str, producer: str) -> tuple[Span, ...]:
    return tuple(Span(m.start, m.end, m.text, m.payload[0], m.payload[1], producer)
                 for m in _table(name, language).finditer(text))


def find_triggers(text: str, language: str) -> tuple[Span, ...]:
    """Event triggers; label = the trigger's grammatical form (noun, verb), value = Trigger."""
    return _find("triggers.tsv", text, language, "triggers")


def find_cues(text: str, language: str) -> tuple[Span, ...]:
    """Modality cues; label = the modality, value = its scope (before, clause, sentence, after_call)."""
    return _find("modality.tsv", text, language, "modality")


def find_weapons(text: str, language: str) -> tuple[Span, ...]:
    """Weapon words; label and value = the weapon class."""
    return _find("weapons.tsv", text, language, "weapons")


def find_targets(text: str, language: str) -> tuple[Span, ...]:
    """Words naming what was attacked; label and value = the normalised target."""
    return _find("targets.tsv", text, language, "targets")
