"""What a user may type for a filter (kroniek.filters), and EventQuery's lists of values, on a real DuckDB store.

Issue 15: `--type attacks`, `--modality happened` and `type=bogus` once returned nothing with exit 0.
"""
from __future__ import annotations

import pytest

from kroniek import ontology
from kroniek.errors import FilterError
from kroniek.filters import parse_countries, parse_modalities, parse_subtypes, parse_types, split_values
from kroniek.store import EventQuery, Store


def test_values_are_split_on_commas_trimmed_and_kept_once_in_order():
    assert split_values(" attack, claim ,,attack") == ("attack", "claim")
    assert split_values(["DE,FR", "NL"]) == ("DE", "FR", "NL")
    assert split_values(None) == () and split_values(" , ") == ()


@pytest.mark.parametrize("given, expected", [
    ("attack", ("attack",)),
    ("attack,remote_violence", ("attack", "remote_violence")),
    ("Armed clash", ("armed_clash",)),               # the label, any case, a space for the underscore
    ("armed-clash", ("armed_clash",)),
    ("aanslag", ("attack",)),                        # the Dutch label
    ("oproep tot geweld", ("incitement",)),
    ("call to violence", ("incitement",)),
    ("rellen", ("riot",)),
    (None, None),
    ("", None),
])
def test_types_by_name_or_label(given, expected):
    assert parse_types(given) == expected


def test_an_unknown_type_lists_every_type_and_the_nearest():
    with pytest.raises(FilterError) as caught:
        parse_types("attack,attacks")
    message = str(caught.value)
    assert caught.value.parameter == "type"
    assert "'attacks'" in message and "did you mean attack?" in message
    for name in ("attack", "armed_clash", "remote_violence", "killing", "claim", "incitement", "threat", "plot",
                 "arrest", "protest", "riot"):
        assert name in message


@pytest.mark.parametrize("given, expected", [
    ("asserted", ("asserted",)),
    ("happened", ("asserted",)),                     # the dashboard's word
    ("Did not happen", ("negated",)),
    ("gebeurd", ("asserted",)),
    ("niet gebeurd", ("negated",)),
    ("possible", ("hypothetical",)),
    ("mogelijk", ("hypothetical",)),
    ("planned or expected", ("future",)),
    ("in general", ("generic",)),
    ("happened,uncertain", ("asserted", "uncertain")),
])
def test_modalities_by_name_or_the_dashboards_words(given, expected):
    assert parse_modalities(given) == expected


def test_an_unknown_modality_lists_the_names_with_their_words():
    with pytest.raises(FilterError, match=r"unknown modality 'happend' \(did you mean asserted\?\)") as caught:
        parse_modalities("happend")
    assert "asserted (happened), negated (did not happen), uncertain, hypothetical (possible)" in str(caught.value)


def test_no_label_holds_a_comma_or_names_two_things():
    # commas separate values, and one word must not mean two types or two modalities
    vocabularies = ({t.name: t.label for t in ontology.TYPES}, ontology.MODALITY_LABELS)
    for vocabulary in vocabularies:
        owners: dict[str, set[str]] = {}
        for name, labels in vocabulary.items():
            assert all("," not in label for label in labels.values()), labels
            for word in (name, *labels.values()):
                owners.setdefault(word.casefold(), set()).add(name)
        assert all(len(names) == 1 for names in owners.values()), owners


def test_subtypes_belong_to_the_types_given():
    assert parse_subtypes("vehicle_ramming,air_strike") == ("vehicle_ramming", "air_strike")
    assert parse_subtypes("vehicle_ramming,air_strike", ("attack", "remote_violence")) == \
        ("vehicle_ramming", "air_strike")
    with pytest.raises(FilterError, match="air_strike is a subtype of remote_violence, not of attack"):
        parse_subtypes("air_strike", ("attack",))
    with pytest.raises(FilterError, match="unknown subtype 'truck'"):
        parse_subtypes("truck")


@pytest.mark.parametrize("given, expected", [
    ("DE", ("DE",)),
    ("de", ("DE",)),
    ("DEU", ("DE",)),
    ("Germany", ("DE",)),
    ("Duitsland", ("DE",)),
    ("duitsland", ("DE",)),
    ("België", ("BE",)),
    ("Belgie", ("BE",)),                             # without the diaeresis
    ("Belgium,Frankrijk", ("BE", "FR")),
    ("Verenigde Staten", ("US",)),
    ("United Kingdom", ("GB",)),
    ("Irak", ("IQ",)),
    ("Syrië", ("SY",)),
    ("Syria", ("SY",)),                              # exonyms.tsv: pycountry says 'Syrian Arab Republic'
    ("Turkey", ("TR",)),
    ("Kosovo", ("XK",)),                             # not in ISO 3166, in exonyms.tsv
    ("DE, FR, Duitsland", ("DE", "FR")),
])
def test_countries_by_code_or_english_or_dutch_name(given, expected):
    assert parse_countries(given) == expected


