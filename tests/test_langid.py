"""Language identification: nl and en are found; other languages and non-prose are rejected."""
from __future__ import annotations

import pytest

from kroniek.langid import detect_language, identify_language
from kroniek.records import Article, Rejected

SAMPLES = {
    "nl": "Eergisteren reed een vrachtauto in op een kerstmarkt in Berlijn. Er vielen minstens twaalf doden en "
          "tientallen gewonden. De politie zoekt nog naar de dader, die voortvluchtig is.",
    "en": "A truck drove into a Christmas market in Berlin on Monday evening, killing at least twelve people and "
          "injuring dozens, police said. The driver fled the scene and is still being sought.",
}
OTHER = {
    "de": "Ein Lastwagen ist am Montagabend in einen Weihnachtsmarkt in Berlin gerast. Mindestens zwölf Menschen "
          "wurden getötet, Dutzende verletzt, teilte die Polizei mit. Der Fahrer ist auf der Flucht.",
    "fr": "Un camion a foncé lundi soir sur un marché de Noël à Berlin, faisant au moins douze morts et des "
          "dizaines de blessés, selon la police. Le chauffeur est en fuite.",
    "es": "Un camión arrolló el lunes por la noche un mercado navideño en Berlín, matando al menos a doce personas "
          "e hiriendo a decenas, según la policía. El conductor huyó.",
}


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_supported_languages_are_detected(language):
    assert detect_language(SAMPLES[language]) == language


@pytest.mark.parametrize("language", sorted(OTHER))
def test_other_languages_are_rejected(language):
    result = identify_language(Article("d", OTHER[language], "x.txt"))
    assert isinstance(result, Rejected) and result.code == "K108" and result.origin == "x.txt"


def test_metadata_language_is_trusted_when_supported_and_rejected_otherwise():
    assert identify_language(Article("d", SAMPLES["en"], "x", language="nl")).language == "nl"
    assert identify_language(Article("d", SAMPLES["nl"], "x", language="de")).code == "K108"


def test_too_short_text_is_rejected():
    assert identify_language(Article("d", "12 34 !!", "x")).code == "K111"
