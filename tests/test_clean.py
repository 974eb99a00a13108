"""Cleaning: decoding, furniture, pull quotes, HTML, ids, dates — Dutch and English."""
from __future__ import annotations

from datetime import date

from kroniek.clean import clean_document, document_id, parse_date
from kroniek.records import Article, RawDocument, Rejected


def _clean(text: str | bytes, media_type: str = "text", **meta) -> Article | Rejected:
    content = text.encode("utf-8") if isinstance(text, str) else text
    return clean_document(RawDocument("t", content, media_type, meta))


def test_furniture_lines_are_removed_but_sentences_kept():
    text = "Een aanslag in Parijs.\n\nLees ook: Meer nieuws\n\nDe politie onderzoekt de zaak.\n\nPartner Content"
    article = _clean(text)
    assert article.text == "Een aanslag in Parijs.\n\nDe politie onderzoekt de zaak."


def test_english_furniture():
    article = _clean("Police arrested two men.\n\nRead more\n\nShare this article\n\nThe trial starts in May.")
    assert article.text == "Police arrested two men.\n\nThe trial starts in May."


def test_pull_quote_repeating_a_sentence_is_removed_and_original_kept():
    sentence = "De kans dat vervreemde jongeren blijven toeslaan is reëel, ook in België."
    text = f"Eerste alinea. {sentence} Nog een zin.\n\n{sentence}\n\nLaatste alinea."
    article = _clean(text)
    assert article.text.count(sentence) == 1
    assert article.text.startswith(f"Eerste alinea. {sentence}")


def test_binary_and_empty_are_rejected():
    assert _clean(b"\x00\x01\x02PNG\x00" * 10).code == "K102"
    assert _clean("   \n  ").code == "K101"


def test_latin1_is_decoded():
    article = _clean("De politie in Liège heeft één verdachte opgepakt.".encode("latin-1"))
    assert "Liège" in article.text and "één" in article.text


def test_html_is_extracted_with_metadata():
    html = ("<html><head><title>Attack</title><meta name='author' content='Jane Doe'></head><body><article>"
            "<h1>Attack in Lyon</h1><p>A gunman opened fire near a synagogue in Lyon on Saturday, "
            "police said. Three people were killed and seven were wounded in the attack.</p>"
            "<p>The suspect was arrested an hour later by the police near the station.</p></article></body></html>")
    article = _clean(html, "html")
    assert "A gunman opened fire" in article.text
    assert article.author == "Jane Doe"
    assert article.published is None       # the page has no date: none is invented


def test_malformed_html_without_text_is_rejected():
    assert _clean("<html><body><div></div><<<>>></body>", "html").code == "K105"


def test_document_id_ignores_whitespace_and_case():
    assert document_id("Een  tekst.\n") == document_id("een tekst.")
    assert document_id("Een tekst.") != document_id("Een andere tekst.")


def test_parse_date():
    assert parse_date("2016-12-21T10:00:00+01:00") == date(2016, 12, 21)
    assert parse_date("gisteren") is None and parse_date(None) is None and parse_date("2016-13-45") is None
