"""The role-filler model at inference: plain numpy over weights in ``data/models/muc4_roles.npz``.

For every candidate span (:mod:`kroniek.roles.candidates`) and role, two logistic scores are
combined: a *span* score from the span's own features, and an *entity* score from the union of the
features of every occurrence of the same words in the document (so a name mentioned three times is
judged on all three contexts). The entity's probability is ``mix * entity + (1 - mix) * best span``.
Entities above the role's threshold are kept, best first; one whose words are all among (or
include all of) a better one's of the same role is dropped, and ``long name (ACRONYM)`` pairs become one
entity. Weights come from ``kroniek train muc4`` (:mod:`kroniek.train.muc4`).
"""
from __future__ import annotations

import json
import re
import string
from itertools import chain
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
from scipy import sparse

from kroniek.records import Span
from kroniek.roles.clusters import cluster_features
from kroniek.roles.candidates import candidate_spans, closed_class_words
from kroniek.roles.features import load_lexicon, span_feature_ids
from kroniek.roles.relevance import Relevance, document_relevance
from kroniek.roles.tokens import Tokens, tokenise

__all__ = ["ROLE_NAMES", "RoleModel", "load_model", "mention_key", "predict_role_fillers", "score_entities",
           "acronym_pairs", "choose_entities", "gate_score", "DEFAULT_MODEL"]

# Product role names, in the order of the weight columns.
ROLE_NAMES = ("perpetrator_individual", "perpetrator_organisation", "target", "victim", "weapon")
DEFAULT_MODEL = "muc4_roles.npz"
PRODUCER = "roles.muc4"
_STRIP = str.maketrans("", "", string.punctuation)
_ARTICLES = frozenset(("a", "an", "the"))
_ACRONYM = re.compile(r"^[a-z][a-z0-9-]{1,11}$")


@dataclass(frozen=True)
class RoleModel:
    """One set of weights: span and entity logistic scores per role, and how to find candidates."""
    vocabulary: Mapping[str, int]        # feature name -> row of ``weights``
    span_weights: np.ndarray             # (features, roles), C-contiguous float32
    entity_weights: np.ndarray           # (features, roles)
    intercepts: np.ndarray               # (2 * roles,)
    thresholds: tuple[float, ...]        # per role, on the mixed probability
    mix: float                           # weight of the entity score
    lexical: bool                        # word-identity features in use
    language: str                        # the language the lexical features were trained on
    bad_start: frozenset[str]
    bad_end: frozenset[str]
    common_words: frozenset[str] | None
    max_tokens: int
    aliases: frozenset[tuple[str, str]] = frozenset()    # (acronym key, long-name key) known from training
    relevance: Relevance | None = None                   # document gate's word weights; None: no gate
    relevance_gate: float | None = None                  # gate score below which a document gets no fillers
    clusters: Mapping[str, tuple[str, ...]] | None = None   # word -> cluster labels (kroniek.roles.clusters)


def mention_key(words: Sequence[str]) -> str:
    """The GRIT normal form of a run of lower-cased tokens (punctuation and articles removed)."""
    kept = []
    for word in words:
        stripped = word.translate(_STRIP)
        if stripped and stripped not in _ARTICLES:
            kept.append(stripped)
    return " ".join(kept)


def _read(arrays: Mapping[str, np.ndarray], prefix: str) -> RoleModel:
    config = json.loads(str(arrays[prefix + "config"]))
    names = arrays[prefix + "vocabulary"].tolist()
    weights = arrays[prefix + "weights"].astype(np.float32)
    roles = len(config["thresholds"])
    common = arrays.get(prefix + "common_words")
    aliases = arrays.get(prefix + "aliases")
    clusters = None
    if prefix + "cluster_words" in arrays:
        clusters = cluster_features(dict(zip(arrays[prefix + "cluster_words"].tolist(),
                                             arrays[prefix + "cluster_ids"].tolist())))
    relevance = None
    if prefix + "relevance_weights" in arrays and config.get("relevance_gate") is not None:
        relevance = Relevance(
            vocabulary={w: i for i, w in enumerate(arrays[prefix + "relevance_vocabulary"].tolist())},
            idf=arrays[prefix + "relevance_idf"].astype(np.float64),
            weights=arrays[prefix + "relevance_weights"].astype(np.float64),
            intercept=float(arrays[prefix + "relevance_intercept"][0]),
        )
    return RoleModel(
        vocabulary={name: i for i, name in enumerate(names)},
        span_weights=np.ascontiguousarray(weights[:, :roles]),
        entity_weights=np.ascontiguousarray(weights[:, roles:]),
        intercepts=arrays[prefix + "intercepts"].astype(np.float32),
        thresholds=tuple(config["thresholds"]),
        mix=float(config["mix"]),
        lexical=bool(config["lexical"]),
        language=config["language"],
        bad_start=frozenset(arrays[prefix + "bad_start"].tolist()),
        bad_end=frozenset(arrays[prefix + "bad_end"].tolist()),
        common_words=frozenset(common.tolist()) if common is not None and config["lexical"] else None,
        max_tokens=int(config["max_tokens"]),
        aliases=frozenset(tuple(pair.split("\t", 1)) for pair in (aliases.tolist() if aliases is not None else ())),
        relevance=relevance,
        relevance_gate=None if relevance is None else float(config["relevance_gate"]),
        clusters=clusters,
    )


