"""Actor mentions: names of armed groups, state forces, organisations and generic actors, from a dictionary.

The dictionary is ``data/actors.json`` (described in ``data/actors.md``): one object per actor with its
canonical English name, kind, country and aliases per language. Matching is on tokens through a trie
built once per language, so a 600-word article costs a few hundred dictionary look-ups:

- case-insensitive, except the aliases listed in ``case_sensitive`` ("IS", "US", "The Base"): their
  capitalised tokens must match exactly, and in a text written wholly in upper case (MUC-4 wires) they are
  skipped, since case can no longer tell "IS" from the verb;
- typographic apostrophes, quotes, hyphens and accents are normalised one character for one, so offsets
  stay those of the original text ("al-Hashd ash-Sha’bi", "Israëlische");
- the longest match wins; a named actor followed by a compound head from
  ``data/lexicons/actor_compounds.tsv`` ("IS-strijders", "Hamasleider", "ISIS fighters") is one mention of
  that actor;
- phrases in ``data/lexicons/actor_exclusions.tsv`` ("Leger des Heils") block the aliases inside them.
"""
from __future__ import annotations

import re
import unicodedata
from itertools import accumulate, compress, count
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Mapping

from ..datafiles import read_json, read_tsv
from ..records import ActorRef, Span
from .phrases import WordStartPattern

__all__ = [
    "find_actors", "actor_entries", "actor_by_id", "compound_heads", "normalise_for_matching", "is_upper_case_text",
]

LANGUAGES = ("en", "nl")
# Kinds whose names do not take compound heads: "Telegram-leden" is not a member of Telegram.
_NO_COMPOUND_KINDS = frozenset({"media_platform"})
# A closed Dutch compound ("Hamasleider") is generated only from one-word names at least this long, so that
# short acronyms never glue onto ordinary words.
_MIN_CLOSED_STEM = 4

_QUOTES = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "\u0060": "'",
    "\u02bc": "'", "\u02bb": "'", "\u02be": "'", "\u02bf": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u00ad": "-",
}


def _build_tables() -> tuple[dict[int, str], dict[int, str]]:
    """Two one-to-one translation tables: quotes only, and quotes plus accents stripped."""
    quotes = {ord(k): v for k, v in _QUOTES.items()}
    accents = dict(quotes)
    for code in range(0x00C0, 0x0250):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0]
        if base != char and base.isascii() and base.isalpha():
            accents[code] = base
    # Letters without a decomposition, mapped by hand so that "Łukasz" and "Søren" match like "Lukasz", "Soren".
    accents.update({ord(k): v for k, v in zip("ŁłØøĐđıßÆæŒœ", "LlOoDdisAaOo")})
    return quotes, accents


_QUOTE_TABLE, _MATCH_TABLE = _build_tables()

# Words, single whitespace runs and single other characters; all offsets map one to one onto the text.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")
_LOWER_PAIR = re.compile(r"[a-zß-öø-ÿ]{2}")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def normalise_for_matching(text: str, *, strip_accents: bool = True) -> str:
    """The text with typographic quotes, hyphens (and accents) replaced one character for one."""
    if text.isascii():
        return text
    table = _MATCH_TABLE if strip_accents else _QUOTE_TABLE
    # Substituting only the non-ASCII characters is ten times faster than str.translate on a whole article.
    return _NON_ASCII.sub(lambda m: m.group().translate(table), text)


def is_upper_case_text(text: str) -> bool:
    """True when a text is written in capitals (a wire in upper case), so case says nothing.

    Upper case: at least eight capitals and no two lower-case letters in a row (a stray "m" is tolerated).
    """
    return _LOWER_PAIR.search(text) is None and len(_UPPER.findall(text)) >= 8


def _key(token: str) -> str:
    return " " if token[0].isspace() else token.lower()


@dataclass(frozen=True, slots=True)
class _Target:
    """What a dictionary path leads to: an actor and the case each token must have (None: any case)."""
    ref: ActorRef | None                 # None: an exclusion phrase
    exact: tuple[str | None, ...] | None  # None: case-insensitive
    compoundable: bool = False


@dataclass(slots=True)
class _Node:
    children: dict[str, "_Node"] = field(default_factory=dict)
    targets: list[_Target] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Matcher:
    root: _Node
    heads: Mapping[str, frozenset[str]]  # join ("hyphen", "space", "apostrophe") -> head words


@lru_cache(maxsize=1)
def actor_entries() -> tuple[Mapping[str, object], ...]:
    """The actor dictionary as loaded from ``data/actors.json``."""
    return tuple(read_json("actors.json"))


