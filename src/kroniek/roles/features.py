"""Features of candidate spans for the role-filler model: words, word classes, triggers, position.

Two families. *Abstract* features name word classes from ``data/models/roles_lexicon.json``
(``kill``, ``perp_noun``, ``title``, ...), distances and directions to the nearest event word,
sentence position, repetition in the document and brackets: they mean the same in any language that
has the lexicon, Dutch included. *Lexical* features name the words themselves (first word, head,
neighbours, nearest trigger word): they are only used for the language the weights were trained on.
"""
from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Collection, Mapping, Sequence

from kroniek.roles.tokens import Tokens

__all__ = ["EVENT_CLASSES", "load_lexicon", "span_features"]

# Word classes that signal an event nearby; the nearest one on each side is a feature.
EVENT_CLASSES = ("attack", "kill", "injure", "kidnap", "explode", "burn", "damage", "blame", "arrest")
_EVENT_SET = frozenset(EVENT_CLASSES)
_TRIGGER_REACH = 15       # tokens, same sentence; calibrated on MUC-4 train (dev F1 flat from 10 to 20)
_SHORT_SPAN = 3           # spans up to this many tokens also get their whole text as a feature


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


def _bucket(distance: int) -> str:
    return "1" if distance <= 1 else "2" if distance <= 3 else "4" if distance <= 6 else "7" if distance <= 12 else "x"


def _is_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


def span_features(
    tokens: Tokens,
    spans: Sequence[tuple[int, int]],
    lexicon: Mapping[str, tuple[str, ...]],
    common_words: Collection[str] | None,
    lexical: bool = True,
) -> list[list[str]]:
    """One list of feature names per candidate span (first and last token index, inclusive).

    Args:
        tokens: the document's tokens.
        spans: candidate spans from :func:`kroniek.roles.candidates.candidate_spans`.
        lexicon: word classes of the document's language (:func:`load_lexicon`).
        common_words: words frequent in the training texts (a span of other words is probably a
            name); None leaves the feature out (a language without such a list).
        lexical: add word-identity features (only for the language the weights were trained on).
    """
    words = tokens.words
    sentence = tokens.sentence
    n = len(words)
    classes = [lexicon.get(w, ()) for w in words]
    is_word = [_is_word(w) for w in words]
    has_digit = [any(ch.isdigit() for ch in w) for w in words]
    event = [next((c for c in cs if c in _EVENT_SET), None) for cs in classes]

    # Nearest event word left and right of each token, inside its sentence.
    left: list[int | None] = [None] * n
    last: int | None = None
    for i in range(n):
        if last is not None and sentence[last] != sentence[i]:
            last = None
        left[i] = last
        if event[i]:
            last = i
    right: list[int | None] = [None] * n
    last = None
    for i in range(n - 1, -1, -1):
        if last is not None and sentence[last] != sentence[i]:
            last = None
        right[i] = last
        if event[i]:
            last = i

    sentence_events: dict[int, set[str]] = {}
    for i in range(n):
        if event[i]:
            sentence_events.setdefault(sentence[i], set()).add(event[i])  # type: ignore[arg-type]
    events_in_document = sum(1 for e in event if e)
    doc = "0" if not events_in_document else "1" if events_in_document < 3 else "3" if events_in_document < 8 else "8"
    depth = [0] * n
    level = 0
    for i in range(n):
        if words[i] == ")":
            level = max(0, level - 1)
        depth[i] = level
        if words[i] == "(":
            level += 1
    word_counts = Counter(words)
    keys = [" ".join(words[a:b + 1]) for a, b in spans]
    key_counts = Counter(keys)
    seen: set[str] = set()

    result: list[list[str]] = []
    for (a, b), key in zip(spans, keys):
        first, head = words[a], words[b]
        f = ["bias", "len=" + str(min(b - a + 1, 6)), "doc=" + doc, "sent=" + str(min(sentence[a], 6))]
        f.extend("fc=" + c for c in classes[a])
        f.extend("hc=" + c for c in classes[b])
        for k in range(a + 1, b):
            f.extend("ic=" + c for c in classes[k])
        for name, j in (("l1", a - 1), ("l2", a - 2), ("r1", b + 1), ("r2", b + 2)):
            if not 0 <= j < n:
                f.append(name + "=EDGE")
            elif sentence[j] != sentence[a]:
                f.append(name + "=SB")
            else:
                f.extend(name + "c=" + c for c in classes[j])
                if not is_word[j]:
                    f.append(name + "p=" + words[j])
        near_left, near_right = left[a], right[b]
        if near_left is not None and a - near_left <= _TRIGGER_REACH:
            f.append("tl=" + event[near_left] + _bucket(a - near_left))  # type: ignore[operator]
        else:
            near_left = None
        if near_right is not None and near_right - b <= _TRIGGER_REACH:
            f.append("tr=" + event[near_right] + _bucket(near_right - b))  # type: ignore[operator]
        else:
            near_right = None
        f.extend("sc=" + c for c in sorted(sentence_events.get(sentence[a], ())))
        repeats = key_counts[key]
        f.append("rep=" + ("1" if repeats == 1 else "2" if repeats < 4 else "4"))
        if key not in seen:
            f.append("firstocc")
            seen.add(key)
        head_repeats = word_counts[head]
        f.append("hrep=" + ("1" if head_repeats == 1 else "2" if head_repeats < 4 else "4"))
        if depth[a]:
            f.append("paren")
        if b + 1 < n and words[b + 1] == "(":
            f.append("pfollow")
        span_words = [words[k] for k in range(a, b + 1) if is_word[k]]
        if any(has_digit[a:b + 1]):
            f.append("digit")
        if common_words is not None:
            rare = sum(1 for w in span_words if w not in common_words)
            f.append("rare=" + ("0" if not rare else "all" if rare == len(span_words) else "some"))
        if lexical:
            f.extend(("f=" + first, "h=" + head, "fh=" + first + "|" + head, "hs3=" + head[-3:]))
            f.extend("in=" + words[k] for k in range(a + 1, b))
            if a > 0:
                f.append("l1w=" + words[a - 1])
            if a > 1:
                f.append("l2w=" + words[a - 2] + "|" + words[a - 1])
            if b + 1 < n:
                f.append("r1w=" + words[b + 1])
            if b + 2 < n:
                f.append("r2w=" + words[b + 1] + "|" + words[b + 2])
            if near_left is not None:
                f.append("tlw=" + words[near_left])
            if near_right is not None:
                f.append("trw=" + words[near_right])
            if b - a + 1 <= _SHORT_SPAN:
                f.append("span=" + key)
        result.append(f)
    return result
