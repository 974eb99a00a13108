"""Time expressions: every rule of kroniek.annotate.dates in Dutch and English, resolved against a known date."""
from __future__ import annotations

from datetime import date

import pytest

from kroniek.annotate.dates import find_dates, find_timexes, looks_like_year
from kroniek.records import DateValue

PUB = date(2016, 12, 21)          # a Wednesday


def one(text: str, language: str, published: date | None = PUB):
    """The single date span in text (fails if there is not exactly one)."""
    spans = find_dates(text, language, published)
    assert len(spans) == 1, spans
    return spans[0]


def value(text: str, language: str, published: date | None = PUB) -> tuple[str, str, str, str]:
    span = one(text, language, published)
    assert span.value is not None, span
    v = span.value
    return str(v.start), str(v.end), v.precision, v.resolved_from


# (language, text, expected span text, label, start, end, precision, resolved_from)
CASES = [
    # absolute
    ("nl", "Op 22 maart 2016 ontplofte een bom.", "22 maart 2016", "date", "2016-03-22", "2016-03-22", "day", "absolute"),
    ("en", "A bomb exploded on 3 May 2018 in the city.", "3 May 2018", "date", "2018-05-03", "2018-05-03", "day", "absolute"),
    ("en", "A bomb exploded on May 3, 2018 in the city.", "May 3, 2018", "date", "2018-05-03", "2018-05-03", "day", "absolute"),
    ("nl", "Dat gebeurde in 2013.", "2013", "date", "2013-01-01", "2013-12-31", "year", "absolute"),
    ("en", "That happened in 2013.", "2013", "date", "2013-01-01", "2013-12-31", "year", "absolute"),
    ("nl", "Dat gebeurde in december 2013.", "december 2013", "date", "2013-12-01", "2013-12-31", "month", "absolute"),
    ("en", "That happened in December 2013.", "December 2013", "date", "2013-12-01", "2013-12-31", "month", "absolute"),
    ("nl", "De aanslag van 19-12-2016 in Berlijn.", "19-12-2016", "date", "2016-12-19", "2016-12-19", "day", "absolute"),
    ("en", "The attack of 2016-12-19 in Berlin.", "2016-12-19", "date", "2016-12-19", "2016-12-19", "day", "absolute"),
    ("nl", "Eind 2015 groeide de dreiging.", "Eind 2015", "date", "2015-09-01", "2015-12-31", "year", "absolute"),
    ("en", "The threat grew in late 2015.", "late 2015", "date", "2015-09-01", "2015-12-31", "year", "absolute"),
    ("nl", "In de jaren negentig was het rustig.", "de jaren negentig", "date", "1990-01-01", "1999-12-31", "year", "absolute"),
    ("en", "It was quiet in the 1990s.", "the 1990s", "date", "1990-01-01", "1999-12-31", "year", "absolute"),
    # day and month without a year: the most recent one not after publication
    ("nl", "Op 22 maart vond de aanslag plaats.", "22 maart", "date", "2016-03-22", "2016-03-22", "day", "published"),
    ("en", "The attack took place on 22 March.", "22 March", "date", "2016-03-22", "2016-03-22", "day", "published"),
    ("nl", "Sinds december is het rustig.", "Sinds december", "since", "2016-12-01", "2016-12-21", "month", "published"),
    ("nl", "Maandag 19 december reed een vrachtwagen in op de markt.", "Maandag 19 december", "date", "2016-12-19", "2016-12-19", "day", "published"),
    ("en", "On Monday, Dec. 19, a truck drove into the market.", "Monday, Dec. 19", "date", "2016-12-19", "2016-12-19", "day", "published"),
    ("nl", "Van 3-5 mei werd er gevochten.", "3-5 mei", "date", "2016-05-03", "2016-05-05", "day", "published"),
    ("en", "Fighting raged on May 3-5.", "May 3-5", "date", "2016-05-03", "2016-05-05", "day", "published"),
    # relative days
    ("nl", "Eergisteren reed een vrachtauto in op een kerstmarkt.", "Eergisteren", "date", "2016-12-19", "2016-12-19", "day", "published"),
    ("en", "The day before yesterday a truck drove into a market.", "The day before yesterday", "date", "2016-12-19", "2016-12-19", "day", "published"),
    ("nl", "Gisteren werd hij gearresteerd.", "Gisteren", "date", "2016-12-20", "2016-12-20", "day", "published"),
    ("en", "He was arrested yesterday.", "yesterday", "date", "2016-12-20", "2016-12-20", "day", "published"),
    ("nl", "Gisteravond klonken schoten.", "Gisteravond", "date", "2016-12-20", "2016-12-20", "day", "published"),
    ("en", "Shots were heard yesterday evening.", "yesterday evening", "date", "2016-12-20", "2016-12-20", "day", "published"),
    ("nl", "Vannacht werd een moskee in brand gestoken.", "Vannacht", "date", "2016-12-20", "2016-12-21", "day", "published"),
    ("en", "A mosque was set on fire last night.", "last night", "date", "2016-12-20", "2016-12-21", "day", "published"),
    ("nl", "Vanochtend werd de verdachte verhoord.", "Vanochtend", "date", "2016-12-21", "2016-12-21", "day", "published"),
    ("en", "The suspect was questioned this morning.", "this morning", "date", "2016-12-21", "2016-12-21", "day", "published"),
    # weekdays: the most recent one not after publication; "afgelopen"/"last": strictly before
    ("nl", "Afgelopen zondag was er een betoging.", "Afgelopen zondag", "date", "2016-12-18", "2016-12-18", "day", "published"),
    ("en", "There was a protest last Sunday.", "last Sunday", "date", "2016-12-18", "2016-12-18", "day", "published"),
    ("nl", "Op woensdag was er een betoging.", "woensdag", "date", "2016-12-21", "2016-12-21", "day", "published"),
    ("en", "There was a protest on Monday.", "Monday", "date", "2016-12-19", "2016-12-19", "day", "published"),
    ("en", "There was a protest last Wednesday.", "last Wednesday", "date", "2016-12-14", "2016-12-14", "day", "published"),
    ("nl", "Zondagavond werd een agent aangevallen.", "Zondagavond", "date", "2016-12-18", "2016-12-18", "day", "published"),
    ("en", "A police officer was attacked on Sunday evening.", "Sunday evening", "date", "2016-12-18", "2016-12-18", "day", "published"),
    ("nl", "In de nacht van zaterdag op zondag brandde een auto.", "de nacht van zaterdag op zondag", "date", "2016-12-17", "2016-12-18", "day", "published"),
    ("nl", "Vorige week dinsdag werd hij opgepakt.", "Vorige week dinsdag", "date", "2016-12-13", "2016-12-13", "day", "published"),
    ("en", "He was arrested on Tuesday last week.", "Tuesday last week", "date", "2016-12-13", "2016-12-13", "day", "published"),
    # calendar units before / this / next
    ("nl", "Vorige maand werd hij vrijgelaten.", "Vorige maand", "date", "2016-11-01", "2016-11-30", "month", "published"),
    ("en", "He was released last month.", "last month", "date", "2016-11-01", "2016-11-30", "month", "published"),
    ("nl", "Vorige week werd hij vrijgelaten.", "Vorige week", "date", "2016-12-12", "2016-12-18", "week", "published"),
    ("en", "He was released last week.", "last week", "date", "2016-12-12", "2016-12-18", "week", "published"),
    ("nl", "Eerder deze week was er een inval.", "Eerder deze week", "date", "2016-12-19", "2016-12-21", "week", "published"),
    ("en", "There was a raid earlier this week.", "earlier this week", "date", "2016-12-19", "2016-12-21", "week", "published"),
    ("nl", "Eind vorig jaar groeide de dreiging.", "Eind vorig jaar", "date", "2015-09-01", "2015-12-31", "year", "published"),
    ("en", "The threat grew late last year.", "late last year", "date", "2015-09-01", "2015-12-31", "year", "published"),
    ("nl", "Begin december waarschuwde de dienst.", "Begin december", "date", "2016-12-01", "2016-12-10", "month", "published"),
    ("en", "The service warned in early December.", "early December", "date", "2016-12-01", "2016-12-10", "month", "published"),
    ("nl", "Afgelopen zomer was het onrustig.", "Afgelopen zomer", "date", "2016-06-01", "2016-08-31", "month", "published"),
    ("en", "It was restless last summer.", "last summer", "date", "2016-06-01", "2016-08-31", "month", "published"),
    ("nl", "In de zomer van 2015 was het onrustig.", "de zomer van 2015", "date", "2015-06-01", "2015-08-31", "month", "absolute"),
    ("en", "It was restless in the summer of 2015.", "the summer of 2015", "date", "2015-06-01", "2015-08-31", "month", "absolute"),
    ("nl", "In de zomer was het onrustig.", "de zomer", "date", "2016-06-01", "2016-08-31", "month", "published"),
    ("en", "In the summer it was restless.", "the summer", "date", "2016-06-01", "2016-08-31", "month", "published"),
    ("nl", "In het derde kwartaal daalde het aantal.", "het derde kwartaal", "date", "2016-07-01", "2016-09-30", "month", "published"),
    ("en", "The number fell in the third quarter.", "the third quarter", "date", "2016-07-01", "2016-09-30", "month", "published"),
    # periods ending at publication
    ("nl", "De afgelopen maanden nam het geweld toe.", "De afgelopen maanden", "date", "2016-10-21", "2016-12-21", "month", "published"),
    ("en", "Violence has risen in recent months.", "recent months", "date", "2016-10-21", "2016-12-21", "month", "published"),
    ("nl", "De afgelopen twee weken waren er drie aanslagen.", "De afgelopen twee weken", "date", "2016-12-07", "2016-12-21", "week", "published"),
    ("en", "There were three attacks in the past two weeks.", "the past two weeks", "date", "2016-12-07", "2016-12-21", "week", "published"),
    # ago
    ("nl", "Twee weken geleden werd hij opgepakt.", "Twee weken geleden", "ago", "2016-12-05", "2016-12-11", "week", "published"),
    ("en", "He was arrested three days ago.", "three days ago", "ago", "2016-12-18", "2016-12-18", "day", "published"),
    ("nl", "Twee maanden geleden werd hij opgepakt.", "Twee maanden geleden", "ago", "2016-10-01", "2016-10-31", "month", "published"),
    ("en", "He was arrested a year ago.", "a year ago", "ago", "2015-01-01", "2015-12-31", "year", "published"),
    # since: how long it has been going on
    ("nl", "De verdachte zat al ruim twee maanden vast.", "al ruim twee maanden", "since", "2016-10-21", "2016-12-21", "month", "published"),
    ("en", "He has been held for more than two months now.", "for more than two months now", "since", "2016-10-21", "2016-12-21", "month", "published"),
    ("nl", "Sinds 2013 is de groep actief.", "Sinds 2013", "since", "2013-01-01", "2016-12-21", "year", "absolute"),
    ("en", "The group has been active since 2013.", "since 2013", "since", "2013-01-01", "2016-12-21", "year", "absolute"),
    # holidays
    ("nl", "Op tweede kerstdag 2015 was het onrustig.", "tweede kerstdag 2015", "date", "2015-12-26", "2015-12-26", "day", "absolute"),
    ("en", "It was restless on Christmas Eve 2015.", "Christmas Eve 2015", "date", "2015-12-24", "2015-12-24", "day", "absolute"),
]


