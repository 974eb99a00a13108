"""Person names by rule: capitalised words with name particles, cued by titles, or "Gökmen T." forms.

Precision comes before recall. A candidate is a run of capitalised words on one line, joined by spaces and
lower-case particles ("Osama bin Laden", "Abu Muhammad al-‘Adnani", "Volkert van der G."). It is a person when

- it has at least two name words ("Anis Amri"), or
- a title or a verb of saying comes just before it ("woordvoerder Abu Muhammad al-‘Adnani", "President
  Erdogan", "IS-leider X", "zegt Jansen"), or
- it is a given name with a surname initial, the Dutch way of naming suspects ("Gökmen T.", "Mohammed Al-M."),
- or it repeats the surname of a name found earlier in the text ("Gökmen Tanis ... Tanis").

Words that make a run something else split it: acronyms ("NMBS"), organisation, place, group and demonym words
("Manchester Arena", "Binnenlandse Zaken Otto Schily" keeps only "Otto Schily"), descriptors with a hyphen
("Knesset-lid"), dictionary actors ("Boko Haram") and spans the caller excludes (places). A run after an
article ("het Vrije Leven", "the Ku Klux Klan"), led by a place word ("Den Haag", "Tal Afar") or inside a
title-case headline is not a name. The cue words are data, in ``data/lexicons/person_cues.tsv``.

Without place spans to exclude, a place of two capitalised words that no place word gives away ("Abu Dhabi")
can come out as a name; a caller can pass the place finder's spans in ``exclude``.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from ..datafiles import read_tsv
from ..records import ActorRef, Span
from .actors import find_actors, is_upper_case_text, normalise_for_matching

__all__ = ["find_persons"]

# One name word, on accent-stripped text: "Amri", "al-Baghdadi", "al-'Adnani", "O'Brien", "AlDe'emeh",
# "Lahouaiej-Bouhlel", "d'Estaing", "Al-M." (a surname initial after a particle); or an initial "T.".
_PREFIX = r"(?:al|el|ad|an|ar|as|ash|at|az|ud|ul|bin|ibn|abu|d|l)-?'?"
_TAIL = r"(?:[^\W\d_]|[-'](?=[^\W\d_]))*(?:(?<=[-'][A-Z])\.)?"
_WORD = rf"(?:[A-Z]\.|(?:{_PREFIX}(?=[A-Z]))?[A-Z]{_TAIL})"
_PARTICLE = r"(?:van|der|den|de|ter|ten|te|von|zu|bin|ibn|bint|al|el|ul|ud|da|di|dos|das|du|le|la|del|della|y)"
# A run starts at a capital (the look-ahead lets the regex engine skip everything else quickly); its words are
# separated by spaces (never a line break) or follow an initial's dot directly ("J.K.").
_RUN = re.compile(rf"(?=[A-Z])(?<![\w'])(?:[A-Z]\.|[A-Z]{_TAIL})(?:(?:[ \t]+|(?<=\.))(?:{_PARTICLE}[ \t]+)*{_WORD})*")
_RUN_WITH_PREFIX = re.compile(rf"{_WORD}(?:(?:[ \t]+|(?<=\.))(?:{_PARTICLE}[ \t]+)*{_WORD})*")
# A run that starts after a hyphen continues a particle ("al-Baghdadi") or is part of another word ("anti-IS").
_PREFIX_BEFORE = re.compile(rf"(?<![\w'-]){_PREFIX}$")
_INITIALS = re.compile(r"(?:[A-Z]\.)+")
_SURNAME_INITIAL = re.compile(r"[-'][A-Z]\.$")
_NOT_LETTER = re.compile(r"[^A-Za-z]")
_NO_CUE_AFTER = frozenset(",;:()\"\n")
_SENTENCE_START = re.compile(r"(?:^|[.!?:\"'(\[\n-])\s*$")
_CLAUSE_END = re.compile(r"(?:'s)?[ \t]*(?:[,.;:!?)\"']|$)")
_NUMBER_AFTER = re.compile(r"[ \t]*\d")
_HEADLINE_WORD = re.compile(r"[^\W\d_]{3,}")
_SENTENCE_PUNCTUATION = re.compile(r"[.!?][\"')]*(?:\s|$)")
_MIN_CLOSED_TITLE = 5      # "defensieminister", "oppositieleider": closed compounds only of titles this long
_MIN_CLOSED_NONPERSON = 5  # "Wereldoorlog", "Kerstmarkt": a word ending in a non-person word this long
# Particles that join a Dutch or German surname ("Jan van Dijk"); after two name words they start a place or
# organisation instead ("Leo Pardon van de NMBS").
_SURNAME_PARTICLES = frozenset({"van", "de", "der", "den", "ter", "ten", "te", "von", "zu"})
_PORTFOLIO_LINKS = frozenset({"van", "voor", "of", "for"})


@dataclass(frozen=True, slots=True)
class _Cues:
    titles: frozenset[str]
    stopwords: frozenset[str]
    months: frozenset[str]
    particles: frozenset[str]
    nonperson: frozenset[str]
    place_first: frozenset[str]
    speech: frozenset[str]
    articles: frozenset[str]
    adjective_suffixes: tuple[str, ...]
    role_suffixes: tuple[str, ...]
    closed_titles: tuple[str, ...]
    closed_nonperson: tuple[str, ...]


_SHARED_TYPES = frozenset({"nonperson", "place_first", "adjective_suffix", "particle"})


@lru_cache(maxsize=None)
def _cues(language: str | None) -> _Cues:
    words: dict[str, set[str]] = {}
    for row in read_tsv("lexicons", "person_cues.tsv"):
        own = language not in ("nl", "en") or row["language"] in (language, "*")
        if not own and row["type"] not in _SHARED_TYPES:
            continue
        words.setdefault(row["type"], set()).update(
            normalise_for_matching(w).lower().replace("_", " ") for w in row["words"].split())
    titles = frozenset(words.get("title", ()))
    nonperson = frozenset(words.get("nonperson", ()))
    return _Cues(
        titles=titles,
        stopwords=frozenset(words.get("stopword", ())),
        months=frozenset(words.get("month", ())),
        particles=frozenset(words.get("particle", ())),
        nonperson=nonperson,
        place_first=frozenset(words.get("place_first", ())),
        speech=frozenset(words.get("speech", ())),
        articles=frozenset(words.get("article", ())),
        adjective_suffixes=tuple(sorted(words.get("adjective_suffix", ()))),
        role_suffixes=tuple(sorted(words.get("role_suffix", ()))),
        closed_titles=closed_titles(titles),
        closed_nonperson=tuple(sorted(w for w in nonperson if len(w) >= _MIN_CLOSED_NONPERSON)),
    )


def is_title(word: str, language: str | None) -> bool:
    """Whether a word is a title that stands before a person's name ("president", "militair", "spokesman")."""
    return _is_title(normalise_for_matching(word).lower(), _cues(language), language)