def test_an_unknown_country_is_an_error_with_the_nearest_names():
    with pytest.raises(FilterError, match=r"unknown country 'Germny' \(did you mean Germany \(DE\)\?\)"):
        parse_countries("Germny")
    with pytest.raises(FilterError, match="unknown country 'Atlantis'; give an ISO 3166 code"):
        parse_countries("Atlantis")
    with pytest.raises(FilterError, match="unknown country 'XX'"):
        parse_countries("DE,XX")


# -- EventQuery: one value or a tuple, on a real store ----------------------------------------------------------
@pytest.fixture(scope="module")
def store():
    from test_api import fill   # the API tests' hand-built Dutch and English events

    with Store.open(":memory:") as opened:
        fill(opened)
        yield opened


def ids(store, **filters) -> set[str]:
    return {e.id for e in store.events(EventQuery(**filters))}


def test_a_single_string_and_a_one_tuple_select_the_same_events(store):
    assert ids(store, type="attack") == ids(store, type=("attack",)) == {"evt_berlin", "evt_manchester"}
    assert ids(store, country="nl") == ids(store, country=("NL",)) == {"evt_amsterdam", "evt_threat"}


def test_a_tuple_selects_any_of_its_values(store):
    assert ids(store, type=("attack", "arrest")) == {"evt_berlin", "evt_manchester", "evt_brussels"}
    assert ids(store, country=("DE", "gb")) == {"evt_berlin", "evt_manchester"}
    assert ids(store, type=("attack", "arrest"), country=("DE", "BE")) == {"evt_berlin", "evt_brussels"}
    assert store.count_events(EventQuery(modality=("future", "negated"))) == 1
    assert ids(store, actor=("islamic", "nobody")) == {"evt_berlin_claim"}
    assert ids(store, text=("vrachtauto", "CONCERT")) == {"evt_berlin", "evt_manchester"}
    assert ids(store, text=("kerstmarkt",), type="claim") == {"evt_berlin_claim"}
    assert ids(store, type=()) == ids(store)   # no values, no filter


def test_id_prefix(store):
    assert ids(store, id_prefix="evt_b") == {"evt_berlin", "evt_berlin_claim", "evt_brussels"}
    assert ids(store, id_prefix="evt_berlin_") == {"evt_berlin_claim"}
    assert ids(store, id_prefix="evt_%") == set()   # no wildcards: the prefix is taken literally


# -- ACLED names: the codebook's event and sub-event types, and CASE 2021 codes ---------------------------------
@pytest.mark.parametrize("given, expected", [
    ("Battles", ("Battles",)),
    ("suicide bomb,Grenade", ("Suicide bomb", "Grenade")),
    ("AIR_STRIKE", ("Air/drone strike",)),
    ("excessive force against protesters", ("Excessive force against protesters",)),
])
def test_acled_names_by_the_codebook_or_case_codes(given, expected):
    from kroniek.filters import parse_acled

    assert parse_acled(given) == expected


def test_an_unknown_acled_name_lists_the_codebook():
    from kroniek.filters import parse_acled

    with pytest.raises(FilterError, match=r"unknown acled 'Skirmish'.*Battles: Armed clash"):
        parse_acled("Skirmish")


def test_the_acled_filter_selects_by_event_or_sub_event_type():
    from test_api import RECORDS

    from kroniek.consolidate.record import with_codes
    from kroniek.eventjson import event_from_dict

    with Store.open(":memory:") as coded:
        assert coded.add_documents([(a, [with_codes(event_from_dict(r)) for r in records])
                                    for a, records in RECORDS]) == []
        found = lambda **f: {e.id for e in coded.events(EventQuery(**f))}      # noqa: E731
        # a ramming: Violence against civilians / Attack; a suicide bombing: Explosions/Remote violence / Suicide bomb
        assert found(acled="Suicide bomb") == {"evt_manchester"}
        assert found(acled=("Explosions/Remote violence", "Attack")) == {"evt_manchester", "evt_berlin"}
        assert found(acled="Protests") == {"evt_amsterdam"}
        assert found(acled="Arrests", type="arrest") == {"evt_brussels"}
        assert found(acled="Battles") == set()