@pytest.mark.parametrize("language,text,surface,label,start,end,precision,resolved", CASES,
                         ids=[c[1][:40] for c in CASES])
def test_resolves_against_publication(language, text, surface, label, start, end, precision, resolved):
    span = one(text, language)
    assert span.text == surface
    assert span.label == label
    assert span.producer == "dates"
    assert (str(span.value.start), str(span.value.end), span.value.precision, span.value.resolved_from) == (
        start, end, precision, resolved)


@pytest.mark.parametrize("language,text", [
    ("nl", "Gisteren, vorige week, afgelopen zondag en 22 maart; twee weken geleden en al twee maanden."),
    ("en", "Yesterday, last week, last Sunday and 22 March; two weeks ago and for two months now."),
])
def test_no_publication_date_leaves_relative_expressions_unresolved(language, text):
    spans = find_dates(text, language, None)
    assert len(spans) == 6
    assert all(span.value is None for span in spans), spans


@pytest.mark.parametrize("language,text,surface", [
    ("nl", "Gisteren, op 22 maart 2016, ontplofte een bom.", "22 maart 2016"),
    ("en", "Yesterday, on 22 March 2016, a bomb exploded.", "22 March 2016"),
])
def test_no_publication_date_still_resolves_absolute_dates(language, text, surface):
    spans = {s.text: s for s in find_dates(text, language, None)}
    assert spans[surface].value == DateValue(date(2016, 3, 22), date(2016, 3, 22), "day", "absolute")
    assert spans[text.split(",")[0]].value is None