def _is_title(word: str, cues: _Cues, language: str | None) -> bool:
    """A title word: "minister", "IS-woordvoerder", "Knesset-lid", Dutch "defensieminister"."""
    return title_among(word.rstrip("."), cues.titles, cues.closed_titles, language)


def closed_titles(titles: Iterable[str]) -> tuple[str, ...]:
    """The titles a Dutch closed compound may end in (_MIN_CLOSED_TITLE letters or more), for title_among."""
    return tuple(sorted(t for t in titles if len(t) >= _MIN_CLOSED_TITLE))


def title_among(word: str, titles: frozenset[str], closed: tuple[str, ...], language: str | None) -> bool:
    """Whether a lower-case word is one of `titles`: itself, after a hyphen ("IS-woordvoerder"), or, outside English,
    as the end of a closed compound (`closed`, from closed_titles: "defensieminister")."""
    if word in titles:
        return True
    if "-" in word and word.rsplit("-", 1)[1] in titles:
        return True
    if language != "en" and word.endswith(closed):        # one C call; most words fail here
        return any(word.endswith(t) and len(word) > len(t) + 2 for t in closed)
    return False


def _is_nonperson(word: str, cues: _Cues) -> bool:
    """An organisation, place, group or demonym word, or a Dutch adjective ("Binnenlandse"), never a name."""
    pieces = (word, *re.split(r"[-']", word)) if ("-" in word or "'" in word) else (word,)
    if any(p in cues.nonperson for p in pieces):
        return True
    if word.endswith(cues.adjective_suffixes):
        return True
    return len(word) > _MIN_CLOSED_NONPERSON + 2 and word.endswith(cues.closed_nonperson)


