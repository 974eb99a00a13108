"""A learned name tagger (PER, ORG, LOC, MISC): a greedy averaged perceptron over word features, on the CPU.

Trained by `kroniek train names` (kroniek/train/names.py) from CoNLL-2002-style files; no weights are
shipped with the package (the Dutch training data is research-only, see docs/models/names.md): the model is a
file the user builds and names with ``$KRONIEK_NAMES_MODEL`` or passes to `kroniek eval ner --names-model`.

Tokens are words and single punctuation marks (the CoNLL tokenisation); each token gets an IOB2 tag chosen
left to right from its features and the two tags before it (a model trained with rule features also reads the
tags Kroniek's rule finders give the tokens: :func:`rule_tags`, so it runs them on the text); an I- tag that
does not continue its type is read as B-. Spans are character offsets into the text, label = the type,
value = None, producer "names".
"""
from __future__ import annotations

import gzip
import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from ..records import ActorRef, Span

__all__ = ["NameModel", "load_name_model", "find_names", "tokenise", "features", "token_features", "history_features",
           "rule_tags", "PRODUCER", "organisation_actors", "NAMES_LANGUAGES", "ORGANISATION_KIND"]

PRODUCER = "names"
# A number with a decimal comma or point ("2,5", "1.000"), a word (inner hyphens, apostrophes, dots; a final
# dot, or a final hyphen as in "land- en tuinbouw"), a run of hyphens ("--"), or one other mark.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|\w+(?:[-'’.]\w+)*[.-]?|-{2,}|[^\w\s]", re.UNICODE)


def tokenise(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token: numbers, words (with inner hyphens, apostrophes, dots), hyphen runs and single
    punctuation marks."""
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _shape(word: str) -> str:
    shape = re.sub(r"[A-ZÀ-Þ]", "X", word)
    shape = re.sub(r"[a-zß-ÿ]", "x", shape)
    shape = re.sub(r"\d", "d", shape)
    return re.sub(r"(.)\1+", r"\1\1", shape)


def features(words: list[str], i: int, prev: str, prev2: str, lowered: frozenset[str] = frozenset(),
             rules: Sequence[str] | None = None) -> list[str]:
    """The feature strings of token i, given the two tags before it (greedy decoding)."""
    return token_features(words, i, lowered, rules) + history_features(words, i, prev) + [f"t-2={prev2}|{prev}"]


def rule_tags(text: str, offsets: Sequence[tuple[int, int]], language: str = "nl") -> list[str]:
    """The IOB2 tag Kroniek's rule finders (actors, persons, places, through the CoNLL crosswalk of
    `kroniek eval ner`) give each token (start, end) of `text`: a feature of the tagger trained with them."""
    from .entity_types import predict_sentence
    tags = ["O"] * len(offsets)
    for start, end, kind in predict_sentence(text, _rule_finders(), language):
        inside = [k for k, (a, b) in enumerate(offsets) if a < end and start < b]
        for n, k in enumerate(inside):
            tags[k] = f"{'I' if n else 'B'}-{kind}"
    return tags


def rule_tags_of_words(words: Sequence[str], language: str = "nl") -> list[str]:
    """:func:`rule_tags` over the words joined by single spaces (CoNLL sentences)."""
    offsets, position = [], 0
    for word in words:
        offsets.append((position, position + len(word)))
        position += len(word) + 1
    return rule_tags(" ".join(words), offsets, language)


@lru_cache(maxsize=1)
def _rule_finders():
    from .entity_types import load_finders
    return load_finders(True)


def history_features(words: list[str], i: int, prev: str) -> list[str]:
    """The features of token i that depend on the tag before it (`prev`, "<s>" at the start)."""
    lower = words[i].lower()
    before = words[i - 1].lower() if i > 0 else "<s>"
    return [f"t-1={prev}", f"t-1w={prev}|{lower}", f"t-1sh={prev}|{_shape(words[i])}", f"t-1w-1={prev}|{before}"]


def token_features(words: list[str], i: int, lowered: frozenset[str] = frozenset(),
                   rules: Sequence[str] | None = None) -> list[str]:
    """The features of token i that do not depend on tags; `lowered` holds the words the training text writes in
    lower case (a capitalised word whose lower case is among them is an ordinary word at a sentence start or in
    a title). `rules` (optional) are the rule finders' tags of the words (:func:`rule_tags`)."""
    w = words[i]
    lower = w.lower()
    shape = _shape(w)
    before = words[i - 1].lower() if i > 0 else "<s>"
    after = words[i + 1].lower() if i + 1 < len(words) else "</s>"
    before2 = words[i - 2].lower() if i > 1 else "<s>"
    after2 = words[i + 2].lower() if i + 2 < len(words) else "</s>"
    shape_before = _shape(words[i - 1]) if i > 0 else "<s>"
    shape_after = _shape(words[i + 1]) if i + 1 < len(words) else "</s>"
    out = [
        "b", f"w={lower}", f"s3={lower[-3:]}", f"s2={lower[-2:]}", f"p3={lower[:3]}", f"sh={shape}",
        f"w-1={before}", f"w+1={after}",
        f"w-2={before2}", f"w+2={after2}", f"w-1w={before}|{lower}", f"ww+1={lower}|{after}",
        f"sh-1={shape_before}|{shape}", f"sh+1={shape_after}",
        # added 2026-12-02: longer affixes, the shapes around the word, the tag before with the word before
        f"s4={lower[-4:]}", f"p4={lower[:4]}", f"p2={lower[:2]}", f"s1={lower[-1:]}",
        f"shsh+1={shape}|{shape_after}", f"sh-1sh+1={shape_before}|{shape}|{shape_after}",
        f"w-1sh={before}|{shape}", f"shw+1={shape}|{after}",
    ]
    if i == 0:
        out.append("first")
        out.append(f"first|sh={shape}")
    if w[:1].isupper() and i > 0:
        out.append("cap-mid")
    if w[:1].isupper() and lower in lowered:
        out.append("cap-lowered" if i > 0 else "first-lowered")
    if len(w) > 1 and w.isupper():
        out.append("allcaps")
    if "-" in w:
        out.append(f"hy={lower.split('-')[0]}")
        out.append(f"hy$={lower.split('-')[-1]}")
    if rules is not None:
        rule = rules[i]
        out += [f"r={rule}", f"r|sh={rule}|{shape}", f"r-1={rules[i - 1] if i else '<s>'}|{rule}",
                f"r+1={rule}|{rules[i + 1] if i + 1 < len(rules) else '</s>'}"]
    return out


