"""Seeded hostile inputs for the fuzz test (tests/test_fuzz.py) and benchmark (benchmarks/fuzz.py).

Each input is an ordinary Dutch or English news sentence, mutated: bytes flipped, cut or repeated; hostile pieces
inserted (lone surrogates, NUL and control bytes, byte-order marks, deep brackets, huge numbers, markup, invalid
UTF-8, dates out of range). The same seed gives the same inputs, so a failure is reproduced by its seed and index.
"""
from __future__ import annotations

import json
import random
from typing import Iterator

__all__ = ["SEEDS", "mutated_text", "mutated_bytes", "mutated_jsonl_line", "mutated_api_body", "mutated_query"]

SEEDS = (
    "Gisteren reed een vrachtwagen in op een kerstmarkt in Berlijn. Daarbij kwamen twaalf mensen om het leven.",
    "Bij een bomaanslag in Kabul zijn woensdag minstens negentig mensen om het leven gekomen.",
    "Islamitische Staat heeft de aanslag in Brussel opgeëist, meldt persbureau Amaq.",
    "A gunman opened fire at a mosque in Quebec City on Sunday, killing six people and wounding eight others.",
    "A suicide bomber killed 22 people at a concert in Manchester on 22 May 2017, police said.",
    "Police arrested three men suspected of plotting an attack on a Christmas market in Strasbourg.",
)
HOSTILE = (
    "\ud800", "\udfff", "\x00", "\x00" * 50, "\x1b[31m", "\ufeff", "\u202e", "\u0301" * 40, "<a href='x'>" * 50,
    "[" * 60, "{" * 60, "3000000000", "99999999999999999999999", "-1", "1e309", "NaN", "9999-12-31", "0000-00-00",
    "31-02-2017", "<script>alert(1)</script>", "</body></html>", "<!--", "<![CDATA[", "&#0;", "&#xD800;", "%s%n",
    "' OR 1=1 --", "%_%", "\\", "\"", "\n" * 30, " " * 200, "aanslag " * 40, "killed killed killed ", "ﬁ", "İ",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "🙂" * 10, "\r\n\r", "\t\v\f", "twaalf miljard doden", "minus 5 doden", "2^63",
)
BYTES_HOSTILE = (b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\xc3", b"\x80\x81\x82", b"\x00\x00\xfe\xff",
                 b"\xf4\x90\x80\x80", b"\x1f\x8b\x08", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n")


def mutated_text(rng: random.Random) -> str:
    text = rng.choice(SEEDS)
    for _ in range(rng.randint(1, 4)):
        kind = rng.random()
        at = rng.randint(0, len(text))
        if kind < 0.5:
            text = text[:at] + rng.choice(HOSTILE) + text[at:]
        elif kind < 0.65:
            text = text[:at] + text[at:at + rng.randint(1, 30)] * rng.randint(2, 30) + text[at:]
        elif kind < 0.8:
            text = text[:at] + text[at + rng.randint(1, 20):]
        elif kind < 0.9:
            text = text[:at] + chr(rng.randint(0, 0x10FFFF)) + text[at:]
        else:
            text = text + " " + rng.choice(SEEDS)
    return text


def mutated_bytes(rng: random.Random) -> bytes:
    encoding = rng.choice(("utf-8", "utf-8", "utf-8", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "utf-32"))
    data = bytearray(mutated_text(rng).encode(encoding, "surrogatepass" if encoding.startswith("utf-") else "replace"))
    for _ in range(rng.randint(0, 3)):
        kind = rng.random()
        at = rng.randint(0, len(data))
        if kind < 0.4 and data:
            data[min(at, len(data) - 1)] = rng.randint(0, 255)
        elif kind < 0.8:
            data[at:at] = rng.choice(BYTES_HOSTILE)
        else:
            del data[at:at + rng.randint(1, 8)]
    return bytes(data)


def _metadata(rng: random.Random) -> dict:
    values = ["2016-12-20", "9999-12-31", "0001-01-01", "gisteren", 20161220, None, True, [1, [2]], {"a": 1},
              "\ud800", "x" * 300, "nl", "en", "de", "xx", "http://example.org/a", "javascript:alert(1)"]
    keys = ("published", "url", "title", "author", "source", "language", "outlet")
    return {k: rng.choice(values) for k in rng.sample(keys, rng.randint(0, len(keys)))}


def mutated_jsonl_line(rng: random.Random) -> bytes:
    """One JSON Lines record (or something that tries to be one), as bytes with no newline inside."""
    record = {rng.choice(("text", "text", "html", "body")): mutated_text(rng), **_metadata(rng)}
    if record.get("html") is not None and rng.random() < 0.5:
        record["html"] = f"<p>{record['html']}</p>"
    kind = rng.random()
    if kind < 0.1:
        line = "[" * rng.randint(500, 3000) + "]" * rng.randint(0, 3000)
    elif kind < 0.2:
        line = json.dumps(record)[: rng.randint(0, 80)]
    elif kind < 0.3:
        line = json.dumps(rng.choice([[record], "text", 1, None, {"text": 5}, {"html": ["a"]}]))
    else:
        line = json.dumps(record, ensure_ascii=rng.random() < 0.7)
    return line.encode("utf-8", "surrogatepass").replace(b"\n", b" ")


def mutated_api_body(rng: random.Random) -> bytes:
    kind = rng.random()
    if kind < 0.7:
        articles = [json.loads(line) if line.startswith(b"{") and _loads(line) else {"text": mutated_text(rng)}
                    for line in (mutated_jsonl_line(rng) for _ in range(rng.randint(0, 3)))]
        return json.dumps({"articles": articles}).encode("utf-8", "surrogatepass")
    if kind < 0.8:
        return b'{"articles": ' + b"[" * rng.randint(900, 5000) + b"]" * rng.randint(0, 50) + b"}"
    if kind < 0.9:
        return mutated_bytes(rng)
    return json.dumps({"articles": rng.choice(["x", 1, None, {"a": 1}, [1, 2]])}).encode()


def _loads(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


PARAMETERS = ("type", "subtype", "modality", "country", "actor", "since", "until", "text", "bbox", "id_prefix",
              "limit", "offset", "order", "format")
PARAMETER_VALUES = ("attack", "aanslag", "DE", "Duitsland", "%", "_", "%%", "\\", "'", "2016-12-20", "9999-12-31",
                    "99999-01-01", "0", "-1", "9223372036854775808", "18446744073709551616", "1e309", "nan",
                    "1,2,3,4", "-180,-90,180,90", "inf,inf,inf,inf", "date", "fatalities", "csv", "geojson", "points",
                    "x" * 5000, "%00", "%ED%A0%80", "%FF", ",", ",,,", "evt_", "a,b,c")


def mutated_query(rng: random.Random) -> str:
    parts = []
    for name in rng.sample(PARAMETERS, rng.randint(1, 4)):
        value = rng.choice(PARAMETER_VALUES)
        parts.append(f"{name}={value}" if value.startswith("%") and len(value) == 3 else
                     f"{name}={value.replace('%', '%25').replace('&', '%26').replace('#', '%23').replace(' ', '+')}")
    return "&".join(parts)


def stream(seed: int, n: int, make) -> Iterator:
    rng = random.Random(seed)
    for _ in range(n):
        yield make(rng)
