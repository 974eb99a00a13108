"""Language identification: which supported language an article is in, or a Rejected saying it is in none.

A function-word check catches texts in languages Kroniek has no data for, which a two-language detector would
otherwise force into one of its two, and decides when one supported language clearly leads; lingua (loaded with the
supported languages only, on first need) chooses when the profile is ambiguous.
"""
from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from .datafiles import read_tsv
from .records import Article, Rejected

__all__ = ["SUPPORTED_LANGUAGES", "identify_language", "detect_language"]

SUPPORTED_LANGUAGES = ("nl", "en")
# Share of tokens that must be function words of a supported language. Real news in nl/en scores 0.30-0.50;
# German, French and Spanish news score under 0.12 (measured on the samples in tests/test_langid.py).
MIN_FUNCTION_WORD_SHARE = 0.18
MIN_LETTERS = 20
SAMPLE_CHARS = 2000
# Lingua is asked only when the function words leave a doubt: the runner-up language's share is more than this part
# of the leader's. In the 48 dutch_news_dev articles and the generated benchmark texts the runner-up has at most 0.29
# of the leader's share (words both lists hold: 'in', 'is', 'we'), and lingua agreed on every one.
MAX_RUNNER_UP_RATIO = 0.5
_TOKEN = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def function_words() -> dict[str, frozenset[str]]:
    """Each language's commonest function words (lexicons/function_words.tsv): the profile that tells the language,
    and (extract/roles.py, extract/people.py) the words that stand inside no noun phrase before its noun."""
    return {row["language"]: frozenset(row["words"].split()) for row in read_tsv("lexicons", "function_words.tsv")}


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(__import__("lingua").IsoCode639_1, code.upper()))
                 for code in SUPPORTED_LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()


def detect_language(text: str) -> str | None:
    """The supported language `text` is written in, or None when it is in none of them."""
    sample = text[:SAMPLE_CHARS]
    tokens = [t.lower() for t in _TOKEN.findall(sample)]
    if not tokens:
        return None
    words = function_words()
    shares = {lang: sum(t in ws for t in tokens) / len(tokens) for lang, ws in words.items()}
    ranked = sorted(shares.values(), reverse=True)
    if ranked[0] < MIN_FUNCTION_WORD_SHARE:
        return None
    if len(ranked) == 1 or ranked[1] <= MAX_RUNNER_UP_RATIO * ranked[0]:
        return max(shares, key=shares.get)      # unambiguous: no need for lingua (and its 1-2 ms, 130 MB)
    found = _detector().detect_language_of(sample)
    if found is None:
        return max(shares, key=shares.get)
    return found.iso_code_639_1.name.lower()


def identify_language(article: Article) -> Article | Rejected:
    """The article with its language set; a language given in the metadata is trusted when supported."""
    given = (article.language or "").lower()[:2] or None
    if given and given not in SUPPORTED_LANGUAGES:
        return Rejected(article.origin, "K108",
                        f"unsupported language '{given}' (supported: {', '.join(SUPPORTED_LANGUAGES)})")
    if given:
        return dataclasses.replace(article, language=given)
    if sum(c.isalpha() for c in article.text[:SAMPLE_CHARS]) < MIN_LETTERS:
        return Rejected(article.origin, "K111", "too little text to tell its language")
    language = detect_language(article.text)
    if language is None:
        return Rejected(article.origin, "K108",
                        f"unsupported language (not {' or '.join(SUPPORTED_LANGUAGES)}); nothing extracted")
    return dataclasses.replace(article, language=language)