class NameModel:
    """Perceptron weights: feature -> {tag: weight}; the tags in a fixed order; the lower-case words of training."""

    def __init__(self, weights: dict[str, dict[str, float]], tags: list[str], lowered: frozenset[str] = frozenset(),
                 rules: bool = False):
        self.weights = weights
        self.tags = tags
        self.rules = rules          # whether the rule finders' tags are features (rule_tags)
        self.lowered = lowered      # words the training text writes in lower case (see features)

    def scores(self, feats: list[str]) -> dict[str, float]:
        """Each tag's summed weight over the features."""
        scores = dict.fromkeys(self.tags, 0.0)
        weights = self.weights
        for f in feats:
            row = weights.get(f)
            if row:
                for tag, weight in row.items():
                    scores[tag] += weight
        return scores

    def best(self, feats: list[str], prev: str) -> str:
        scores = self.scores(feats)
        ranked = sorted(self.tags, key=lambda t: (-scores[t], t))
        for tag in ranked:
            if tag.startswith("I-") and prev[2:] != tag[2:]:
                continue    # an I- tag must continue its type
            return tag
        return "O"

    def tag(self, words: list[str], rules: Sequence[str] | None = None) -> list[str]:
        """IOB2 tags of the words; `rules` as :func:`rule_tags` gives them (computed here when the model was
        trained with them and none are given)."""
        if self.rules and rules is None:
            rules = rule_tags_of_words(words)
        elif not self.rules:
            rules = None
        tags: list[str] = []
        prev = prev2 = "<s>"
        for i in range(len(words)):
            tag = self.best(features(words, i, prev, prev2, self.lowered, rules), prev)
            tags.append(tag)
            prev2, prev = prev, tag
        return tags

    def to_json(self) -> dict:
        return {"tags": self.tags, "weights": self.weights, "lowered": sorted(self.lowered), "rules": self.rules}


def save_name_model(model: NameModel, path: Path) -> None:
    """Gzipped JSON, sorted keys, no timestamp: the same model gives the same bytes."""
    payload = json.dumps(model.to_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as handle:
        handle.write(payload)


@lru_cache(maxsize=4)
def load_name_model(path: str | None = None) -> NameModel | None:
    """The model at `path`, else at ``$KRONIEK_NAMES_MODEL``; None when neither is given (loaded once)."""
    path = path or os.environ.get("KRONIEK_NAMES_MODEL")
    if not path:
        return None
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    return NameModel(data["weights"], data["tags"], frozenset(data.get("lowered", ())),
                     bool(data.get("rules", False)))


def find_names(text: str, language: str, model: NameModel | None = None) -> tuple[Span, ...]:
    """Named entities (label PER, ORG, LOC or MISC) the learned tagger finds; () without a model."""
    model = model or load_name_model()
    if model is None:
        return ()
    offsets = tokenise(text)
    rules = rule_tags(text, offsets, language) if model.rules else None
    tags = model.tag([text[a:b] for a, b in offsets], rules)
    spans: list[Span] = []
    start = kind = None
    end = 0
    for (a, b), tag in zip(offsets + [(len(text), len(text))], tags + ["O"]):
        if tag.startswith("I-") and kind == tag[2:]:
            end = b
            continue
        if kind is not None:
            spans.append(Span(start, end, text[start:end], kind, None, PRODUCER))
            kind = None
        if tag.startswith(("B-", "I-")):
            start, end, kind = a, b, tag[2:]
    return tuple(spans)


# The languages the tagger is applied to in the pipeline: it is trained on Dutch CoNLL-2002 (`kroniek train names`).
NAMES_LANGUAGES = ("nl",)
# The kind an organisation the dictionary does not know gets: a named organised actor (it wins over a generic word
# such as "militants" for the same side, and takes a role only as the clause gives it one).
ORGANISATION_KIND = "political_group"


def organisation_actors(text: str, language: str, actors: tuple[Span, ...], places: tuple[Span, ...] = (),
                        model: NameModel | None = None) -> tuple[Span, ...]:
    """The actor spans with the organisations (ORG) the learned tagger finds added, where no dictionary actor
    overlaps them and no place the gazetteer found overlaps them ("Kano" stays a place); `actors` unchanged
    without a model (``$KRONIEK_NAMES_MODEL`` unset) or for another language."""
    if language not in NAMES_LANGUAGES:
        return actors
    model = model or load_name_model()
    if model is None:
        return actors
    added = [Span(n.start, n.end, n.text, ORGANISATION_KIND, ActorRef(None, n.text, ORGANISATION_KIND), "names")
             for n in find_names(text, language, model) if n.label == "ORG" and len(n.text) > 1
             and not any(a.start < n.end and n.start < a.end for a in actors)
             and not any(p.start < n.end and n.start < p.end for p in places)]
    if not added:
        return actors
    return tuple(sorted(actors + tuple(added), key=lambda s: s.start))
