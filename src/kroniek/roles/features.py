"""Token features for the role-filler tagger: word identity, word classes, trigger distance, position.

Two families: *lexical* features name words (English-specific once trained on MUC-4) and
*abstract* ones name word classes from ``data/models/roles_lexicon.json``, distances, shapes and
positions, which carry over to any language that has the lexicon (Dutch does).
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Mapping

from kroniek.roles.tokens import Tokens

__all__ = ["EVENT_CLASSES", "load_lexicon", "token_features"]

# Word classes that signal an event nearby; their distance and direction are features.
EVENT_CLASSES = ("attack", "kill", "injure", "kidnap", "explode", "burn", "damage", "blame", "arrest")
_EVENT_SET = frozenset(EVENT_CLASSES)
_WINDOW_NEAR = 2          # words at exact offsets -2..+2 are features of their own
_WINDOW_FAR = 6           # words at -6..-3 and +3..+6 are a bag on each side
_TRIGGER_REACH = 12       # how far (in tokens, same sentence) a trigger is looked for


@lru_cache(maxsize=4)
def load_lexicon(language: str) -> Mapping[str, tuple[str, ...]]:
    """Word -> its classes, for one language, from data/models/roles_lexicon.json (loaded once)."""
    source = resources.files("kroniek") / "data" / "models" / "roles_lexicon.json"
    raw = json.loads(source.read_text(encoding="utf-8"))
    classes: dict[str, list[str]] = {}
    for name, by_language in raw.items():
        if name.startswith("_"):
            continue
        for word in by_language.get(language, ()):
            if name not in classes.setdefault(word, []):
                classes[word].append(name)
    return {word: tuple(names) for word, names in classes.items()}


def _shape(word: str) -> str:
    if word.isalpha():
        return "a"
    if word.isdigit():
        return "d"
    if any(ch.isalnum() for ch in word):
        return "m"
    return word if len(word) == 1 else "p"


def _distance_bucket(distance: int) -> str:
    return "1" if distance == 1 else "2" if distance <= 3 else "4" if distance <= 6 else "7"


def token_features(tokens: Tokens, lexicon: Mapping[str, tuple[str, ...]], lexical: bool = True) -> list[list[str]]:
    """One list of feature names per token.

    Args:
        tokens: the document's tokens.
        lexicon: word classes of the document's language (:func:`load_lexicon`).
        lexical: include word-identity features (off for a language the weights were not trained on).
    """
    words = tokens.words
    sentence = tokens.sentence
    n = len(words)
    classes = [lexicon.get(w, ()) for w in words]
    shapes = [_shape(w) for w in words]

    # Nearest event word to the left and right of every token, within its sentence.
    left: list[tuple[int, str] | None] = [None] * n
    last: tuple[int, str] | None = None
    for i in range(n):
        if last is not None and sentence[last[0]] != sentence[i]:
            last = None
        left[i] = last
        for c in classes[i]:
            if c in _EVENT_SET:
                last = (i, c)
                break
    right: list[tuple[int, str] | None] = [None] * n
    last = None
    for i in range(n - 1, -1, -1):
        if last is not None and sentence[last[0]] != sentence[i]:
            last = None
        right[i] = last
        for c in classes[i]:
            if c in _EVENT_SET:
                last = (i, c)
                break

    # Classes present in each sentence, and where each word first occurs (a cheap coreference cue).
    sentence_classes: dict[int, set[str]] = {}
    for i in range(n):
        for c in classes[i]:
            if c in _EVENT_SET:
                sentence_classes.setdefault(sentence[i], set()).add(c)
    first_seen: dict[str, int] = {}
    counts: dict[str, int] = {}
    for i, w in enumerate(words):
        first_seen.setdefault(w, i)
        counts[w] = counts.get(w, 0) + 1
    document_events = sum(1 for cs in classes for c in cs if c in _EVENT_SET)
    doc_bucket = "0" if document_events == 0 else "1" if document_events < 3 else "3" if document_events < 8 else "8"

    depth = 0
    result: list[list[str]] = []
    for i in range(n):
        w = words[i]
        if w == ")":
            depth = max(0, depth - 1)
        f = ["bias", "sh=" + shapes[i], "doc=" + doc_bucket, "sent=" + str(min(sentence[i], 6))]
        if depth:
            f.append("paren")
        if w == "(":
            depth += 1
        for c in classes[i]:
            f.append("c=" + c)
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < n:
                f.append(f"sh{offset}={shapes[j]}")
                for c in classes[j]:
                    f.append(f"c{offset}={c}")
                if sentence[j] != sentence[i]:
                    f.append(f"sb{offset}")
            else:
                f.append(f"edge{offset}")
        for side, near in (("tl", left[i]), ("tr", right[i])):
            if near is not None and abs(near[0] - i) <= _TRIGGER_REACH:
                f.append(f"{side}={near[1]}:{_distance_bucket(abs(near[0] - i))}")
                if lexical:
                    f.append(f"{side}w={words[near[0]]}")
        for c in sentence_classes.get(sentence[i], ()):
            f.append("sc=" + c)
        count = counts[w]
        f.append("rep=" + ("1" if count == 1 else "2" if count < 4 else "4"))
        if first_seen[w] < i:
            f.append("seen")
        if lexical:
            f.append("w=" + w)
            f.append("p3=" + w[:3])
            f.append("s3=" + w[-3:])
            for offset in (-2, -1, 1, 2):
                j = i + offset
                if 0 <= j < n:
                    f.append(f"w{offset}={words[j]}")
            if i > 0:
                f.append(f"bi-={words[i - 1]}|{w}")
            if i + 1 < n:
                f.append(f"bi+={w}|{words[i + 1]}")
            for j in range(max(0, i - _WINDOW_FAR), i - _WINDOW_NEAR):
                f.append("L=" + words[j])
            for j in range(i + _WINDOW_NEAR + 1, min(n, i + _WINDOW_FAR + 1)):
                f.append("R=" + words[j])
        result.append(f)
    return result