@lru_cache(maxsize=1)
def _refs() -> dict[str, ActorRef]:
    return {e["id"]: ActorRef(e["id"], e["name"], e["kind"]) for e in actor_entries()}


def actor_by_id(actor_id: str) -> ActorRef | None:
    """The dictionary actor with this id, or None."""
    return _refs().get(actor_id)


@lru_cache(maxsize=1)
def compound_heads() -> tuple[Mapping[str, str], ...]:
    """Rows of ``data/lexicons/actor_compounds.tsv`` (head, language, meaning, joins)."""
    return tuple(read_tsv("lexicons", "actor_compounds.tsv"))


def _alias_target(alias: str, ref: ActorRef | None, case_sensitive: bool, compoundable: bool) -> tuple[list[str], _Target]:
    tokens = _TOKEN.findall(normalise_for_matching(alias))
    exact = None
    if case_sensitive:
        # Only tokens written with a capital must match exactly: "anti-IS-coalitie" may start a sentence.
        exact = tuple(t if any(c.isupper() for c in t) else None for t in tokens if not t.isspace())
    return [_key(t) for t in tokens], _Target(ref, exact, compoundable)


def _insert(root: _Node, keys: Iterable[str], target: _Target) -> None:
    node = root
    for key in keys:
        node = node.children.setdefault(key, _Node())
    if target not in node.targets:
        node.targets.append(target)


@lru_cache(maxsize=None)
def _matcher(language: str | None) -> _Matcher:
    """The trie for one language: its own aliases, plus the other languages' aliases of named actors."""
    root = _Node()
    languages = (language,) if language in LANGUAGES else LANGUAGES
    closed_heads = {row["head"].lower() for row in compound_heads()
                    if row["language"] in languages and "closed" in row["joins"].split(",")}
    closed_stems: list[tuple[str, _Target]] = []
    for entry in actor_entries():
        ref = _refs()[entry["id"]]
        generic = bool(entry.get("generic"))
        compoundable = not generic and entry["kind"] not in _NO_COMPOUND_KINDS
        case_sensitive = set(entry.get("case_sensitive") or ())
        aliases: list[str] = []
        for lang, names in entry["aliases"].items():
            if lang in languages or not generic:
                aliases.extend(names)
        for alias in dict.fromkeys(aliases):
            keys, target = _alias_target(alias, ref, alias in case_sensitive, compoundable)
            _insert(root, keys, target)
            if compoundable and target.exact is None and len(keys) == 1 and len(keys[0]) >= _MIN_CLOSED_STEM \
                    and keys[0].isalpha():
                closed_stems.append((keys[0], target))
    for stem, target in closed_stems:
        for head in closed_heads:
            # A closed compound is one word: the whole word maps to the actor ("talibanstrijders").
            _insert(root, [stem + head], _Target(target.ref, None, False))
    for row in read_tsv("lexicons", "actor_exclusions.tsv"):
        if row["language"] in languages or row["language"] == "*":
            keys, _ = _alias_target(row["phrase"], None, False, False)
            _insert(root, keys, _Target(None, None, False))
    heads: dict[str, set[str]] = {}
    for row in compound_heads():
        if row["language"] in languages:
            for join in row["joins"].split(","):
                heads.setdefault(join.strip(), set()).add(normalise_for_matching(row["head"]).lower())
    return _Matcher(root, {join: frozenset(words) for join, words in heads.items()})


def _case_ok(target: _Target, text: str, starts: list[int], start: int, end: int, upper_text: bool) -> bool:
    if target.exact is None:
        return True
    if upper_text:
        return False
    found = [text[starts[i]:starts[i + 1]] for i in range(start, end)]
    found = [w for w in found if not w.isspace()]
    return len(found) == len(target.exact) and all(e is None or e == w for e, w in zip(target.exact, found))


def _compound_end(matcher: _Matcher, keys: list[str], end: int) -> int | None:
    """Token index after a compound head that follows a name ending before ``end``, or None."""
    if end + 1 >= len(keys):
        return None
    joiner = keys[end]
    if joiner == "-":
        heads = matcher.heads.get("hyphen", ())
    elif joiner == "'":
        heads = matcher.heads.get("apostrophe", ())
    elif joiner == " ":                       # one plain space, not a line break
        heads = matcher.heads.get("space", ())
    else:
        return None
    return end + 2 if keys[end + 1] in heads else None