@lru_cache(maxsize=4)
def load_model(path: str | None = None, variant: str = "lexical") -> RoleModel:
    """Load (once) the ``lexical`` model (its training language) or the ``abstract`` one (any language)."""
    if path is None:
        source = resources.files("kroniek") / "data" / "models" / DEFAULT_MODEL
        with resources.as_file(source) as local:
            arrays = dict(np.load(local, allow_pickle=False))
    else:
        arrays = dict(np.load(Path(path), allow_pickle=False))
    return _read(arrays, variant + "/")


def _rows_times(rows: list[list[int]], weights: np.ndarray) -> np.ndarray:
    """Sum of the weight rows named by each row of feature indices, each index counted once."""
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    indices = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=int(indptr[-1]))
    matrix = sparse.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr),
                               shape=(len(rows), weights.shape[0]))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0        # binary features, as in training
    return np.asarray(matrix @ weights)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@dataclass(frozen=True, slots=True)
class EntityScore:
    key: str
    probabilities: tuple[float, ...]     # per role
    spans: tuple[tuple[int, int], ...]   # token ranges of its occurrences, in text order


def score_entities(tokens: Tokens, model: RoleModel, language: str) -> list[EntityScore]:
    """Score every distinct candidate (by :func:`mention_key`) of a document for every role."""
    lexicon = load_lexicon(language)
    if model.lexical:
        bad_start, bad_end = model.bad_start, model.bad_end
    else:
        bad_start = bad_end = closed_class_words(lexicon)
    spans = candidate_spans(tokens, bad_start, bad_end, model.max_tokens)
    if not spans:
        return []
    rows = span_feature_ids(tokens, spans, lexicon, model.common_words, model.lexical, model.vocabulary,
                            model.clusters)
    roles = len(model.thresholds)
    clean = [w.translate(_STRIP) for w in tokens.words]
    groups: dict[str, list[int]] = {}
    skipped = 0
    for index, (a, b) in enumerate(spans):
        key = " ".join(c for c in clean[a:b + 1] if c and c not in _ARTICLES)
        if key:
            groups.setdefault(key, []).append(index)
        else:
            skipped += 1
    if not groups:
        return []
    keys = list(groups)
    union_rows = [rows[m[0]] if len(m) == 1 else [i for index in m for i in rows[index]]
                  for m in groups.values()]
    span_probability = _sigmoid(_rows_times(rows, model.span_weights) + model.intercepts[:roles])
    entity_probability = _sigmoid(_rows_times(union_rows, model.entity_weights) + model.intercepts[roles:])

    # Best span of each entity: members laid out entity by entity, then a segmented maximum.
    order = np.fromiter(chain.from_iterable(groups.values()), dtype=np.int64, count=len(spans) - skipped)
    offsets = np.zeros(len(keys), dtype=np.int64)
    np.cumsum([len(m) for m in groups.values()][:-1], out=offsets[1:])
    best_span = np.maximum.reduceat(span_probability[order], offsets, axis=0)
    mixed = (model.mix * entity_probability + (1.0 - model.mix) * best_span).tolist()
    return [EntityScore(key, tuple(mixed[k]), tuple(spans[i] for i in groups[key])) for k, key in enumerate(keys)]


def acronym_pairs(words: Sequence[str]) -> list[tuple[str, str]]:
    """Every ``long name ( acr )`` in a token sequence: (acronym key, key of each 1..8 preceding tokens)."""
    pairs = []
    for i, word in enumerate(words):
        if word != "(" or i + 2 >= len(words) or words[i + 2] != ")" or not _ACRONYM.match(words[i + 1]):
            continue
        acronym = mention_key([words[i + 1]])
        for length in range(1, 9):
            if i - length < 0:
                break
            long_key = mention_key(words[i - length:i])
            if long_key:
                pairs.append((acronym, long_key))
    return pairs


