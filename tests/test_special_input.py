"""Special files and unusual encodings (issue 16, items 7-8): a FIFO in a directory is skipped without blocking,
/dev/zero stops at --max-bytes, UTF-16 is text, an HTML fragment is an article, NUL bytes never reach the store."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from kroniek.clean import clean_document, decode_text
from kroniek.ingest.sources import read_sources
from kroniek.records import RawDocument, Rejected

NL = ("Gisteren reed een vrachtwagen in op een kerstmarkt in Keulen. Daarbij kwamen twaalf mensen om het leven. "
      "De politie zoekt de dader nog steeds.")
EN = ("A gunman opened fire at a mosque in Quebec City on Sunday evening, killing six people and wounding eight "
      "others, police said.")


def _read_with_guard(paths: list[str], **options) -> list:
    """read_sources in a thread; a read that blocks fails the test instead of hanging it."""
    out: list = []
    thread = threading.Thread(target=lambda: out.extend(read_sources(paths, **options)), daemon=True)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), "reading blocked"
    return out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_a_directory_is_skipped_with_one_line(tmp_path):
    (tmp_path / "a.txt").write_text(NL, encoding="utf-8")
    os.mkfifo(tmp_path / "b.txt")
    (tmp_path / "c.txt").write_text(EN, encoding="utf-8")
    items = _read_with_guard([str(tmp_path)])
    assert [(Path(i.origin).name, i.code if isinstance(i, Rejected) else "doc") for i in items] == [
        ("a.txt", "doc"), ("b.txt", "K122"), ("c.txt", "doc")]
    assert "FIFO" in items[1].reason


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_stops_at_max_bytes():
    (item,) = _read_with_guard(["/dev/zero"], max_bytes=100_000)
    assert isinstance(item, Rejected) and item.code == "K104"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_named_fifo_is_read_like_standard_input(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as fh:
            fh.write(EN.encode("utf-8"))

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    (item,) = _read_with_guard([str(fifo)])
    writer.join(5)
    assert item.content == EN.encode("utf-8")


@pytest.mark.parametrize("text", [NL, EN])
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_are_text(text, encoding):
    content = text.encode(encoding)
    decoded = decode_text(content)
    assert not isinstance(decoded, Rejected), decoded
    assert decoded[0] == text and decoded[1].startswith("utf-")


def test_binary_is_still_binary():
    assert decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4).code == "K102"
    assert decode_text(bytes(range(256)) * 64).code == "K102"


@pytest.mark.parametrize("text", [NL, EN])
def test_nul_bytes_are_removed_everywhere(text):
    content = (text + "\x00 ").encode() + b"x" * 9000 + b"\x00\n" + text.replace(" ", " \x00", 1).encode()
    article = clean_document(RawDocument("nul.txt", content, "text", {"title": "Titel\x00"}))
    assert not isinstance(article, Rejected), article
    assert "\x00" not in article.text and article.title == "Titel"


@pytest.mark.parametrize("fragment", [
    f"<p>{NL}</p>",
    f"<div><h2>Aanslag in Keulen</h2>{NL}</div>",
    f"<span>{EN}</span>",
    f"<article>{EN}</article>",
    f"<b>Quebec</b> {EN}",
])
def test_an_html_fragment_is_an_article(fragment):
    article = clean_document(RawDocument("fragment.html", fragment.encode(), "html", {}))
    assert not isinstance(article, Rejected), article
    assert (NL if "Keulen" in fragment else EN)[:40] in article.text


def test_html_with_no_text_is_still_malformed():
    assert clean_document(RawDocument("x.html", b"<div><img src=a.png></div>", "html", {})).code == "K105"
