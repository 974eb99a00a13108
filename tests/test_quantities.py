"""Counts: digits, number words, modifiers, ranges and vague quantities in Dutch and English."""
from __future__ import annotations

import pytest

from kroniek.annotate._numbers import parse_digits
from kroniek.annotate.quantities import find_quantities
from kroniek.datafiles import read_tsv
from kroniek.records import Quantity


def one(text: str, language: str):
    spans = find_quantities(text, language)
    assert len(spans) == 1, spans
    return spans[0]


# (language, text, span text, min, max)
CASES = [
    # digits, as each language writes them
    ("nl", "Er waren 12 agenten.", "12", 12, 12),
    ("en", "There were 12 officers.", "12", 12, 12),
    ("nl", "Er liepen 2.000 mensen mee.", "2.000", 2000, 2000),
    ("en", "There were 2,000 people.", "2,000", 2000, 2000),
    ("nl", "Het kostte 1,5 miljoen euro.", "1,5 miljoen", 1_500_000, 1_500_000),
    ("en", "It cost 1.5 million euros.", "1.5 million", 1_500_000, 1_500_000),
    ("nl", "Er waren 2000 demonstranten.", "2000", 2000, 2000),
    # number words
    ("nl", "Er waren twaalf agenten.", "twaalf", 12, 12),
    ("en", "There were twelve officers.", "twelve", 12, 12),
    ("nl", "Er liepen tweeduizend mensen mee.", "tweeduizend", 2000, 2000),
    ("en", "There were two thousand people.", "two thousand", 2000, 2000),
    ("nl", "Er waren vijfentwintig agenten.", "vijfentwintig", 25, 25),
    ("en", "There were twenty-five officers.", "twenty-five", 25, 25),
    ("nl", "Er waren driehonderdvijftig agenten.", "driehonderdvijftig", 350, 350),
    ("en", "There were three hundred and fifty officers.", "three hundred and fifty", 350, 350),
    ("nl", "Er viel één dode.", "één", 1, 1),
    ("en", "One person died.", "One", 1, 1),
    # at least / more than: a lower bound only
    ("nl", "Er vielen minstens twaalf doden.", "minstens twaalf", 12, None),
    ("en", "At least twelve people died.", "At least twelve", 12, None),
    ("nl", "Er vielen ten minste 12 doden.", "ten minste 12", 12, None),
    ("nl", "Er vielen zeker 12 doden.", "zeker 12", 12, None),
    ("nl", "Er liepen meer dan tweeduizend mensen mee.", "meer dan tweeduizend", 2000, None),
    ("en", "More than 2,000 people marched.", "More than 2,000", 2000, None),
    ("nl", "Er liepen ruim 300 mensen mee.", "ruim 300", 300, None),
    ("en", "Over 300 people marched.", "Over 300", 300, None),
    # nearly / up to: an upper bound only
    ("nl", "Er liepen bijna 100 mensen mee.", "bijna 100", None, 100),
    ("en", "Nearly 100 people marched.", "Nearly 100", None, 100),
    ("nl", "Er vielen tot wel 30 doden.", "tot wel 30", None, 30),
    ("en", "Up to 30 people died.", "Up to 30", None, 30),
    # about: the figure itself
    ("nl", "Er waren ongeveer 300 agenten.", "ongeveer 300", 300, 300),
    ("en", "There were about 300 officers.", "about 300", 300, 300),
    ("nl", "Er waren zo'n 300 agenten.", "zo'n 300", 300, 300),
    ("en", "There were some 300 officers.", "some 300", 300, 300),
    ("nl", "Er waren een tiental agenten.", "een tiental", 10, 10),
    # ranges
    ("nl", "Er vielen tussen de 10 en 20 doden.", "tussen de 10 en 20", 10, 20),
    ("en", "Between 10 and 20 people died.", "Between 10 and 20", 10, 20),
    ("nl", "Er vielen 10 tot 20 doden.", "10 tot 20", 10, 20),
    ("en", "There were 10 to 20 dead.", "10 to 20", 10, 20),
    ("nl", "Er vielen 10 à 20 doden.", "10 à 20", 10, 20),
    ("en", "There were 10-20 dead.", "10-20", 10, 20),
    ("nl", "Er waren honderden tot duizenden betogers.", "honderden tot duizenden", 100, None),
    ("en", "There were hundreds to thousands of protesters.", "hundreds to thousands", 100, None),
    # vague quantities (vague_quantities.tsv)
    ("nl", "Er vielen tientallen gewonden.", "tientallen", 10, None),
    ("en", "Dozens of people were hurt.", "Dozens", 12, None),
    ("en", "Tens of people were hurt.", "Tens", 10, None),
    ("nl", "Er waren honderden agenten.", "honderden", 100, None),
    ("en", "There were hundreds of officers.", "hundreds", 100, None),
    ("nl", "Er waren duizenden betogers.", "duizenden", 1000, None),
    ("en", "There were thousands of protesters.", "thousands", 1000, None),
    ("nl", "Er waren tienduizenden betogers.", "tienduizenden", 10000, None),
    ("en", "There were tens of thousands of protesters.", "tens of thousands", 10000, None),
    ("nl", "Er vielen enkele doden.", "enkele", 2, None),
    ("en", "Several people died.", "Several", 2, None),
    ("nl", "Er vielen een paar doden.", "een paar", 2, None),
    ("en", "A few people died.", "A few", 2, None),
    ("nl", "Er waren een dozijn agenten.", "een dozijn", 12, 12),
    ("en", "There were a dozen officers.", "a dozen", 12, 12),
    ("en", "More than a dozen people died.", "More than a dozen", 12, None),
    # a vague count times a round number
    ("nl", "Er waren enkele honderden agenten.", "enkele honderden", 200, None),
    ("en", "There were several hundred officers.", "several hundred", 200, None),
    ("nl", "Er waren een paar duizend betogers.", "een paar duizend", 2000, None),
    ("en", "There were a few thousand protesters.", "a few thousand", 2000, None),
    ("nl", "Er waren vele duizenden betogers.", "vele duizenden", 1000, None),
    ("en", "There were many thousands of protesters.", "many thousands", 1000, None),
]


