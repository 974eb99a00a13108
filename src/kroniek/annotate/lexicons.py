"""Lexicon-driven annotators (data in data/lexicons/): event triggers, modality cues, weapons, targets, and the
cue words later stages ask about — violence words, plan words, lethal words, perpetrator nouns, verbs of
saying and reacting.

Each table is compiled once per language; `find_lexicon_spans` matches all of them in one pass over the tokens.
"""
from __future__ import annotations

from functools import lru_cache

from ..datafiles import read_tsv
from ..records import Span, Trigger
from .phrases import PhraseTable

__all__ = ["find_triggers", "find_cues", "find_weapons", "find_targets", "find_lexicon_spans", "LEXICON_GROUPS",
           "articles"]

# group name -> (file, how a row becomes (label, value))
LEXICON_GROUPS = {
    "triggers": ("triggers.tsv", lambda r: (r["form"] or "noun", Trigger(
        r["type"], r["subtype"] or None, tuple(w for w in r["weapons"].split(",") if w),
        needs_violence=r.get("needs") == "violence", outcome=r.get("outcome") or None))),
    "cues": ("modality.tsv", lambda r: (r["modality"], r["scope"])),
    "weapons": ("weapons.tsv", lambda r: (r["weapon"], r["weapon"])),
    "targets": ("targets.tsv", lambda r: (r["target"], r["target"])),
    "violence_words": ("violence_words.tsv", lambda r: ("violence", True)),
    "plan_cues": ("plan_cues.tsv", lambda r: ("plan", True)),
    "lethal_words": ("lethal_words.tsv", lambda r: ("lethal", True)),
    "perpetrator_nouns": ("perpetrator_nouns.tsv", lambda r: ("perpetrator", r["attribution"] or None)),
    "reaction_words": ("reaction_words.tsv", lambda r: ("reaction", True)),
    "comparison_cues": ("comparison_cues.tsv", lambda r: ("comparison", True)),
    "political_words": ("political_words.tsv", lambda r: ("political", True)),
    "accident_words": ("accident_words.tsv", lambda r: ("accident", True)),
    "casualty_denials": ("casualty_denials.tsv", lambda r: ("denial", True)),
    "combatant_words": ("combatant_words.tsv", lambda r: ("combatant", True)),
    "grievance_cues": ("grievance_cues.tsv", lambda r: ("grievance", True)),
    "serious_harm": ("serious_harm.tsv", lambda r: ("serious_harm", True)),
}


@lru_cache(maxsize=None)
def _table(group: str, language: str) -> PhraseTable:
    name, payload = LEXICON_GROUPS[group]
    return PhraseTable([(row["pattern"], payload(row)) for row in read_tsv("lexicons", name)
                        if row["language"] == language])


def _find(group: str, text: str, language: str) -> tuple[Span, ...]:
    return tuple(Span(m.start, m.end, m.text, m.payload[0], m.payload[1], group)
                 for m in _table(group, language).finditer(text))


@lru_cache(maxsize=None)
def _all_tables(language: str) -> PhraseTable:
    entries = []
    for group, (name, payload) in LEXICON_GROUPS.items():
        entries += [(row["pattern"], (group,) + payload(row)) for row in read_tsv("lexicons", name)
                    if row["language"] == language]
    return PhraseTable(entries, layer=lambda payload: payload[0])


def find_lexicon_spans(text: str, language: str) -> dict[str, tuple[Span, ...]]:
    """Every lexicon group for one text, in one pass over its tokens."""
    found: dict[str, list[Span]] = {group: [] for group in LEXICON_GROUPS}
    for m in _all_tables(language).finditer(text):
        group, label, value = m.payload
        found[group].append(Span(m.start, m.end, m.text, label, value, group))
    return {group: tuple(spans) for group, spans in found.items()}


def find_triggers(text: str, language: str) -> tuple[Span, ...]:
    """Event triggers; label = the trigger's grammatical form (noun, verb), value = Trigger."""
    return _find("triggers", text, language)


def find_cues(text: str, language: str) -> tuple[Span, ...]:
    """Modality cues; label = the modality, value = its scope (before, clause, clause_start, after_call)."""
    return _find("cues", text, language)


def find_weapons(text: str, language: str) -> tuple[Span, ...]:
    """Weapon words; label and value = the weapon class."""
    return _find("weapons", text, language)


def find_targets(text: str, language: str) -> tuple[Span, ...]:
    """Words naming what was attacked; label and value = the normalised target."""
    return _find("targets", text, language)


@lru_cache(maxsize=None)
def articles(language: str, kind: str | None = None) -> tuple[str, ...]:
    """The language's articles (lexicons/articles.tsv), of one kind ("definite", "indefinite") or both."""
    return tuple(row["word"] for row in read_tsv("lexicons", "articles.tsv")
                 if row["language"] == language and kind in (None, row["kind"]))