def _acronym_links(tokens: Tokens, keys: set[str]) -> dict[str, str]:
    """``long name ( acr )`` in the text: acronym key -> long-name key, for candidate keys only."""
    links: dict[str, str] = {}
    for acronym, long_key in acronym_pairs(tokens.words):
        if long_key in keys and acronym in keys:
            links[acronym] = long_key
    return links


def _distinct_mentions(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One mention per place: of overlapping spans ("the bank", "bank") the shortest, in text order."""
    kept: list[tuple[int, int]] = []
    for a, b in sorted(set(spans), key=lambda s: (s[1] - s[0], s[0])):
        if all(b < ka or a > kb for ka, kb in kept):
            kept.append((a, b))
    return sorted(kept)


def predict_role_fillers(text: str, language: str = "en", model_path: str | None = None
                         ) -> dict[str, list[list[Span]]]:
    """Perpetrators, targets, victims and weapons of a document, as entities of mention spans.

    Args:
        text: the document (any casing).
        language: its language; the lexical weights serve their training language (English), every
            other language with a lexicon (Dutch) gets the abstract weights.
        model_path: another weights file than the shipped one (e.g. a fresh ``kroniek train muc4``).

    Returns:
        role (``perpetrator_individual``, ``perpetrator_organisation``, ``target``, ``victim``,
        ``weapon``) -> entities, best first; an entity is the list of its mention spans in the text
        (label = role, value = the entity's probability, producer ``roles.muc4``).
    """
    lexical = load_model(model_path, "lexical")
    model = lexical if language == lexical.language else load_model(model_path, "abstract")
    result: dict[str, list[list[Span]]] = {role: [] for role in ROLE_NAMES}
    if not text.strip():
        return result
    tokens = tokenise(text)
    scored = score_entities(tokens, model, language)
    score = gate_score(tokens, scored, model)
    if score is not None and score < model.relevance_gate:  # type: ignore[operator]
        return result                  # no reported incident: fillers here would be names in the news
    for role, entities in choose_entities(tokens, scored, model).items():
        for probability, mentions in entities:
            result[role].append([
                Span(tokens.starts[a], tokens.ends[b], text[tokens.starts[a]:tokens.ends[b]], role, probability, PRODUCER)
                for a, b in mentions
            ])
    return result


def gate_score(tokens: Tokens, scored: Sequence[EntityScore], model: RoleModel) -> float | None:
    """The document gate's score (:func:`kroniek.roles.relevance.document_relevance`); None: no gate."""
    if model.relevance is None or model.relevance_gate is None:
        return None
    return document_relevance(tokens.words, [max(e.probabilities) for e in scored], model.relevance)


def choose_entities(tokens: Tokens, scored: Sequence[EntityScore], model: RoleModel,
                    thresholds: Sequence[float] | None = None
                    ) -> dict[str, list[tuple[float, list[tuple[int, int]]]]]:
    """Per role, the kept entities best first: (probability, distinct mention token ranges).

    Entities at or above the role's threshold (``thresholds``, default the model's) are taken best
    first; acronym pairs (written out, or known aliases) merge, near-duplicates are dropped.
    """
    thresholds = model.thresholds if thresholds is None else thresholds
    by_key = {e.key: e for e in scored}
    links = _acronym_links(tokens, set(by_key))
    chosen: dict[str, list[tuple[float, list[tuple[int, int]]]]] = {}
    for r, role in enumerate(ROLE_NAMES):
        ranked = sorted((e for e in scored if e.probabilities[r] >= thresholds[r]),
                        key=lambda e: (-e.probabilities[r], e.spans[0]))
        kept: list[list[EntityScore]] = []
        for entity in ranked:
            partner = links.get(entity.key) or next((a for a, lk in links.items() if lk == entity.key), None)
            merged = next((group for group in kept if partner and any(m.key == partner for m in group)), None)
            if merged is None and model.aliases:      # an alias seen in training, not spelled out here
                merged = next((group for group in kept if any(
                    (m.key, entity.key) in model.aliases or (entity.key, m.key) in model.aliases for m in group)), None)
            if merged is not None:
                merged.append(entity)
                continue
            words = set(entity.key.split())
            if any(words <= set(m.key.split()) or set(m.key.split()) <= words for group in kept for m in group):
                continue
            kept.append([entity])
        chosen[role] = [(group[0].probabilities[r],
                         _distinct_mentions([span for member in group for span in member.spans])) for group in kept]
    return chosen