def test_day_month_from_later_in_the_year_is_last_year():
    assert value("Op 22 maart vond de aanslag plaats.", "nl", date(2016, 3, 1))[:2] == ("2015-03-22", "2015-03-22")
    assert value("The attack took place on 22 March.", "en", date(2016, 3, 1))[:2] == ("2015-03-22", "2015-03-22")


@pytest.mark.parametrize("language,text,surface", [
    ("nl", "Hij werd op 15 juni 2014 opgepakt. Het OM meldde dat op die 15de juni een man is aangehouden.",
     "15de juni"),
    ("en", "He was arrested on 15 June 2014. Prosecutors said that on 15 June a man was detained.", "15 June"),
])
def test_a_day_without_a_year_takes_the_year_an_earlier_date_wrote(language, text, surface):
    spans = [s for s in find_dates(text, language, PUB) if s.text == surface]
    assert [s.value for s in spans][-1] == DateValue(date(2014, 6, 15), date(2014, 6, 15), "day", "context")


def test_a_day_without_a_year_before_the_full_date_stays_nearest_publication():
    spans = find_dates("Op 15 juni werd hij opgepakt. Eerder, op 15 juni 2014, was hij al eens aangehouden.", "nl", PUB)
    assert spans[0].value == DateValue(date(2016, 6, 15), date(2016, 6, 15), "day", "published")


