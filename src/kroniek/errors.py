"""Kroniek's exceptions and its catalogue of error codes.

Exception tree::

    KroniekError
    ├── InputError        a document or path that cannot be used (carries a Rejected code)
    ├── StoreError        the database cannot be opened, migrated or written
    └── EvaluationError   a benchmark file is missing or malformed

Every message says what went wrong and what to do. Codes are stable: documentation and tests refer to them.
"""
from __future__ import annotations

__all__ = ["KroniekError", "InputError", "StoreError", "EvaluationError", "CODES"]

CODES: dict[str, str] = {
    "K101": "empty document: the file has no text; nothing to do",
    "K102": "binary content: this is not text, HTML or JSON Lines; pass articles only",
    "K103": "undecodable text: not UTF-8 and not a known legacy encoding; convert it to UTF-8",
    "K104": "too large: the document exceeds the size limit; split it or raise --max-bytes",
    "K105": "malformed HTML: no article text could be extracted",
    "K106": "malformed JSON: a JSON Lines record could not be parsed; fix the line",
    "K107": "bad record: a JSON Lines record has no 'text' or 'html' string",
    "K108": "unsupported language: only the languages Kroniek has data for are processed",
    "K109": "unreadable path: the file or directory cannot be read",
    "K110": "bad metadata: the sidecar .meta.json is not a JSON object; it was ignored",
    "K111": "text too short: fewer characters than the language detector needs",
    "K201": "database is locked by another process: stop it, or ingest through `kroniek serve`",
    "K202": "database schema is newer than this Kroniek: upgrade Kroniek",
}


class KroniekError(Exception):
    """Base class of every error Kroniek raises on purpose."""


class InputError(KroniekError):
    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        message = CODES[code] + (f" ({detail})" if detail else "")
        super().__init__(message)


class StoreError(KroniekError):
    pass


class EvaluationError(KroniekError):
    pass