@lru_cache(maxsize=None)
def _group_nouns(language: str | None) -> WordStartPattern | None:
    """group_nouns.tsv as one pattern: a group noun, then (after a comma or right after it) a capitalised name.

    Not inside a word: (?<![\\w-]); searched only where a word can start, and only at the first letter of a noun."""
    rows = [r for r in read_tsv("lexicons", "group_nouns.tsv") if language is None or r["language"] == language]
    if not rows:
        return None
    comma = "|".join(re.escape(r["word"]) for r in sorted(rows, key=lambda r: -len(r["word"])))
    loose = "|".join(re.escape(r["word"]) for r in sorted(rows, key=lambda r: -len(r["word"]))
                     if r["apposition"] == "any") or "(?!)"
    # later words may carry a lower-case article ("Jaish al-Adl", "Ansar ash-Sharia")
    name = r"(?P<name>[A-Z][\w'’-]+(?: (?:[a-z]{2,3}-)?[A-Z][\w'’-]+){0,3})"
    # every match starts with a noun's first letter: one class tells most words apart before the nouns are tried
    first_letters = "".join(sorted({re.escape(r["word"][0]) for r in rows}))
    return WordStartPattern(rf"(?=(?i:[{first_letters}]))(?:"
                            rf"(?i:(?P<noun>{comma})), (?:(?i:de|het|the) )?{name}(?=,)"
                            rf"|(?i:(?P<noun2>{loose})) {name.replace('name', 'name2')}(?=[\s,.;:])"
                            ")", r"\w-")


@lru_cache(maxsize=None)
def _group_kinds(language: str | None) -> dict[str, str]:
    return {r["word"].lower(): r["kind"] for r in read_tsv("lexicons", "group_nouns.tsv")
            if language is None or r["language"] == language}


def _named_groups(text: str, language: str | None, found: tuple[Span, ...]) -> list[Span]:
    """Names the dictionary does not know, given as a group's name ("een groep, de Adara,"): actor spans."""
    pattern = _group_nouns(language)
    if pattern is None:
        return []
    lower = text.lower()
    if not any(noun in lower for noun in _group_kinds(language)):
        return []          # most articles name no group noun: skip the pattern's scan
    out = []
    for m in pattern.matches(text):
        key = "name" if m.group("name") else "name2"
        start, end = m.start(key), m.end(key)
        if any(s.start < end and start < s.end for s in found):
            continue
        noun = (m.group("noun") or m.group("noun2")).lower()
        name = m.group(key)
        kind = _group_kinds(language).get(noun, "political_group")
        out.append(Span(start, end, text[start:end], kind, ActorRef(None, name, kind), "actors"))
    return out


def find_actors(text: str, language: str | None) -> tuple[Span, ...]:
    """Actor mentions in ``text``, from the dictionary and as names given to a group ("een groep, de Adara,")."""
    spans = _dictionary_actors(text, language)
    if text:
        named = _named_groups(text, language, spans)
        if named:
            spans = tuple(sorted(spans + tuple(named), key=lambda s: s.start))
    return spans


def _dictionary_actors(text: str, language: str | None) -> tuple[Span, ...]:
    """Actor mentions in ``text``: sorted, non-overlapping spans, longest match first.

    Each span has ``label`` = the actor's kind, ``value`` = :class:`ActorRef` and producer ``"actors"``.
    ``language`` ("nl", "en") selects the generic words ("politie", "gunmen"); None uses all languages.
    """
    if not text:
        return ()
    matcher = _matcher(language)
    normalised = normalise_for_matching(text)
    lowered = normalised.lower()
    if len(lowered) == len(normalised):
        keys = _TOKEN.findall(lowered)
        starts = list(accumulate(map(len, keys), initial=0))
    else:                                     # lower-casing changed a length ("İ"): lower word by word
        words = _TOKEN.findall(normalised)
        keys = [w.lower() for w in words]
        starts = list(accumulate(map(len, words), initial=0))
    root = matcher.root.children
    candidates = list(compress(count(), map(root.__contains__, keys)))     # the tokens in root, at C speed
    if not candidates:
        return ()
    upper_text = is_upper_case_text(normalised)
    spans: list[Span] = []
    n = len(keys)
    covered = 0
    for i in candidates:
        if i < covered or not keys[i][0].isalnum():
            continue
        node: _Node | None = root[keys[i]]
        best: tuple[int, _Target] | None = None
        j = i
        while node is not None:
            j += 1
            for target in node.targets:
                if _case_ok(target, normalised, starts, i, j, upper_text):
                    best = (j, target)
                    break
            if j >= n:
                break
            key = keys[j]
            node = node.children.get(" " if key.isspace() else key)
        if best is None:
            continue
        end, target = best                            # tokens are whole words, so ends are word boundaries
        if target.compoundable:
            end = _compound_end(matcher, keys, end) or end
        covered = end
        if target.ref is not None:
            start_char, end_char = starts[i], starts[end]
            spans.append(Span(start_char, end_char, text[start_char:end_char], target.ref.kind, target.ref, "actors"))
    return tuple(spans)