@pytest.mark.parametrize("language,text,surface,low,high", CASES, ids=[c[1][:40] for c in CASES])
def test_quantity(language, text, surface, low, high):
    span = one(text, language)
    assert (span.text, span.value) == (surface, Quantity(low, high))
    assert (span.label, span.producer) == ("number", "quantities")


@pytest.mark.parametrize("language,text", [
    ("nl", "Op 22 maart 2016 om 14.30 uur."),          # a date and a clock time
    ("en", "On 22 March 2016 at 2:30 p.m."),
    ("en", "On May 3, 2018."),
    ("nl", "In 2016 was het rustig."),                  # a year
    ("en", "In 2016 it was calm."),
    ("nl", "Een 31-jarige man werd opgepakt."),         # an age
    ("en", "A 31-year-old man was arrested."),
    ("nl", "Een F-16 stortte neer."),                   # a type name
    ("en", "An F-16 crashed."),
    ("nl", "De inflatie was 2,5 procent."),             # a fraction is no count
    ("en", "Inflation was 2.5 percent."),
    ("nl", "Het derde kwartaal en de 3e dag."),         # ordinals
    ("en", "The third quarter and the 3rd day."),
    ("nl", "Een man werd opgepakt."),                   # an article is no count
    ("en", "A man was arrested."),
    ("nl", "Vele mensen waren boos."),                  # "many" alone gives no figure
    ("en", "Many people were angry."),
])
def test_not_counts(language, text):
    assert find_quantities(text, language) == ()


def test_plain_tot_is_not_up_to():
    # "tot" alone is read only inside a range: "steeg tot 12" means it reached 12
    assert [(s.text, s.value) for s in find_quantities("Het dodental steeg tot 12.", "nl")] == [
        ("12", Quantity(12, 12))]


def test_digits_per_language():
    assert parse_digits("2.000", "nl") == 2000
    assert parse_digits("2,000", "en") == 2000
    assert parse_digits("2,5", "nl") == 2.5
    assert parse_digits("2.5", "en") == 2.5
    assert parse_digits("14.30", "nl") is None


NL_TEXT = ("Bij de aanslag vielen minstens twaalf doden en tientallen gewonden. Ruim 2.000 agenten en enkele honderden "
           "militairen zochten tussen de 10 en 20 verdachten; bijna 100 mensen werden gehoord, ongeveer 300 gevlucht.")
EN_TEXT = ("The attack killed at least twelve people and dozens were wounded. More than 2,000 officers and several "
           "hundred soldiers searched for between 10 and 20 suspects; nearly 100 people were questioned, about 300 fled.")


@pytest.mark.parametrize("language,text", [("nl", NL_TEXT), ("en", EN_TEXT)])
def test_spans_are_exact_and_sorted(language, text):
    spans = find_quantities(text, language)
    assert len(spans) == 7
    for span in spans:
        assert span.text == text[span.start:span.end]
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))


def test_same_figures_in_both_languages():
    nl = [s.value for s in find_quantities(NL_TEXT, "nl")]
    en = [s.value for s in find_quantities(EN_TEXT, "en")]
    # "tientallen" is min 10, "dozens" min 12 (EVENTS.md); everything else reads the same
    assert nl[1] == Quantity(10, None) and en[1] == Quantity(12, None)
    assert nl[:1] + nl[2:] == en[:1] + en[2:]


def test_vague_table_covers_both_languages():
    rows = read_tsv("lexicons", "vague_quantities.tsv")
    for language in ("nl", "en"):
        mins = {int(r["min"]) for r in rows if r["language"] == language and r["use"] == "amount"}
        assert {2, 10, 12, 100, 1000, 10000, 100000, 1000000} <= mins, language