def _is_headline(text: str, position: int) -> bool:
    """True inside a line written in title case ("Police Arrest Man After Attack"): capitals say nothing there."""
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    if _SENTENCE_PUNCTUATION.search(line):          # prose, not a headline
        return False
    words = _HEADLINE_WORD.findall(line)
    return len(words) >= 4 and sum(1 for w in words if w[0].isupper()) >= 0.7 * len(words)


def _kind(token: str, lower: str, cues: _Cues) -> str:
    """initial | particle | acronym | descriptor | word."""
    if _INITIALS.fullmatch(token) or _SURNAME_INITIAL.search(token):
        return "initial"
    if lower in cues.particles:
        return "particle"
    letters = _NOT_LETTER.sub("", token)
    if len(letters) >= 2 and letters.isupper():
        return "acronym"
    # A lower-case part after a hyphen describes a role or a thing: "Knesset-lid", "Concorde-ramp".
    parts = token.split("-")
    if len(parts) > 1 and any(p[:1].islower() and p.lower() not in cues.particles for p in parts[1:]):
        return "descriptor"
    return "word"


def _previous_word(text: str, end: int) -> tuple[str, int]:
    """The word ending at ``end`` (after spaces and one dot are skipped) and its start; ("", -1) if none."""
    j = end
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    if j > 0 and text[j - 1] == "." and j < end:
        j -= 1                                    # "Dr. Smith", "Gen. X"
    if j == 0 or text[j - 1] in _NO_CUE_AFTER:
        return "", -1
    k = max(text.rfind(" ", 0, j), text.rfind("\n", 0, j), text.rfind("\t", 0, j))
    return text[k + 1:j].strip("\"'(").lower(), k + 1


def _cue_before(text: str, start: int, cues: _Cues, language: str | None) -> str | None:
    """What ends just before ``start``: "title", "speech" (a verb of saying), "portfolio" (a title and
    "van", "voor", "of", "for": "minister van Verkeer Isabelle Durant"), or None."""
    last, at = _previous_word(text, start)
    if not last or last[:1].isdigit():
        return None
    if last in cues.articles and text[at:at + len(last)].islower():
        return "article"                          # "het Vrije Leven", "the Ku Klux Klan"
    if _is_title(last, cues, language):
        return "title"
    if last in cues.speech:
        return "speech"
    if last in _PORTFOLIO_LINKS or last == "to":
        first, _ = _previous_word(text, at)
        if f"{first} {last}" in cues.speech:      # "according to Smith"
            return "title"
        if last in _PORTFOLIO_LINKS and first and _is_title(first, cues, language):
            return "portfolio"
    return None


def find_persons(text: str, language: str | None, exclude: Sequence[Span] | None = None) -> tuple[Span, ...]:
    """Person names in ``text`` as sorted, non-overlapping spans (label "person", producer "persons").

    ``value`` is ``ActorRef(None, <the name as written, typographic quotes normalised>, "person")``.
    ``exclude``: spans a name may not overlap (places, actors); by default the actor dictionary's matches.
    A text written wholly in capitals has no usable capitalisation and yields nothing.
    """
    if not text or is_upper_case_text(text):
        return ()
    cues = _cues(language)
    matched = normalise_for_matching(text)
    if exclude is None:
        exclude = find_actors(text, language)
    blocked = sorted((s.start, s.end) for s in exclude)
    found: list[tuple[int, int]] = []
    for run in _RUN.finditer(matched):
        if run.start() and matched[run.start() - 1] == "-":
            prefix = _PREFIX_BEFORE.search(matched, max(0, run.start() - 6), run.start())
            if prefix is None:
                continue                          # "anti-IS", "Oost-Mosoel"'s second part
            run = _RUN_WITH_PREFIX.match(matched, prefix.start()) or run
        if " " not in run.group() and "." not in run.group()[1:] \
                and _cue_before(matched, run.start(), cues, language) in (None, "article"):
            continue                              # one word without a title before it: never a name (fast path)
        for start, end in _names_in_run(run, matched, cues, language, blocked):
            if not _is_headline(matched, start):
                found.append((start, end))
    found += _repeated_surnames(matched, found, blocked, cues)
    found += _repeated_initials(matched, found, blocked)
    spans = []
    for start, end in sorted(found):
        name = normalise_for_matching(text[start:end], strip_accents=False)
        spans.append(Span(start, end, text[start:end], "person", ActorRef(None, name, "person"), "persons"))
    return tuple(spans)


