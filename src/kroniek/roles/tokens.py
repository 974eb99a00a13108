"""Tokens and sentences of a text, case-insensitive, as character offsets (no model needed)."""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Tokens", "tokenise"]

# Words keep inner hyphens, apostrophes, dots, slashes and ampersands ("ak-47", "u.s", "people's");
# every other non-space character is a token of its own.
_TOKEN = re.compile(r"\w+(?:[-'./&]\w+)*|[^\w\s]")
_SENTENCE_END = frozenset(".?!")


@dataclass(frozen=True, slots=True)
class Tokens:
    """A text's tokens: lower-cased words, their offsets and the index of their sentence."""
    words: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    sentence: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.words)


def tokenise(text: str) -> Tokens:
    """Split ``text`` into lower-cased tokens; a sentence ends at . ? ! followed by a space or the end."""
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    sentence: list[int] = []
    current = 0
    length = len(text)
    for match in _TOKEN.finditer(text):
        word = match.group().lower()
        words.append(word)
        starts.append(match.start())
        ends.append(match.end())
        sentence.append(current)
        if word in _SENTENCE_END and (match.end() >= length or text[match.end()].isspace()):
            current += 1
    return Tokens(tuple(words), tuple(starts), tuple(ends), tuple(sentence))
