"""A learned name tagger (PER, ORG, LOC, MISC): a greedy averaged perceptron over word features, on the CPU.

Trained by `kroniek train names` (kroniek/train/names.py) from CoNLL-2002-style files; no weights are
shipped with the package (the Dutch training data is research-only, see docs/models/names.md): the model is a
file the user builds and names with ``$KRONIEK_NAMES_MODEL`` or passes to `kroniek eval ner --names-model`.

Tokens are words and single punctuation marks (the CoNLL tokenisation); each token gets an IOB2 tag chosen
left to right from its features and the two tags before it; an I- tag that does not continue its type is read
as B-. Spans are character offsets into the text, label = the type, value = None, producer "names".
"""
from __future__ import annotations

import gzip
import json
import os
import re
from functools import lru_cache
from pathlib import Path

from ..records import ActorRef, Span

__all__ = ["NameModel", "load_name_model", "find_names", "tokenise", "features", "PRODUCER",
           "organisation_actors", "NAMES_LANGUAGES", "ORGANISATION_KIND"]

PRODUCER = "names"
_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*\.?|[^\w\s]", re.UNICODE)


def tokenise(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token: words (with inner hyphens, apostrophes, dots) and single punctuation marks."""
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _shape(word: str) -> str:
    shape = re.sub(r"[A-ZÀ-Þ]", "X", word)
    shape = re.sub(r"[a-zß-ÿ]", "x", shape)
    shape = re.sub(r"\d", "d", shape)
    return re.sub(r"(.)\1+", r"\1\1", shape)


def features(words: list[str], i: int, prev: str, prev2: str) -> list[str]:
    """The feature strings of token i, given the two tags before it."""
    w = words[i]
    lower = w.lower()
    before = words[i - 1].lower() if i > 0 else "<s>"
    after = words[i + 1].lower() if i + 1 < len(words) else "</s>"
    before2 = words[i - 2].lower() if i > 1 else "<s>"
    after2 = words[i + 2].lower() if i + 2 < len(words) else "</s>"
    next_word = words[i + 1] if i + 1 < len(words) else ""
    out = [
        "b", f"w={lower}", f"s3={lower[-3:]}", f"s2={lower[-2:]}", f"p3={lower[:3]}", f"sh={_shape(w)}",
        f"t-1={prev}", f"t-2={prev2}|{prev}", f"t-1w={prev}|{lower}", f"w-1={before}", f"w+1={after}",
        f"w-2={before2}", f"w+2={after2}", f"w-1w={before}|{lower}", f"ww+1={lower}|{after}",
        f"sh-1={_shape(words[i - 1]) if i > 0 else '<s>'}|{_shape(w)}", f"sh+1={_shape(next_word)}",
        f"t-1sh={prev}|{_shape(w)}",
    ]
    if i == 0:
        out.append("first")
    if w[:1].isupper() and i > 0:
        out.append("cap-mid")
    if len(w) > 1 and w.isupper():
        out.append("allcaps")
    if "-" in w:
        out.append(f"hy={lower.split('-')[0]}")
        out.append(f"hy$={lower.split('-')[-1]}")
    return out


class NameModel:
    """Perceptron weights: feature -> {tag: weight}; the tags in a fixed order."""

    def __init__(self, weights: dict[str, dict[str, float]], tags: list[str]):
        self.weights = weights
        self.tags = tags

    def best(self, feats: list[str], prev: str) -> str:
        scores = dict.fromkeys(self.tags, 0.0)
        for f in feats:
            row = self.weights.get(f)
            if row:
                for tag, weight in row.items():
                    scores[tag] += weight
        ranked = sorted(self.tags, key=lambda t: (-scores[t], t))
        for tag in ranked:
            if tag.startswith("I-") and prev[2:] != tag[2:]:
                continue    # an I- tag must continue its type
            return tag
        return "O"

    def tag(self, words: list[str]) -> list[str]:
        tags: list[str] = []
        prev = prev2 = "<s>"
        for i in range(len(words)):
            tag = self.best(features(words, i, prev, prev2), prev)
            tags.append(tag)
            prev2, prev = prev, tag
        return tags

    def to_json(self) -> dict:
        return {"tags": self.tags, "weights": self.weights}


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
    return NameModel(data["weights"], data["tags"])


def find_names(text: str, language: str, model: NameModel | None = None) -> tuple[Span, ...]:
    """Named entities (label PER, ORG, LOC or MISC) the learned tagger finds; () without a model."""
    model = model or load_name_model()
    if model is None:
        return ()
    offsets = tokenise(text)
    tags = model.tag([text[a:b] for a, b in offsets])
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
