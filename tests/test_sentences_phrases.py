"""Sentence splitting and the lexicon pattern language."""
from __future__ import annotations

from kroniek.annotate.phrases import PhraseTable
from kroniek.annotate.sentences import split_sentences


def test_sentences_respect_abbreviations_and_initials():
    text = "Gökmen T. werd gisteren opgepakt. Hij is 37 jaar, o.a. bekend bij de politie.\n\nMr. Smith said U.S. " \
           "forces left. Then it ended!"
    got = [s.text for s in split_sentences(text)]
    assert got == ["Gökmen T. werd gisteren opgepakt.", "Hij is 37 jaar, o.a. bekend bij de politie.",
                   "Mr. Smith said U.S. forces left.", "Then it ended!"]
    for s in split_sentences(text):
        assert text[s.start:s.end] == s.text


def test_paragraph_break_ends_a_sentence_without_punctuation():
    assert [s.text for s in split_sentences("Moeizaam\n\nDe opmars gaat traag.")] == ["Moeizaam",
                                                                                       "De opmars gaat traag."]


def test_phrase_patterns_wildcards_gaps_alternatives():
    table = PhraseTable([("*aanslag|*aanslagen", "attack"), ("zelfmoordaanslag*", "suicide"),
                         ("reed/reden ... in op", "ramming"), ("auto's", "vehicle"), ("drove ... into", "ramming")])
    text = "Een man reed een bestelbus in op voetgangers. De zelfmoordaanslagen en een IS-aanslag. Auto’s. " \
           "He drove a van into people."
    got = [(m.text, m.payload) for m in table.finditer(text)]
    assert got == [("reed een bestelbus in op", "ramming"), ("zelfmoordaanslagen", "suicide"),
                   ("IS-aanslag", "attack"), ("Auto’s", "vehicle"), ("drove a van into", "ramming")]


def test_phrases_match_whole_tokens_only():
    table = PhraseTable([("aanval", "attack"), ("war", "war")])
    assert list(table.finditer("De aanvaller en de warme dag.")) == []
