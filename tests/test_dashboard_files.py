"""The dashboard's static files: the vocabulary comes from /api/ontology and nowhere else, every label the ontology
does not carry exists in English and Dutch, and every bundled script is loaded and has its licence.

(The dashboard's behaviour, in a real browser, is tests/test_browser.py.)
"""
from __future__ import annotations

import json
import re

from kroniek import ontology
from kroniek.serve.app import STATIC_DIR

JS_FILES = sorted((STATIC_DIR / "js").glob("*.js"))
STRING = re.compile(r"""["'`]([a-z][a-z_]*)["'`]""")


def test_no_script_keeps_its_own_list_of_types_or_modalities():
    assert JS_FILES
    types, modalities = set(ontology.EVENT_TYPES), set(ontology.MODALITIES)
    for script in JS_FILES:
        literals = set(STRING.findall(script.read_text(encoding="utf-8")))
        # one name may be spoken of ("asserted" is not shown in a tooltip); a list of them is a copy
        assert len(literals & types) <= 1, f"{script.name} names types {sorted(literals & types)}: read /api/ontology"
        assert len(literals & modalities) <= 1, f"{script.name} names modalities {sorted(literals & modalities)}"


def test_the_check_above_would_catch_the_old_copy():
    old_copy = 'export const TYPES = [\n  "attack", "armed_clash", "remote_violence", "killing", "claim",\n];'
    assert len(set(STRING.findall(old_copy)) & set(ontology.EVENT_TYPES)) == 5


def test_type_colours_and_labels_are_not_copied_into_the_page():
    colours = {t.colour.lower() for t in ontology.TYPES}
    for path in JS_FILES + [STATIC_DIR / "app.css"]:
        text = path.read_text(encoding="utf-8").lower()
        assert not [c for c in colours if c in text], f"{path.name} copies a type colour of the ontology"
    for language in ("en", "nl"):
        labels = json.loads((STATIC_DIR / "i18n" / f"{language}.json").read_text(encoding="utf-8"))
        assert "types" not in labels and "modalities" not in labels, f"{language}.json: the ontology labels these"


def test_every_ontology_value_without_a_label_of_its_own_has_one_in_both_languages():
    for language in ("en", "nl"):
        labels = json.loads((STATIC_DIR / "i18n" / f"{language}.json").read_text(encoding="utf-8"))
        subtypes = {s for names in ontology.SUBTYPES.values() for s in names}
        assert subtypes <= set(labels["subtypes"]), (language, sorted(subtypes - set(labels["subtypes"])))
        assert set(ontology.ROLES) <= set(labels["roles"]), language
        assert set(ontology.RELATIONS) <= set(labels["relations"]), language
        assert set(ontology.WEAPONS) <= set(labels["weapons"]), language
    dutch = json.loads((STATIC_DIR / "i18n" / "nl.json").read_text(encoding="utf-8"))
    assert (dutch["relations"]["follows"], dutch["weapons"]["melee"]) == ("volgt op", "mes of steekwapen")


def test_every_bundled_script_is_loaded_in_order_and_has_its_licence():
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    loaded = re.findall(r'<script src="/static/vendor/([^"]+)"', html)
    vendor = STATIC_DIR / "vendor"
    assert sorted(loaded) == sorted(p.name for p in vendor.glob("*.js"))
    readme = (vendor / "README.md").read_text(encoding="utf-8")
    for script in loaded:
        package = script.removesuffix(".min.js")
        assert (vendor / f"LICENSE.{package}").is_file(), package
        assert f"`{script}`" in readme, f"vendor/README.md does not list {script}"
    # each one needs those before it (d3-zoom's UMD header names its dependencies)
    order = {name: i for i, name in enumerate(loaded)}
    for needs, before in (("d3-zoom", "d3-transition"), ("d3-transition", "d3-timer"), ("d3-brush", "d3-drag"),
                          ("d3-drag", "d3-selection"), ("d3-interpolate", "d3-color"), ("d3-geo", "d3-array")):
        assert order[f"{before}.min.js"] < order[f"{needs}.min.js"], (needs, before)
