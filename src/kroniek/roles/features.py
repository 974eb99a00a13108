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

__all__ = ["EVENT_CLASSES", "load_lexicon", "span_features", "span_feature_ids"]

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
    return token.isalnum() or any(ch.isalnum() for ch in token)


def span_features(
    tokens: Tokens,
    spans: Sequence[tuple[int, int]],
    lexicon: Mapping[str, tuple[str, ...]],
    common_words: Collection[str] | None,
    lexical: bool = True,
    clusters: Mapping[str, Sequence[str]] | None = None,
) -> list[list[str]]:
    """One list of feature names per candidate span (first and last token index, inclusive).

    Args:
        tokens: the document's tokens.
        spans: candidate spans from :func:`kroniek.roles.candidates.candidate_spans`.
        lexicon: word classes of the document's language (:func:`load_lexicon`).
        common_words: words frequent in the training texts (a span of other words is probably a
            name); None leaves the feature out (a language without such a list).
        lexical: add word-identity features (only for the language the weights were trained on).
        clusters: word -> its cluster labels (:mod:`kroniek.roles.clusters`), for the first word,
            head and nearest neighbours; None or empty: no cluster features (lexical only).
    """
    at_start, at_end, inner, extra = _parts(tokens, spans, lexicon, common_words, lexical, clusters)
    result = []
    for (a, b), own in zip(spans, extra):
        f = own + at_start[a] + at_end[b]
        for k in range(a + 1, b):
            f.extend(inner[k])
        result.append(f)
    return result


def span_feature_ids(
    tokens: Tokens,
    spans: Sequence[tuple[int, int]],
    lexicon: Mapping[str, tuple[str, ...]],
    common_words: Collection[str] | None,
    lexical: bool,
    vocabulary: Mapping[str, int],
    clusters: Mapping[str, Sequence[str]] | None = None,
) -> list[list[int]]:
    """The same features as :func:`span_features` as vocabulary indices (unknown ones dropped).

    Faster at inference: features of a token are looked up once, not once per span containing it.
    An index can repeat within a span (two inner words of one class); count it once, as training does.
    """
    at_start, at_end, inner, extra = _parts(tokens, spans, lexicon, common_words, lexical, clusters)
    get = vocabulary.get

    def ids(names: list[str]) -> list[int]:
        return [i for i in map(get, names) if i is not None]

    start_ids = [ids(names) for names in at_start]
    end_ids = [ids(names) for names in at_end]
    inner_ids = [ids(names) for names in inner]
    result = []
    for (a, b), own in zip(spans, extra):
        found = ids(own) + start_ids[a] + end_ids[b]
        for k in range(a + 1, b):
            found += inner_ids[k]
        result.append(found)
    return result


def _parts(
    tokens: Tokens,
    spans: Sequence[tuple[int, int]],
    lexicon: Mapping[str, tuple[str, ...]],
    common_words: Collection[str] | None,
    lexical: bool,
    clusters: Mapping[str, Sequence[str]] | None = None,
) -> tuple[list[list[str]], list[list[str]], list[list[str]], list[list[str]]]:
    """Features by where they come from: (first token, last token, inner tokens, the span itself)."""
    words = tokens.words
    sentence = tokens.sentence
    n = len(words)
    classes = [lexicon.get(w, ()) for w in words]
    is_word = [_is_word(w) for w in words]
    has_digit = [not w.isalpha() and any(ch.isdigit() for ch in w) for w in words]
    event = [next((c for c in cs if c in _EVENT_SET), None) if cs else None for cs in classes]

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
    rare_word = [is_word[i] and common_words is not None and words[i] not in common_words for i in range(n)]

    # Everything that depends on the first token only, or on the last token only, is built once per
    # token (spans never cross a sentence, so a context's sentence is the span's).
    at_start: list[list[str]] = []
    at_end: list[list[str]] = []
    inner = [["ic=" + c for c in classes[i]] + (["in=" + words[i]] if lexical else []) for i in range(n)]
    by_sentence = {s: ["sc=" + c for c in sorted(cs)] for s, cs in sentence_events.items()}
    for i in range(n):
        start_f = ["fc=" + c for c in classes[i]]
        end_f = ["hc=" + c for c in classes[i]]
        for name, j, out in (("l1", i - 1, start_f), ("l2", i - 2, start_f), ("r1", i + 1, end_f), ("r2", i + 2, end_f)):
            if not 0 <= j < n:
                out.append(name + "=EDGE")
            elif sentence[j] != sentence[i]:
                out.append(name + "=SB")
            else:
                out.extend(name + "c=" + c for c in classes[j])
                if not is_word[j]:
                    out.append(name + "p=" + words[j])
        near = left[i]
        if near is not None and i - near <= _TRIGGER_REACH:
            start_f.append("tl=" + event[near] + _bucket(i - near))  # type: ignore[operator]
            if lexical:
                start_f.append("tlw=" + words[near])
        near = right[i]
        if near is not None and near - i <= _TRIGGER_REACH:
            end_f.append("tr=" + event[near] + _bucket(near - i))  # type: ignore[operator]
            if lexical:
                end_f.append("trw=" + words[near])
        start_f.extend(by_sentence.get(sentence[i], ()))
        start_f.append("sent=" + str(min(sentence[i], 6)))
        if depth[i]:
            start_f.append("paren")
        if i + 1 < n and words[i + 1] == "(":
            end_f.append("pfollow")
        head_repeats = word_counts[words[i]]
        end_f.append("hrep=" + ("1" if head_repeats == 1 else "2" if head_repeats < 4 else "4"))
        if lexical:
            start_f.append("f=" + words[i])
            if i > 0:
                start_f.append("l1w=" + words[i - 1])
            if i > 1:
                start_f.append("l2w=" + words[i - 2] + "|" + words[i - 1])
            end_f.extend(("h=" + words[i], "hs3=" + words[i][-3:]))
            if i + 1 < n:
                end_f.append("r1w=" + words[i + 1])
            if i + 2 < n:
                end_f.append("r2w=" + words[i + 1] + "|" + words[i + 2])
            if clusters:
                empty: Sequence[str] = ()
                start_f.extend("fk=" + c for c in clusters.get(words[i], empty))
                end_f.extend("hk=" + c for c in clusters.get(words[i], empty))
                if i > 0 and sentence[i - 1] == sentence[i]:
                    start_f.extend("l1k=" + c for c in clusters.get(words[i - 1], empty))
                if i + 1 < n and sentence[i + 1] == sentence[i]:
                    end_f.extend("r1k=" + c for c in clusters.get(words[i + 1], empty))
        at_start.append(start_f)
        at_end.append(end_f)

    extra: list[list[str]] = []
    for (a, b), key in zip(spans, keys):
        f = ["bias", "len=" + str(min(b - a + 1, 6)), "doc=" + doc]
        repeats = key_counts[key]
        f.append("rep=" + ("1" if repeats == 1 else "2" if repeats < 4 else "4"))
        if key not in seen:
            f.append("firstocc")
            seen.add(key)
        if any(has_digit[a:b + 1]):
            f.append("digit")
        if common_words is not None:
            rare = sum(rare_word[a:b + 1])
            words_in_span = sum(is_word[a:b + 1])
            f.append("rare=" + ("0" if not rare else "all" if rare == words_in_span else "some"))
        if lexical:
            f.append("fh=" + words[a] + "|" + words[b])
            if b - a + 1 <= _SHORT_SPAN:
                f.append("span=" + key)
        extra.append(f)
    return at_start, at_end, inner, extra
