"""An article without a publication date: date words that cannot be resolved still keep two events apart
(consolidate/undated.py). Invented sentences, Dutch and English."""
from __future__ import annotations

from datetime import date

from kroniek.consolidate.undated import date_words_differ
from kroniek.pipeline import analyse_text
from kroniek.records import DateValue, Span


def words(text: str, value: DateValue | None = None) -> Span:
    return Span(0, len(text), text, "date", value, "dates")


JANUARY_2015 = DateValue(date(2015, 1, 1), date(2015, 1, 31), "month", "absolute")


def test_relative_words_that_can_never_be_one_time_differ_and_words_that_always_overlap_do_not():
    assert date_words_differ(words("donderdagavond"), [words("afgelopen november")], "nl")
    assert date_words_differ(words("afgelopen november"), [words("donderdagavond")], "nl")
    assert not date_words_differ(words("Maandagochtend"), [words("deze week")], "nl")
    assert not date_words_differ(words("donderdag"), [words("donderdagavond")], "nl")
    assert date_words_differ(words("last November"), [words("on Thursday night")], "en")
    assert not date_words_differ(words("yesterday"), [words("this week")], "en")


def test_a_calendar_date_with_its_year_differs_from_news_words_and_from_another_month():
    assert date_words_differ(words("Januari 2015", JANUARY_2015), [words("donderdagavond")], "nl")
    assert date_words_differ(words("afgelopen november"), [words("Januari 2015", JANUARY_2015)], "nl")
    assert not date_words_differ(words("afgelopen januari"), [words("Januari 2015", JANUARY_2015)], "nl")
    assert date_words_differ(words("In January 2015", JANUARY_2015), [words("yesterday")], "en")
    # an event with no date words, or any of its words agreeing, takes the mention
    assert not date_words_differ(words("donderdagavond"), [], "nl")
    assert not date_words_differ(words("donderdagavond"), [words("afgelopen november"), words("donderdag")], "nl")


NL = ("In Lyon reed donderdagavond een vrachtwagen in op een menigte. De teller staat voorlopig op 61 doden. "
      "Het is de derde grote aanslag in twee jaar. In januari 2015 werden al twaalf redacteuren vermoord. "
      "En afgelopen november werden 140 mensen gedood in cafés en een concertzaal.")
EN = ("A lorry drove into a crowd in Lyon on Thursday night. The toll stands at 61 dead. It is the third major "
      "attack in two years. In January 2015 gunmen already murdered twelve journalists. And last November "
      "140 people were killed in cafes and a concert hall.")


def events_by_toll(text: str, language: str, published: date | None = None) -> dict[int, tuple]:
    """Each event's death toll (its lower bound) -> (type, subtype, date span or None)."""
    return {e.fatalities.min: (e.type, e.subtype, e.date and (e.date.start, e.date.end))
            for e in analyse_text(text, language=language, published=published) if e.fatalities is not None}


def test_the_attacks_an_undated_article_recalls_keep_their_own_tolls_and_dates():
    for text, language in ((NL, "nl"), (EN, "en")):
        found = events_by_toll(text, language)
        assert sorted(found) == [12, 61, 140], (language, found)
        kind, subtype, when = found[61]
        assert (kind, subtype, when) == ("attack", "vehicle_ramming", None), language   # not January 2015
        assert found[12][0] == "attack" and found[12][2] == (date(2015, 1, 1), date(2015, 1, 31)), language
        assert found[140][0] == "killing" and found[140][2] is None, language


def test_without_its_publication_date_an_article_gives_the_events_it_gives_with_one():
    undated = events_by_toll(NL, "nl")
    dated = events_by_toll(NL, "nl", published=date(2016, 7, 16))
    assert {toll: kind[:2] for toll, kind in undated.items()} == {toll: kind[:2] for toll, kind in dated.items()}
    assert dated[61][2] == (date(2016, 7, 14), date(2016, 7, 14))
    assert dated[140][2] == (date(2015, 11, 1), date(2015, 11, 30))
