"""Reading the knowledge files shipped in `kroniek/data/` (TSV with a header line, JSON, TOML); `#` lines are comments.

Every knowledge file is read through these functions, once per process (callers cache what they build from it)."""
from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

__all__ = ["DATA_DIR", "data_path", "read_tsv", "read_json", "read_toml", "word_alternation"]


def data_path(*parts: str) -> Path:
    return DATA_DIR.joinpath(*parts)


def read_tsv(*parts: str) -> list[dict[str, str]]:
    """Rows of a tab-separated file as dicts keyed by its header; blank and `#` lines are skipped."""
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    path = data_path(*parts)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if header is None:
            header = cells
            continue
        if len(cells) > len(header):
            raise ValueError(f"{path}:{number}: {len(cells)} columns, the header has {len(header)}")
        rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)))))
    return rows


def word_alternation(subdir: str, name: str, language: str, language_column: str = "language") -> str | None:
    """The words of a table's ``words`` column (``|``-separated) in the rows of `language`, as one regular-expression
    alternation, longest first (so that "openbaar ministerie" is tried before a shorter word it starts with); None
    when the language has none."""
    words = [w for row in read_tsv(subdir, name) if row[language_column] == language
             for w in row["words"].split("|") if w]
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True)) if words else None


def read_json(*parts: str) -> Any:
    return json.loads(data_path(*parts).read_text(encoding="utf-8"))


def read_toml(*parts: str) -> dict[str, Any]:
    with data_path(*parts).open("rb") as fh:
        return tomllib.load(fh)
