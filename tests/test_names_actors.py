"""The learned name tagger as an optional actor finder: with $KRONIEK_NAMES_MODEL set, an organisation it finds that
the actor dictionary does not know becomes an actor, and a named group wins over a generic word ("militanten").
The model is trained here, in the test, on sentences written for it (no research data)."""
from __future__ import annotations

import datetime

import pytest

from kroniek.annotate.names import load_name_model, organisation_actors, save_name_model
from kroniek.annotate.actors import find_actors
from kroniek.pipeline import analyse_text
from kroniek.train.names import train_names

PUBLISHED = datetime.date(2021, 5, 4)

# Invented organisations in the shapes the tagger learns from: "van de X Y", "de X Y eiste", "leden van X".
_ORGS = ["Zwarte Leeuw", "Rode Vuist", "Groene Dageraad", "Witte Hand", "Blauwe Adelaar", "Gouden Zwaard"]
_TEMPLATES = [
    "Strijders van de {org} vielen gisteren een dorp aan .",
    "De {org} eiste de aanslag op .",
    "Leden van de {org} werden opgepakt .",
    "Volgens de politie zit de {org} achter de aanval .",
    "Een woordvoerder van de {org} ontkende alles .",
    "Militanten van de {org} hebben een kazerne bestormd .",
]


def _sentences() -> list[tuple[list[str], list[str]]]:
    out = []
    for i, org in enumerate(_ORGS):
        for template in _TEMPLATES[i % 2::1]:
            words, tags = [], []
            for token in template.split():
                if token == "{org}":
                    parts = org.split()
                    words += parts
                    tags += ["B-ORG"] + ["I-ORG"] * (len(parts) - 1)
                else:
                    words.append(token)
                    tags.append("O")
            out.append((words, tags))
    return out


@pytest.fixture()
def names_model(tmp_path, monkeypatch):
    path = tmp_path / "names.json.gz"
    save_name_model(train_names(_sentences(), epochs=8), path)
    monkeypatch.setenv("KRONIEK_NAMES_MODEL", str(path))
    load_name_model.cache_clear()
    yield path
    load_name_model.cache_clear()


def test_without_a_model_the_actors_are_the_dictionarys(monkeypatch):
    monkeypatch.delenv("KRONIEK_NAMES_MODEL", raising=False)
    load_name_model.cache_clear()
    text = "Militanten van de Zwarte Leeuw hebben zaterdag in Kano vijf dorpelingen doodgeschoten."
    assert organisation_actors(text, "nl", find_actors(text, "nl")) == find_actors(text, "nl")


def test_an_organisation_the_tagger_finds_becomes_an_actor(names_model):
    text = "Militanten van de Rode Vuist hebben zaterdag in Kano vijf dorpelingen doodgeschoten."
    found = {(a.text, a.value.kind) for a in organisation_actors(text, "nl", find_actors(text, "nl"))}
    assert ("Rode Vuist", "political_group") in found


def test_the_named_organisation_beats_the_generic_word(names_model):
    events = analyse_text("Militanten van de Rode Vuist hebben zaterdag in Kano vijf dorpelingen doodgeschoten.",
                          language="nl", published=PUBLISHED)
    attack = next(e for e in events if e.type == "attack")
    perpetrators = {a.name for a in attack.actors if a.role == "perpetrator"}
    assert perpetrators == {"Rode Vuist"}


def test_the_tagger_is_not_applied_to_other_languages(names_model):
    text = "Militants of the Rode Vuist shot dead five villagers in Kano on Saturday."
    assert organisation_actors(text, "en", find_actors(text, "en")) == find_actors(text, "en")
