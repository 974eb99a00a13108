"""Faster forms of a computation give exactly what the plain form gives (speed work must not change any output)."""
from __future__ import annotations

import random
import re

from kroniek.annotate.phrases import WordStartPattern


def _texts(seed: int, words: list[str], count: int = 3000) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(words) + rnd.choice(["", " ", ", ", "-", "\n"]) for _ in range(rnd.randint(0, 12)))
            for _ in range(count)]


def test_word_start_pattern_finds_what_the_lookbehind_pattern_finds():
    words = ["groep", "Groep", "de", "Adara", "al-Adl", "x", "twee", "tweeën", "een", "drieëntwintig", "10", "20",
             "honderd", "én", "ß", "İ", "'", ".", "ſ"]
    bodies = [r"(?i:(?P<noun>groep|bende)), (?:(?i:de) )?(?P<name>[A-Z][\w'-]+)(?=,)|(?i:(?P<noun2>groep)) "
              r"(?P<name2>[A-Z]\w+)",
              r"(?:een|twee|drie|honderd|tien)+(?!\w)|\d+(?:[.,]\d+)*(?![\w-])",
              r"(?:e|en|n)(?: de)?"]
    for body in bodies:
        for edge in (r"\w", r"\w-"):
            plain = re.compile(rf"(?<![{edge}])(?:{body})")
            fast = WordStartPattern(body, edge)
            for text in _texts(len(body), words):
                expected = [(m.span(), m.groupdict()) for m in plain.finditer(text)]
                found = [(m.span("_body"), {k: v for k, v in m.groupdict().items() if k != "_body"})
                         for m in fast.matches(text)]
                assert found == expected, text


def test_sentence_candidates_and_word_before_match_the_plain_regexes():
    from kroniek.annotate import sentences

    plain = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[\w¿¡])|\n\s*\n|\n(?=\s*\S)")
    word_before = re.compile(r"(\S+)$")
    words = ["a", "B", ".", "..", "!", "?", "…", "\n", "\n\n", " ", "\t", "\u00a0", '"', "'", "”", "’", ")", "]",
             "“", "(", "[", "¿", "x.y", "Dr", "é"]
    rnd = random.Random(5)
    for _ in range(5000):
        text = "".join(rnd.choice(words) for _ in range(rnd.randint(0, 20)))
        assert [m.span() for m in sentences._CANDIDATE.finditer(text)] == [m.span() for m in plain.finditer(text)]
        for end in range(len(text) + 1):
            found = word_before.search(text, max(0, end - 40), end)
            assert sentences._word_before(text, end) == (found.group(1) if found else ""), (text, end)


def test_space_runs_become_one_space_as_with_the_plain_pattern():
    from kroniek import clean

    plain = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
    words = [" ", "  ", "\t", "\u00a0", "a", "bc", "\u2003", "\u200b", "\u3000", "\u202f", "x y", "\n"]
    rnd = random.Random(7)
    for _ in range(20000):
        line = "".join(rnd.choice(words) for _ in range(rnd.randint(0, 12)))
        assert clean._SPACES.sub(" ", line) == plain.sub(" ", line), repr(line)