def _names_in_run(run: re.Match[str], text: str, cues: _Cues, language: str | None,
                  blocked: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) of the names inside one run of capitalised words."""
    tokens = []
    position = run.start()
    for token in run.group().split():
        position = text.index(token, position)
        tokens.append((token, position, position + len(token)))
        position += len(token)
    cue = _cue_before(text, run.start(), cues, language)
    if cue == "speech" and language == "en" and not _CLAUSE_END.match(text, run.end()):
        cue = None                                # "said Germany would": a reported clause, not a speaker
    if cue == "article":
        return []
    cued = cue is not None
    if cue == "portfolio" and len(tokens) > 1:
        tokens = tokens[1:]                       # the first word names the portfolio: "Verkeer", "Leefmilieu"
    sentence_start = run.start() == 0 or bool(_SENTENCE_START.search(text, max(0, run.start() - 3), run.start()))
    segments: list[tuple[list[tuple[str, int, int]], bool, bool]] = []   # words, cued, starts a sentence
    current: list[tuple[str, int, int]] = []
    skip_next = False                             # the next words follow an article: not a person

    def close(next_cued: bool) -> None:
        nonlocal current, cued, sentence_start, skip_next
        if current and not skip_next:
            segments.append((current, cued, sentence_start))
        if current:
            skip_next = False
        current, cued, sentence_start = [], next_cued, False

    for index, (token, start, end) in enumerate(tokens):
        lower = token.lower()
        possessive = lower.endswith("'s")
        if possessive:                                                   # "Abdeslam's"
            lower = lower[:-2]
        bare = lower.rstrip(".")
        kind = _kind(token, bare, cues)
        names_so_far = sum(1 for t in current if t[0][:1].isupper() and not t[0].endswith("."))
        if _overlaps(blocked, start, end):                                 # an actor or a place
            close(False)
            skip_next = False                                              # "Het Al Qaeda van Osama bin Laden"
        elif kind == "particle" and current:
            if bare in _SURNAME_PARTICLES and names_so_far >= 2:           # "Leo Pardon van de NMBS"
                close(False)
            else:
                current.append((token, start, end))                       # "Bart De Wever", "bin Laden"
        elif kind == "acronym":
            close(False)
            skip_next = False
        elif kind == "descriptor" or _is_title(bare, cues, language):
            # Words between two titles belong to the title: "Chief Executive Officer".
            if cued and current:
                current = []
            close(True)
            skip_next = False                                              # "The Rev. Jesse Jackson"
        elif bare in cues.stopwords or (bare in cues.months and (not current or _NUMBER_AFTER.match(text, end))):
            close(bare in cues.speech)                                     # "Volgens Jansen"
            if bare in cues.articles:
                skip_next = True                                           # "Het Vrije Leven", "The Black Crowes"
        elif _is_nonperson(bare, cues):
            # "Manchester Arena": drop the modifiers. Words after an organisation's name are a name only after a
            # portfolio ("minister van Binnenlandse Zaken Otto Schily"), else they continue it.
            current = []
            close(cue == "portfolio")
            following = tokens[index + 1][0].lower() if index + 1 < len(tokens) else ""
            if cue != "portfolio" and index > 0 and not _is_title(following, cues, language):
                break                                                      # "Iraqi Prime Minister X" goes on
        else:
            current.append((token, start, end))
            if possessive:                        # "Hamburg's Schanzenviertel": what follows is possessed
                break
    close(False)
    return [name for words, was_cued, at_start in segments
            if (name := _accept(words, was_cued, at_start, text, cues)) is not None]


def _written_in_lower_case(text: str, word: str) -> bool:
    """Whether ``word`` (lower case) occurs as a whole word somewhere in ``text``."""
    at = text.find(word)
    while at >= 0:
        before = text[at - 1] if at else " "
        after = text[at + len(word):at + len(word) + 1] or " "
        if not (before.isalnum() or before in "-'") and not (after.isalnum() or after in "-'"):
            return True
        at = text.find(word, at + 1)
    return False


def _overlaps(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of ``spans`` (sorted by start; spans do not nest)."""
    index = bisect_right(spans, (end, -1))
    return index > 0 and spans[index - 1][1] > start


