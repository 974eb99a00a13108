"""The rule-based person-name finder, in Dutch and English."""
from __future__ import annotations


from kroniek.annotate.persons import find_persons
from kroniek.records import ActorRef, Span


def names(text: str, language: str, exclude=None) -> list[str]:
    return [s.text for s in find_persons(text, language, exclude)]


# ---------------------------------------------------------------- Dutch

def test_dutch_title_cued_arabic_name_with_typographic_apostrophe():
    text = "IS kan niet meer rekenen op haar woordvoerder Abu Muhammad al-‘Adnani, zo bleek."
    spans = find_persons(text, "nl")
    assert [s.text for s in spans] == ["Abu Muhammad al-‘Adnani"]
    span = spans[0]
    assert text[span.start:span.end] == span.text
    assert (span.label, span.producer) == ("person", "persons")
    assert span.value == ActorRef(None, "Abu Muhammad al-'Adnani", "person")


def test_dutch_suspect_form_and_particles():
    text = ("De verdachte Gökmen T. werd opgepakt. Volkert van der G. zat vast. "
            "Het Al Qaeda van Osama bin Laden was anders. Later zei Bart De Wever niets.")
    assert names(text, "nl") == ["Gökmen T.", "Volkert van der G.", "Osama bin Laden", "Bart De Wever"]


def test_dutch_titles_portfolios_and_speech_verbs():
    text = ("Premier Mark Rutte sprak met minister van Verkeer Isabelle Durant en president Erdogan. "
            "‘Het is ernstig’, zegt Weetjens. Knesset-lid Colette Avital reageerde.")
    assert names(text, "nl") == ["Mark Rutte", "Isabelle Durant", "Erdogan", "Weetjens", "Colette Avital"]


def test_dutch_non_persons_are_not_returned():
    text = ("In Den Haag en Tal Afar. Op maandag 18 maart ging het mis in Oost-Mosoel. "
            "De Franse president kwam. Boko Haram en Islamitische Staat vochten. Leo Pardon van de NMBS sprak. "
            "Het Centraal Informatiepunt Voetbalvandalisme en de Brugse Klinkersfestival. Vandaag Jan.")
    assert names(text, "nl") == ["Leo Pardon"]


def test_dutch_sentence_initial_ordinary_word_is_dropped():
    text = "Daarna Jan de Vries. Het gebeurde daarna snel."
    assert names(text, "nl") == ["Jan de Vries"]


def test_dutch_repeated_surname_is_found_again():
    text = "Salah Abdeslam werd opgepakt in Molenbeek. Volgens de politie verzette Abdeslam zich niet."
    assert names(text, "nl") == ["Salah Abdeslam", "Abdeslam"]


# ---------------------------------------------------------------- English

def test_english_titles_split_from_names():
    text = ("British Prime Minister Theresa May spoke on May 22. Iraqi Prime Minister Haider al-Abadi agreed, "
            "as did Chief Executive Officer Tim Cook.")
    assert names(text, "en") == ["Theresa May", "Haider al-Abadi", "Tim Cook"]


def test_english_initials_possessives_and_speech():
    text = ("John T. Earnest was charged. Salman Abedi's brother was held. \"We are shocked\", said Hopkins. "
            "Dr. Smith agreed, J.K. Rowling wrote.")
    assert names(text, "en") == ["John T. Earnest", "Salman Abedi", "Hopkins", "Smith", "J.K. Rowling"]


def test_english_places_groups_and_venues_are_not_persons():
    text = ("The Manchester Arena attack shocked Syrian Kurds in New York and Sesto San Giovanni. "
            "Islamic State and Boko Haram were blamed. On Monday the Prime Minister spoke.")
    assert names(text, "en") == []


def test_title_case_headline_is_skipped():
    text = "Police Arrest Man After Attack In Manchester Shopping Centre\n\nPolice arrested Jack Smith on Monday."
    assert names(text, "en") == ["Jack Smith"]


def test_upper_case_text_yields_nothing():
    assert names("GUNMEN KILLED MAYOR JOHN SMITH IN LIMA, POLICE SAID.", "en") == []


def test_exclude_spans_cut_names():
    text = "Milosevic van Sierra Leone sprak."
    place = Span(14, 26, "Sierra Leone", "place", None, "gazetteer")
    assert names(text, "nl") == ["Milosevic van Sierra Leone"] or names(text, "nl") == []
    assert names(text, "nl", exclude=[place]) == []          # "Milosevic" alone has no cue


def test_spans_sorted_non_overlapping_and_exact():
    text = "Anis Amri vluchtte. Amri werd in Milaan doodgeschoten; woordvoerder Jan Jansen bevestigde het."
    spans = find_persons(text, "nl")
    assert [s.text for s in spans] == ["Anis Amri", "Amri", "Jan Jansen"]
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    assert all(text[s.start:s.end] == s.text for s in spans)
