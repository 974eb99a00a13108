"""Modality of a trigger (EVENTS.md MODALITIES) from the cues around it (data: lexicons/modality.tsv)."""
from __future__ import annotations

import re

from ..ontology import FRAME_TYPES
from ..records import Span
from .clauses import clause_bounds, spans_within

__all__ = ["modality_of", "PRIORITY"]

AFTER_CALL_CHARS = 40     # "aanslag op een groot evenement te plegen" still binds the infinitive to the noun
CALL_TYPES = FRAME_TYPES | {"claim"}   # the infinitive is their content
PRIORITY = ("negated", "hypothetical", "future", "uncertain", "generic")
_INFINITIVE = re.compile(r"^(?:te|to)\s|\s(?:te|to)\s", re.I)


def _opens_clause(sentence: Span, cue: Span) -> bool:
    before = sentence.text[:cue.start - sentence.start].rstrip()
    return not before or before[-1] in ",;:(–—-\"'‘“"


def modality_of(trigger: Span, sentence: Span, cues: tuple[Span, ...]) -> str:
    """asserted, negated, uncertain, hypothetical, future or generic for the trigger in its sentence."""
    c_start, c_end = clause_bounds(sentence, trigger.start)
    found: set[str] = set()
    attempt = False
    neutral = [c for c in spans_within(cues, sentence.start, sentence.end) if c.label == "neutral"]
    for cue in spans_within(cues, sentence.start, sentence.end):
        if cue.label == "neutral" or any(n.start <= cue.start and cue.end <= n.end for n in neutral):
            continue
        in_clause = c_start <= cue.start and cue.end <= c_end
        scope = cue.value
        if cue.label == "attempt":
            attempt = attempt or cue.start <= trigger.start   # "probeert ... in te nemen", "begonnen te schieten"
            continue
        if cue.label == "attribution":
            continue    # doubts the perpetrator, not the event (see suspected_attribution)
        if scope == "before" and in_clause and cue.end <= trigger.start:
            found.add(cue.label)
        elif scope == "clause" and in_clause:
            found.add(cue.label)
        elif scope == "clause_start" and cue.end <= trigger.start and _opens_clause(sentence, cue):
            found.add(cue.label)
        elif scope == "sentence":
            found.add(cue.label)
        elif scope == "after_call" and in_clause and trigger.value.event_type not in CALL_TYPES and (
                cue.start <= trigger.start < cue.end
                                                       or 0 <= cue.start - trigger.end <= AFTER_CALL_CHARS):
            found.add(cue.label)   # "een aanslag te plegen", "aan te vallen": what is to be done
    if _INFINITIVE.search(trigger.text) and not attempt:
        found.add("future")
    if sentence.text.rstrip().endswith("?"):
        found.add("hypothetical")
    for modality in PRIORITY:
        if modality in found:
            return modality
    return "asserted"


def suspected_attribution(trigger: Span, sentence: Span, cues: tuple[Span, ...]) -> bool:
    """Whether the clause says who did it is only suspected ("verdacht van", "suspected of", "accused of")."""
    c_start, c_end = clause_bounds(sentence, trigger.start)
    return any(c.label == "attribution" and c_start <= c.start and c.end <= c_end
               for c in spans_within(cues, sentence.start, sentence.end))
