"""From raw bytes to clean article text: decoding, HTML extraction, page furniture and repeated pull quotes.

Offsets of every later stage point into `Article.text`; cleaning only removes whole lines or paragraphs and
normalises whitespace inside lines, so every sentence kept appears verbatim in the input.
"""
from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from datetime import date
from functools import lru_cache

from .datafiles import read_tsv
from .records import Article, RawDocument, Rejected
from .safetext import scrub_metadata

__all__ = ["clean_document", "decode_text", "document_id", "parse_date"]

PULL_QUOTE_SEARCH_CHARS = 200_000    # a long feature is ~60,000 characters; pull quotes are a news-page habit
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")   # NUL counts: a stray one is removed, many are binary
_SPACE_CHARS = r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]"
# A run of spaces, which becomes one plain space: _SPACE_CHARS+, less a lone " " (it already is one, and a line has
# one between every two words: replacing them cost a copy each; measured: 93 -> 37 us per 600-word article). The
# pattern opens with the character class, so the regex engine skips to spaces in C.
_SPACES = re.compile(rf"{_SPACE_CHARS}(?:(?<! )|(?={_SPACE_CHARS})){_SPACE_CHARS}*")
_BLANK_LINES = re.compile(r"\n{3,}")     # two or more blank lines, which become one
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_BODY_TAG = re.compile(r"<(?:body|html)[\s>/]", re.I)
PAGE_HEAD_CHARS = 100_000   # where a page's <html> or <body> tag must be, if it has one


def decode_text(content: bytes) -> tuple[str, str] | Rejected:
    """Decode bytes as UTF-8 (or UTF-16/32 with a byte-order mark, or UTF-16 told by its zero bytes), else a legacy
    Western encoding; returns (text, encoding) with NUL characters removed. Binary content is K102."""
    text, encoding = _decode(content)
    sample = text[:8192]
    if sample and len(_CONTROL.findall(sample)) / len(sample) > 0.01:
        return Rejected("", "K102", "binary content (control characters or NUL bytes)")
    return text.replace("\x00", ""), encoding


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),   # UTF-32 first: its LE BOM
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))   # starts like UTF-16's