def test_month_later_than_publication_is_last_year():
    assert value("In november werd hij opgepakt.", "nl", date(2016, 3, 1))[:2] == ("2015-11-01", "2015-11-30")
    assert value("He was arrested in November.", "en", date(2016, 3, 1))[:2] == ("2015-11-01", "2015-11-30")


@pytest.mark.parametrize("language,text,expected", [
    ("nl", "De man zal op 14 januari voor de rechter verschijnen.", "2017-01-14"),
    ("en", "The man will appear in court on 14 January.", "2017-01-14"),
    ("en", "Protesters plan to march on Saturday.", "2016-12-24"),
])
def test_a_sentence_about_the_future_resolves_forward(language, text, expected):
    assert value(text, language)[0] == expected


@pytest.mark.parametrize("language,text,surface", [
    ("nl", "Twee dagen later werd hij opgepakt.", "Twee dagen later"),
    ("en", "He was arrested two days later.", "two days later"),
])
def test_relative_to_another_event_has_no_value(language, text, surface):
    span = one(text, language)
    assert (span.text, span.label, span.value) == (surface, "shift", None)


@pytest.mark.parametrize("language,text", [
    ("nl", "Hij kreeg twee jaar cel."),              # a duration, not a date
    ("en", "He was sentenced to two years in prison."),
    ("nl", "Ruim 2000 demonstranten liepen mee."),   # a count, not a year
    ("nl", "2000 demonstranten liepen mee."),
    ("en", "More than 2000 people marched."),
    ("nl", "Jan Peters werd opgepakt."),              # a name, not an abbreviated month
    ("en", "Theresa May said the attack was appalling."),
    ("en", "May they rest in peace."),
    ("en", "After the fall of Mosul the group retreated."),
    ("nl", "Het was een hete zomer."),
    ("en", "A Christmas market was attacked."),
    ("nl", "Een 31-jarige man werd opgepakt."),
    ("en", "A 31-year-old man was arrested."),
    ("nl", "Nu is het rustig."),                      # now: not a date of an event
    ("en", "Now it is calm."),
])
def test_not_dates(language, text):
    assert find_dates(text, language, PUB) == ()


