"""Kroniek's exceptions and its catalogue of error codes.

Exception tree::

    KroniekError
    ├── InputError        a document or path that cannot be used (carries a Rejected code)
    ├── StoreError        the database cannot be opened, migrated or written
    ├── FetchError        a URL that was refused or could not be fetched (carries a K3xx code and the URL)
    ├── FilterError       a filter value that names nothing (the message lists the valid values)
    ├── EvaluationError   a benchmark file is missing or malformed
    └── AnalysisError     an analysis that cannot run (a missing extra, a place or group that names nothing)

Every message says what went wrong and what to do. Codes are stable: documentation and tests refer to them.
"""
from __future__ import annotations

__all__ = ["KroniekError", "InputError", "StoreError", "FetchError", "FilterError", "EvaluationError", "AnalysisError",
           "CODES"]

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
    "K120": "internal error: Kroniek failed on this item where it should not; the rest of the batch went on. "
            "This is a bug: please report it with the line (KRONIEK_DEBUG=1 shows where)",
    "K121": "not stored: the database refused this document (its batch was stored without it); "
            "please report it with the line",
    "K122": "special file skipped: a FIFO, device or socket found in a directory is not read (it could block or "
            "never end); name it on the command line to read it, up to --max-bytes",
    "K123": "too complex: the document exceeds the per-document budget (words, or HTML elements and nesting) "
            "that keeps every stage fast; split it",
    "K124": "server file ignored: <db>.server.json is not one your own `kroniek serve` wrote (another owner, "
            "not mode 600, or a URL off this machine); nothing was sent to it. Remove it if no server runs",
    "K201": "database is locked by another process: wait for it or stop it; while `kroniek serve` holds it, "
            "ingest, events, show and export go through the server",
    "K202": "database schema is newer than this Kroniek: upgrade Kroniek",
    "K203": "not a Kroniek database: the file is not DuckDB, holds other tables, or is empty; check the path",
    "K204": "database written by an older Kroniek: upgrade it once with `kroniek migrate --db PATH`",
    "K230": "cannot connect to PostgreSQL: the server does not answer, or refuses the user, password or database; "
            "check the URL and that the server runs",
    "K231": "not a PostgreSQL URL: write it as postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME",
    "K232": "PostgreSQL support is not installed: pip install 'kroniek[postgres]'",
    "K241": "pyspark missing: `kroniek spark` needs pyspark; pip install 'kroniek[spark]'",
    "K242": "Java missing: Spark needs a Java 17 or newer runtime; install one (Debian: default-jre-headless) or "
            "set JAVA_HOME",
    "K243": "not a file: `kroniek spark ingest` reads files (local, HDFS, S3), not web pages or standard input; "
            "ingest those with kroniek ingest",
    "K250": "bad CASE 2021 file: the TSV has no id, EventSnippet or SubType column; pass the task 2 file with gold types",
    "K301": "private address refused: the host is this machine or a private, link-local, multicast or reserved "
            "network, and nothing was requested; pass --allow-private-hosts only for a server you run yourself",
    "K302": "bad URL: only http:// and https:// URLs with a host name can be fetched",
    "K303": "host not found: the name does not resolve; check the spelling or the network",
    "K304": "HTTP error: the server answered with an error status (after retries for 429 and 5xx)",
    "K305": "network error or time-out: the server did not answer in time, or the connection failed",
    "K306": "response too large: the server sent more than the size limit; raise --max-bytes",
    "K307": "too many redirects: more than five, or a redirect without a target",
    "K308": "refused by robots.txt: the site asks robots not to fetch this page",
    "K309": "malformed feed or sitemap: the XML could not be read; the feed's other items are not affected",
    "K310": "not an article page: the response is not HTML, XML or text (an image, a PDF, a download)",
    "K311": "broken WARC record: the record could not be read; the archive's other records go on",
    "K312": "date refused: the published date lies after the time the page was fetched; the date is left unknown",
    "K313": "alert not delivered: the file, webhook or mail server failed; it is tried again on the next pass",
    "K401": "analysis extra missing: `kroniek analyse` needs pandas, statsmodels and matplotlib; "
            "pip install 'kroniek[analyse]'",
    "K402": "unknown analysis scope: a theatre, abroad region or group that names nothing in Kroniek's data, "
            "or a period that ends before it starts",
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


class FetchError(KroniekError):
    """A URL that was refused before any request, or whose fetch failed: ``code`` is a K3xx code."""

    def __init__(self, code: str, url: str, reason: str) -> None:
        self.code = code
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason} [{code}]")


class FilterError(KroniekError, ValueError):
    """An unknown value of an event filter: ``parameter`` names the filter (type, subtype, modality, country)."""

    def __init__(self, parameter: str, message: str) -> None:
        self.parameter = parameter
        super().__init__(message)


class EvaluationError(KroniekError):
    pass


class AnalysisError(KroniekError):
    """An analysis that cannot run: a missing optional dependency [K401] or an argument that names nothing [K402]."""

    def __init__(self, code: str, detail: str) -> None:
        self.code = code
        super().__init__(f"{detail} [{code}]")