def _decode(content: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            try:
                return content[len(bom):].decode(encoding), encoding.replace("-le", "").replace("-be", "")
            except UnicodeDecodeError:
                break
    guessed = _utf16_without_bom(content[:8192])
    if guessed:
        try:
            return content.decode(guessed), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return content.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        try:
            return content.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            return content.decode("latin-1"), "latin-1"


def _utf16_without_bom(head: bytes) -> str | None:
    """utf-16-le or -be when the zero bytes say so: text in a Latin script has a zero in nearly every other byte,
    all on one side (a binary file has them on both)."""
    pairs = len(head) // 2
    if pairs < 8:
        return None
    even_zero = head[0:pairs * 2:2].count(0) / pairs
    odd_zero = head[1:pairs * 2:2].count(0) / pairs
    if odd_zero > 0.6 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.6 and odd_zero < 0.05:
        return "utf-16-be"
    return None


@lru_cache(maxsize=1)
def _furniture() -> re.Pattern[str]:
    """One pattern for every language's furniture lines: a line in any language is furniture in all of them."""
    patterns = [row["pattern"] for row in read_tsv("lexicons", "furniture.tsv")]
    return re.compile(r"\s*(?:" + "|".join(patterns) + r")\s*[.:!]?\s*", re.I)


def _clean_lines(text: str) -> str:
    """Normalise whitespace inside lines, drop furniture and pull quotes that repeat a sentence said elsewhere."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    furniture = _furniture()
    kept: list[str] = []
    for line in lines:
        if line and len(line) < 120 and furniture.fullmatch(line):
            continue
        kept.append(line)
    # A paragraph that repeats, word for word, a sentence or paragraph found elsewhere is a pull quote or a
    # repeated heading: keep the first occurrence, which sits in the running text.
    full = "\n".join(kept)
    # Looking for each line elsewhere in the text costs length x lines: past news length, only exact repeats.
    look_inside = len(full) <= PULL_QUOTE_SEARCH_CHARS
    out, seen = [], set()
    for line in kept:
        key = line.strip("‘’'\"“” ").rstrip(".")
        if len(key) > 30 and (key in seen or (look_inside and full.count(key) > 1
                                               and _is_repeat_of_running_text(full, line, key))):
            continue
        seen.add(key)
        out.append(line)
    cleaned = "\n".join(out)
    if "\n\n\n" in cleaned:           # (a substring search: the regex would try every character of every article)
        cleaned = _BLANK_LINES.sub("\n\n", cleaned)
    return cleaned.strip()


def _is_repeat_of_running_text(full: str, line: str, key: str) -> bool:
    # The line is a standalone copy when the same words also occur inside a longer paragraph.
    first = full.find(key)
    start = full.rfind("\n", 0, first) + 1
    end = full.find("\n", first)
    paragraph = full[start:end if end >= 0 else len(full)]
    return paragraph != line


def document_id(text: str) -> str:
    """Stable id from the normalised text: the same article re-ingested gets the same id."""
    # whitespace runs as one space, ends stripped: re.sub(r"\s+", " ", ...).strip(), which str.split() does at C
    # speed (its whitespace is exactly re's \s: str.isspace)
    normalised = " ".join(unicodedata.normalize("NFC", text).split()).lower()
    return "doc_" + hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:16]


def parse_date(value: object) -> date | None:
    """An ISO date (or the date part of an ISO timestamp) from metadata; None when absent or unreadable."""
    if isinstance(value, date):
        return value
    match = _DATE.search(str(value or ""))
    if not match:
        return None
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        return None


def _extract_html(html: str) -> dict | None:
    import trafilatura  # imported here: 0.3 s, and plain-text corpora never need it

    doc = trafilatura.bare_extraction(html, with_metadata=True, deduplicate=False, include_comments=False,
                                      include_tables=False, favor_precision=True,
                                      date_extraction_params={"extensive_search": False, "original_date": True})
    if doc is None:
        return None
    found = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    # A page whose extracted text has hardly a word is broken markup, not an article.
    return found if sum(c.isalpha() for c in found.get("text") or "") >= 20 else None


def _extract_html_or_fragment(html: str) -> dict | None:
    """A whole page, or a fragment of one (``<p>…</p>`` with no ``<html>`` or ``<body>``): trafilatura finds no
    article in a bare fragment, so it gets the page around it."""
    found = _extract_html(html)
    if found is None and not _BODY_TAG.search(html[:PAGE_HEAD_CHARS]):
        found = _extract_html(f"<html><body>{html}</body></html>")
    return found


def clean_document(raw: RawDocument) -> Article | Rejected:
    """Turn a RawDocument into an Article, or say why it cannot be one."""
    if not raw.content.strip():
        return Rejected(raw.origin, "K101", "empty document")
    decoded = decode_text(raw.content)
    if isinstance(decoded, Rejected):
        return Rejected(raw.origin, decoded.code, decoded.reason)
    text, encoding = decoded
    meta = scrub_metadata(raw.metadata)
    if raw.media_type == "html":
        found = _extract_html_or_fragment(text)
        if found is None:
            return Rejected(raw.origin, "K105", "malformed HTML: no article text could be extracted")
        text = found["text"]
        for key, theirs in (("title", "title"), ("author", "author"), ("source", "sitename"), ("url", "url")):
            meta.setdefault(key, found.get(theirs))
        # The page's own date only when the caller gave none; trafilatura never invents one with these settings.
        meta.setdefault("published", found.get("date"))
    text = _clean_lines(text)
    if not text:
        return Rejected(raw.origin, "K101", "empty document (nothing left after cleaning)")
    return Article(doc_id=document_id(text), text=text, origin=raw.origin,
                   title=_str(meta.get("title")), published=parse_date(meta.get("published")),
                   url=_str(meta.get("url")), author=_str(meta.get("author")), outlet=_str(meta.get("source")),
                   language=_str(meta.get("language")), encoding=encoding)


def _str(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None
