"""The MUC-4 role-filler metric of GRIT (Du, Rush and Cardie, EACL 2021), reimplemented exactly.

Per document and role, gold entities are clusters of coreferent mention strings and each predicted
entity is a list of mention strings. After normalisation (lower case, punctuation removed, the
articles a/an/the removed, whitespace collapsed) a predicted entity scores 1 against a gold entity
when every one of its mentions is among that gold entity's mentions, else 0 (GRIT's ``phi_strict``).
Predicted and gold entities are matched one-to-one to maximise the total score (Hungarian
assignment). Precision = total / predicted entities, recall = total / gold entities, summed over all
gold documents (documents without any template count too); micro = the sums over the five roles.

Quirks kept on purpose, because they are GRIT's: a predicted entity with no mentions scores 1
against any gold entity; gold entities without mentions are dropped; ``p`` is 0 when its numerator is 0.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

__all__ = [
    "ROLES", "RoleScore", "normalise_mention", "grit_docid", "gold_entities", "incident_types",
    "entity_score", "match_score", "score_documents", "incident_accuracy",
]

ROLES: tuple[str, ...] = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")

_ARTICLES = re.compile(r"\b(a|an|the)\b", re.UNICODE)
_PUNCTUATION = frozenset(string.punctuation)

Entities = Sequence[Sequence[str]]          # one role: entities, each a list of mention strings


def normalise_mention(mention: str) -> str:
    """Normalise a mention as GRIT does: lower, drop ASCII punctuation, drop articles, collapse spaces."""
    text = "".join(ch for ch in mention.lower() if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def grit_docid(docid: str | int) -> str:
    """The key under which GRIT files a document: TST3-MUC4-0001 -> "30001"; numbers pass through.

    GRIT numbers a document as (last character of the id's first part) x 10000 + its final number.
    Ids where that is not possible (e.g. DEV-MUC3-0001, whose first part ends in a letter) keep their
    string form, so train documents still get a unique key.
    """
    if isinstance(docid, int):
        return str(docid)
    text = str(docid).strip()
    if text.isdigit():
        return str(int(text))
    parts = text.split("-")
    last = re.match(r"\d+", parts[-1]) if len(parts) > 1 else None   # "0001 (NCCOSC)" -> 0001
    if parts[0][-1:].isdigit() and last:
        return str(int(parts[0][-1]) * 10000 + int(last.group()))
    return text


def _mention_text(mention: Any) -> str:
    # Gold files store [mention, offset] pairs; predictions store bare strings.
    return mention[0] if isinstance(mention, (list, tuple)) else str(mention)


def _is_subset(small: Sequence[str], large: Sequence[str]) -> bool:
    return all(m in large for m in small)


def gold_entities(record: Mapping[str, Any]) -> dict[str, list[list[str]]]:
    """Gold entities per role from one GRIT (``extracts``) or GTT (``templates``) record.

    With GTT, a document's fillers are the union over its templates, merged as GRIT's own
    preprocessing did: an entity is added unless it is a subset or superset of one already kept
    (templates in order). On the shared dev split this reproduces GRIT's ``extracts`` exactly.
    """
    result: dict[str, list[list[str]]] = {role: [] for role in ROLES}
    if "extracts" in record:
        for role in ROLES:
            for entity in record["extracts"].get(role, ()):
                mentions = [_mention_text(m) for m in entity]
                if mentions:
                    result[role].append(mentions)
        return result
    if "templates" not in record:
        raise ValueError("a gold record needs 'extracts' (GRIT) or 'templates' (GTT)")
    for template in record["templates"]:
        for role in ROLES:
            kept = result[role]
            for entity in template.get(role, ()):
                mentions = [_mention_text(m) for m in entity]
                if mentions and not any(_is_subset(mentions, e) or _is_subset(e, mentions) for e in kept):
                    kept.append(mentions)
    return result


def incident_types(record: Mapping[str, Any]) -> frozenset[str] | None:
    """Gold incident types of a GTT record (upper case; "BOMBING / ATTACK" gives both); None for GRIT."""
    if "templates" not in record:
        return None
    found: set[str] = set()
    for template in record["templates"]:
        for part in str(template.get("incident_type", "")).split("/"):
            if part.strip():
                found.add(part.strip().upper())
    return frozenset(found)


def entity_score(predicted: Sequence[str], gold: Sequence[str]) -> int:
    """1 when every predicted mention is one of the gold entity's mentions, else 0 (normalised input)."""
    return int(all(m in gold for m in predicted))


def match_score(predicted: Entities, gold: Entities) -> float:
    """Best one-to-one total of :func:`entity_score` between predicted and gold entities."""
    if not predicted or not gold:
        return 0.0
    scores = np.zeros((len(gold), len(predicted)))
    for i, gold_entity in enumerate(gold):
        for j, predicted_entity in enumerate(predicted):
            scores[i, j] = entity_score(predicted_entity, gold_entity)
    rows, cols = linear_sum_assignment(-scores)
    return float(scores[rows, cols].sum())


@dataclass
class RoleScore:
    """Counts behind one role's (or the micro average's) precision and recall."""
    matched: float = 0.0          # total of the one-to-one matching (numerator of P and of R)
    predicted: int = 0            # denominator of precision
    gold: int = 0                 # denominator of recall

    @property
    def precision(self) -> float:
        return 0.0 if self.matched == 0 else self.matched / self.predicted

    @property
    def recall(self) -> float:
        return 0.0 if self.matched == 0 else self.matched / self.gold

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def _normalised(entities: Iterable[Sequence[Any]]) -> list[list[str]]:
    return [[normalise_mention(_mention_text(m)) for m in entity] for entity in entities]


def score_documents(
    predictions: Mapping[Any, Mapping[str, Entities]],
    golds: Mapping[Any, Mapping[str, Entities]],
) -> dict[str, RoleScore]:
    """Score predicted against gold entities; returns one RoleScore per role plus ``"micro"``.

    Both mappings are keyed by document id (string ids or GRIT numbers, matched via
    :func:`grit_docid`). Every gold document is scored; a gold document without predictions counts
    as predicting nothing; predictions for documents absent from the gold are ignored (as in GRIT).
    """
    by_key = {grit_docid(k): v for k, v in predictions.items()}
    result = {role: RoleScore() for role in ROLES}
    for docid, gold in golds.items():
        predicted = by_key.get(grit_docid(docid), {})
        for role in ROLES:
            gold_role = _normalised(gold.get(role, ()))
            predicted_role = _normalised(predicted.get(role, ()))
            counts = result[role]
            counts.matched += match_score(predicted_role, gold_role)
            counts.predicted += len(predicted_role)
            counts.gold += len(gold_role)
    result["micro"] = RoleScore(
        matched=sum(result[r].matched for r in ROLES),
        predicted=sum(result[r].predicted for r in ROLES),
        gold=sum(result[r].gold for r in ROLES),
    )
    return result


def incident_accuracy(
    predicted: Mapping[Any, Sequence[str]], gold: Mapping[Any, frozenset[str]]
) -> tuple[int, int]:
    """(correct, total) incident-type decisions over the gold documents.

    A document with gold templates is correct when the system's first (most prominent) predicted
    type is one of the gold types; a document without templates is correct when the system
    predicts no incident. Types are MUC-4 names in upper case.
    """
    by_key = {grit_docid(k): v for k, v in predicted.items()}
    correct = 0
    for docid, gold_types in gold.items():
        types = list(by_key.get(grit_docid(docid), ()))
        if gold_types:
            correct += bool(types) and types[0].upper() in gold_types
        else:
            correct += not types
    return correct, len(gold)