def _accept(words: list[tuple[str, int, int]], cued: bool, sentence_start: bool, text: str,
            cues: _Cues) -> tuple[int, int] | None:
    """The (start, end) of a name made of ``words``, or None when they are not a person's name."""
    while words and words[-1][0].lower() in cues.particles:
        words = words[:-1]
    while words and words[0][0].lower() in cues.particles and words[0][0][0].islower():
        words = words[1:]
    if sentence_start and len(words) > 1 and words[0][0][1:].islower():
        # A sentence's first word that the text also writes in lower case is an ordinary word: "Daarna Jan ...".
        if _written_in_lower_case(text, words[0][0].lower()):
            words = words[1:]
    if not words or words[0][0].lower().rstrip(".") in cues.place_first:
        return None
    kinds = [_kind(w[0], w[0].lower().rstrip("."), cues) for w in words]
    for index in range(1, len(kinds) - 2):
        # A lower-case "van" followed by a full name is a preposition: "Documentaire van Jacques Cotta".
        if kinds[index] == "particle" and words[index][0] in _SURNAME_PARTICLES and kinds[index - 1] != "particle" \
                and kinds[index + 1:index + 3] == ["word", "word"]:
            words, kinds = words[index + 1:], kinds[index + 1:]
            break
    names = kinds.count("word")
    if names >= 3 and kinds[0] == "word" and words[0][0].lower().endswith(cues.role_suffixes):
        words, kinds, names = words[1:], kinds[1:], names - 1   # "Danseres Carmen Lozano"
    suspect_form = kinds[0] == "word" and kinds[-1] == "initial"             # "Gökmen T."
    initial_first = kinds[0] == "initial" and kinds[-1] == "word"            # "J. Smith"
    if not (names >= 2 or (cued and names >= 1) or (names >= 1 and (suspect_form or initial_first))):
        return None
    start, end = words[0][1], words[-1][2]
    if words[-1][0].lower().endswith("'s"):
        end -= 2                                                          # "Abdeslam's" -> "Abdeslam"
    return start, end


MAX_INITIAL_CHARS = 5     # "E.", "T.", "Al-M.": the abbreviated surname of a suspect ("Bekir E.")


def _repeated_initials(text: str, found: Sequence[tuple[int, int]], blocked: Sequence[tuple[int, int]]
                       ) -> list[tuple[int, int]]:
    """Later mentions of an abbreviated surname on its own, after the full form: "Bekir E. ... E. (31) werd"."""
    first_seen: dict[str, int] = {}
    for start, end in found:
        parts = text[start:end].split()
        if len(parts) >= 2 and parts[-1].endswith(".") and len(parts[-1]) <= MAX_INITIAL_CHARS \
                and parts[-1][:1].isupper():
            first_seen.setdefault(parts[-1], end)
    if not first_seen:
        return []
    taken = sorted([*found, *blocked])
    pattern = re.compile(rf"(?<![\w'.-])(?:{'|'.join(map(re.escape, sorted(first_seen)))})(?![\w])")
    return [(m.start(), m.end()) for m in pattern.finditer(text)
            if m.start() >= first_seen[m.group()] and not _overlaps(taken, m.start(), m.end())]


def _repeated_surnames(text: str, found: Sequence[tuple[int, int]], blocked: Sequence[tuple[int, int]],
                       cues: _Cues) -> list[tuple[int, int]]:
    """Later mentions of a found name's surname on its own: "Gökmen Tanis ... Tanis zei"."""
    surnames = set()
    for start, end in found:
        parts = text[start:end].split()
        if len(parts) >= 2 and not parts[-1].endswith("."):
            surnames.add(parts[-1])
    surnames = {s for s in surnames if len(s) > 2 and s.lower() not in cues.stopwords and s.lower() not in cues.months}
    if not surnames:
        return []
    taken = sorted([*found, *blocked])
    pattern = re.compile(rf"(?<![\w'-])(?:{'|'.join(map(re.escape, sorted(surnames)))})(?![\w-])")
    return [(m.start(), m.end()) for m in pattern.finditer(text) if not _overlaps(taken, m.start(), m.end())]