def test_years_and_counts():
    assert looks_like_year("In 2016 kwamen", 3, 7, "nl")
    assert looks_like_year("2016 was een rampjaar", 0, 4, "nl")
    assert not looks_like_year("ruim 2000 mensen", 5, 9, "nl")
    assert not looks_like_year("2000 demonstranten", 0, 4, "nl")
    assert looks_like_year("the 1995 shooting", 4, 8, "en")
    assert not looks_like_year("more than 2000 people", 10, 14, "en")


@pytest.mark.parametrize("language,text,expected", [
    ("nl", "Eergisteren", ("DATE", "2016-12-19")),
    ("en", "on Monday", ("DATE", "2016-12-19")),
    ("nl", "vorige maand", ("DATE", "2016-11")),
    ("en", "this week", ("DATE", "2016-W51")),
    ("en", "in 2016", ("DATE", "2016")),
    ("en", "the third quarter", ("DATE", "2016-Q3")),
    ("en", "two months", ("DURATION", "P2M")),
    ("nl", "twee maanden", ("DURATION", "P2M")),
    ("en", "the past five years", ("DURATION", "P5Y")),
    ("en", "five hours", ("DURATION", "PT5H")),
    ("en", "now", ("DATE", "PRESENT_REF")),
    ("nl", "nu", ("DATE", "PRESENT_REF")),
    ("en", "daily", ("SET", "P1D")),
    ("nl", "dagelijks", ("SET", "P1D")),
    ("en", "last night", ("TIME", "2016-12-20TNI")),
    ("en", "the 1990s", ("DATE", "199")),
])
def test_timeml_values(language, text, expected):
    timexes = find_timexes(text, language, PUB)
    assert len(timexes) == 1, timexes
    assert (timexes[0].timeml_type, timexes[0].timeml_value) == expected


def test_timeml_extent_leaves_out_since_words():
    text = "He has been held for more than two months now."
    (timex,) = find_timexes(text, "en", PUB)
    assert text[slice(*timex.timeml_span)] == "more than two months"


NL_TEXT = ("Eergisteren reed een vrachtauto in op een kerstmarkt in Berlijn. De verdachte was al ruim twee maanden in "
           "Duitsland en werd vorige week nog verhoord. Op 22 maart 2016 en begin december waarschuwde de dienst; "
           "twee weken geleden ook. Zondagavond en gisteravond bleef het onrustig, sinds 2013 al.")
EN_TEXT = ("The day before yesterday a truck drove into a Christmas market in Berlin. The suspect had been in Germany "
           "for more than two months now and was questioned last week. On 22 March 2016 and in early December the "
           "service warned; two weeks ago too. It stayed restless on Sunday evening and yesterday evening, since 2013.")


@pytest.mark.parametrize("language,text", [("nl", NL_TEXT), ("en", EN_TEXT)])
def test_spans_are_exact_sorted_and_labelled(language, text):
    spans = find_dates(text, language, PUB)
    assert len(spans) >= 9
    for span in spans:
        assert span.text == text[span.start:span.end]
        assert span.label in ("date", "since", "ago")
        assert span.producer == "dates"
    assert [s.start for s in spans] == sorted(s.start for s in spans)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))


def test_same_meaning_in_both_languages():
    nl = [(s.label, s.value) for s in find_dates(NL_TEXT, "nl", PUB)]
    en = [(s.label, s.value) for s in find_dates(EN_TEXT, "en", PUB)]
    assert nl == en
