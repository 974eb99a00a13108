"""A phrase table: the small pattern language of Kroniek's lexicons, matched token by token.

Pattern syntax (used by triggers.tsv, modality.tsv, weapons.tsv, targets.tsv):
    ``a b|c d``: alternative phrases; tokens separated by spaces, matched case-insensitively, whole tokens only;
    ``*`` inside a token: any letters, digits or hyphens;  ``a/b``: alternatives for one token;
    ``...``: a gap of up to six tokens;  ``'`` also matches the typographic apostrophe.
Where matches overlap, the one with the longest literal text wins, then the earliest; matches never overlap.
A text token is a run of word characters, with inner hyphens and apostrophes ("IS-strijders", "auto's").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import compress, count
from operator import itemgetter
from typing import Any, Callable, Iterator, Sequence

__all__ = ["PhraseTable", "PhraseMatch", "tokenize", "WordStartPattern"]

MAX_GAP = 6
_FORMS_SEEN_LIMIT = 50_000   # distinct token forms whose candidates a table remembers before starting over
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*")


class WordStartPattern:
    """The regex ``(?<![edge])(body)``, searched only where a word can start: same matches, a fraction of the cost.

    Python's regex engine tries a pattern that opens with a lookbehind at every character, inside words too; one
    that opens with a character class it skips to that class in C. So the search looks for a character that is no
    ``edge`` and tries ``body`` right after it (in a lookahead, captured as group ``_body``), and the text's first
    character on its own. A match that starts inside the previous one is dropped, as ``finditer`` never finds it.
    ``matches`` yields the match objects; ``span("_body")``, ``group("_body")`` and the body's own groups hold what
    the lookbehind pattern's match and groups would (measured on actors.py's group-noun pattern, whose body opens with a
    lookahead for a noun's first letter: 280 us per 600-word article before, 100 us after).
    ``edge`` is the inside of a character class (``\\w``, ``\\w-``); ``body`` must be able to match no empty string.
    """
    __slots__ = ("_at_start", "_after_edge")

    def __init__(self, body: str, edge: str, flags: int = 0) -> None:
        self._at_start = re.compile(rf"(?P<_body>{body})", flags)
        self._after_edge = re.compile(rf"[^{edge}](?=(?P<_body>{body}))", flags)

    def matches(self, text: str) -> Iterator[re.Match[str]]:
        """Every match, in text order, as ``(?<![edge])(body)``'s ``finditer`` would find them."""
        end = 0
        first = self._at_start.match(text)
        if first is not None:
            end = first.end()
            yield first
        for match in self._after_edge.finditer(text):
            if match.start("_body") >= end:
                end = match.end("_body")
                yield match


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, lower-case form) of each token; typographic apostrophes become plain ones."""
    end = len(text) if end is None else end
    if text.find("’", start, end) < 0:     # most texts have none: no replace per token
        return [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(text, start, end)]
    return [(m.start(), m.end(), m.group().lower().replace("’", "'")) for m in _TOKEN.finditer(text, start, end)]


class _TokenSpec:
    """One pattern token: a set of exact forms and/or glob regexes."""
    __slots__ = ("exact", "globs")

    def __init__(self, token: str) -> None:
        self.exact: frozenset[str] = frozenset(a.lower() for a in token.split("/") if "*" not in a)
        globs = [a.lower() for a in token.split("/") if "*" in a]
        self.globs = re.compile("|".join("(?:" + r"[\w'-]*".join(map(re.escape, g.split("*"))) + ")"
                                         for g in globs)) if globs else None

    def matches(self, form: str) -> bool:
        return form in self.exact or (self.globs is not None and self.globs.fullmatch(form) is not None)


@dataclass(frozen=True, slots=True)
class _Variant:
    specs: tuple[object, ...]        # _TokenSpec, or None for a gap
    weight: int                      # literal length: the longest wins
    payload: Any


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    start: int
    end: int
    text: str
    payload: Any


def _weight(phrase: str) -> int:
    return sum(max(len(a.replace("*", "")) for a in t.split("/")) for t in phrase.split() if t != "...")


class PhraseTable:
    """Patterns with a payload each, matched together in one pass over the tokens."""

    def __init__(self, entries: Sequence[tuple[str, Any]], layer: Callable[[Any], Any] | None = None) -> None:
        """`layer(payload)` names independent layers: matches overlap-resolve only within their own layer, so
        several lexicons can share one pass ("reed een truck in op" is a trigger, "truck" inside it a weapon)."""
        self._layer = layer or (lambda payload: None)
        self._by_first: dict[str, list[_Variant]] = {}
        self._glob_first: list[tuple[_TokenSpec, _Variant]] = []
        for pattern, payload in entries:
            for phrase in (p.strip() for p in pattern.replace("’", "'").split("|")):
                tokens = phrase.split()
                if not tokens:
                    continue
                specs = tuple(None if t == "..." else _TokenSpec(t) for t in tokens)
                variant = _Variant(specs, _weight(phrase), payload)
                first = specs[0]
                for form in first.exact:
                    self._by_first.setdefault(form, []).append(variant)
                if first.globs is not None:
                    self._glob_first.append((first, variant))
        # One regex tells which tokens can start a glob pattern at all, so most tokens cost one lookup.
        globs = [spec.globs.pattern for spec, _ in self._glob_first]
        self._any_glob = re.compile("|".join(globs)) if globs else None
        self._seen: dict[str, _Starts | tuple[()]] = {}

    def _candidates(self, form: str) -> _Starts | tuple[()]:
        """The variants that can start at a token of this form, as _Starts, or () when none can (remembered: forms
        recur, and most start none)."""
        found = self._seen.get(form)
        if found is None:
            variants = list(self._by_first.get(form, ()))
            if self._any_glob is not None and self._any_glob.fullmatch(form):
                variants += [v for spec, v in self._glob_first if spec.globs.fullmatch(form)]
            if len(self._seen) >= _FORMS_SEEN_LIMIT:
                self._seen.clear()
            found = self._seen[form] = _Starts.of(variants) if variants else ()
        return found

    def finditer(self, text: str, start: int = 0, end: int | None = None,
                 tokens: list[tuple[int, int, str]] | None = None) -> Iterator[PhraseMatch]:
        """Non-overlapping matches in text[start:end], in order."""
        if tokens is None:
            tokens = tokenize(text, start, end)
        found: list[tuple[int, int, int, Any]] = []     # (-weight, first token, last token, payload)
        n = len(tokens)
        for i, starts in _tokens_with_candidates(self, tokens):
            # most candidates fail on their second token: _Starts has left out those the next token rules out
            candidates = starts.by_next.get(tokens[i + 1][2], starts.otherwise) if i + 1 < n else starts.otherwise
            for variant in candidates:
                specs = variant.specs
                last = i if len(specs) == 1 else _match_from(tokens, i, specs)
                if last is not None:
                    found.append((-variant.weight, i, last, variant.payload))
        found.sort(key=lambda f: (f[0], f[1]))
        # Which tokens each layer has used: a match is kept when none of its tokens is taken (linear, not pairwise).
        used: dict[Any, bytearray] = {}
        kept: list[tuple[int, int, Any]] = []
        for _, first, last, payload in found:
            layer = self._layer(payload)
            taken = used.get(layer)
            if taken is None:
                taken = used[layer] = bytearray(n)
            if taken.find(1, first, last + 1) < 0:         # none of its tokens taken
                taken[first:last + 1] = b"\x01" * (last + 1 - first)
                kept.append((tokens[first][0], tokens[last][1], payload))
        for s, e, payload in sorted(kept, key=lambda t: t[0]):
            yield PhraseMatch(s, e, text[s:e], payload)


@dataclass(frozen=True, slots=True, eq=False)     # (no __eq__: "None in" a list of them stays in C)
class _Starts:
    """The variants that can start at one token form, in table order, by the form of the token after it.

    A variant whose second token is a plain word list (no glob, no gap) can match only before one of those words:
    ``by_next[form]`` holds the variants still possible before a token of that form, ``otherwise`` those possible
    before any other token or at the end of the text (one-token variants, and those whose second token is a glob or
    a gap). Telling them apart once per form saves testing each variant at each token (measured: 1,100 variants
    tried per generated 600-word article, 900 of them ruled out by the next token)."""
    by_next: dict[str, tuple[_Variant, ...]]
    otherwise: tuple[_Variant, ...]

    @staticmethod
    def of(variants: list[_Variant]) -> _Starts:
        def needs(variant: _Variant) -> frozenset[str] | None:
            """The forms the next token must have, or None when any will do (then _match_from decides)."""
            if len(variant.specs) == 1 or variant.specs[1] is None or variant.specs[1].globs is not None:
                return None
            return variant.specs[1].exact

        needed = [needs(v) for v in variants]
        nexts = {form for forms in needed if forms is not None for form in forms}
        by_next = {form: tuple(v for v, forms in zip(variants, needed) if forms is None or form in forms)
                   for form in nexts}
        return _Starts(by_next, tuple(v for v, forms in zip(variants, needed) if forms is None))


def _tokens_with_candidates(table: PhraseTable, tokens: list[tuple[int, int, str]]
                            ) -> Iterator[tuple[int, _Starts]]:
    """(index, _Starts) of the tokens at which some variant can start, in order: the remembered forms are looked up
    and the tokens that start none passed over in C."""
    forms = list(map(itemgetter(2), tokens))
    candidates = list(map(table._seen.get, forms))    # None: a form not seen before
    if None in candidates:
        for i in [i for i, found in enumerate(candidates) if found is None]:
            candidates[i] = table._candidates(forms[i])
    for i in compress(count(), candidates):
        yield i, candidates[i]


def _match_from(tokens: list[tuple[int, int, str]], i: int, specs: tuple) -> int | None:
    """Index of the last token of a match of `specs` starting at token i, or None (shortest gaps first)."""
    if len(specs) == 1:
        return i
    j, k = i + 1, 1
    while k < len(specs):
        spec = specs[k]
        if spec is None:                        # a gap: the next spec may match up to MAX_GAP tokens later
            nxt = specs[k + 1]
            for skip in range(MAX_GAP + 1):
                if j + skip < len(tokens) and nxt.matches(tokens[j + skip][2]):
                    j, k = j + skip + 1, k + 2
                    break
            else:
                return None
            continue
        if j >= len(tokens) or not spec.matches(tokens[j][2]):
            return None
        j, k = j + 1, k + 1
    return j - 1
