"""What a user may type for an event filter (`kroniek events` options, API parameters), made into EventQuery values.

Every list-valued filter takes comma-separated values (``attack,remote_violence``; ``DE,FR``). A type, subtype or
modality is a name from data/ontology.toml or one of its English or Dutch labels (the dashboard's words:
``happened``, ``did not happen``, ``aanslag``); a country is an ISO 3166 code (``DE``, ``DEU``) or an English or
Dutch name (``Germany``, ``Duitsland``, from pycountry and ``data/places/exonyms.tsv``). A value that names
nothing is a :class:`~kroniek.errors.FilterError` whose message lists the valid values (for countries, the
nearest names), because an unknown value would otherwise silently match no event.
"""
from __future__ import annotations

import difflib
import unicodedata
from functools import lru_cache
from typing import Iterable

from . import ontology
from .errors import FilterError

__all__ = ["split_values", "parse_types", "parse_subtypes", "parse_modalities", "parse_countries",
           "parse_acled", "modality_help"]


def split_values(raw: str | Iterable[str] | None) -> tuple[str, ...]:
    """The values of one filter: a comma-separated string (or several), blanks dropped, order kept, no repeats."""
    if raw is None:
        return ()
    parts = [raw] if isinstance(raw, str) else list(raw)
    return tuple(dict.fromkeys(v.strip() for part in parts for v in part.split(",") if v.strip()))


def _key(text: str) -> str:
    """Case, accents, spaces, hyphens and underscores do not matter: 'Armed clash' = 'armed_clash'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("_", " ").replace("-", " ").split())


def _names_and_labels(names: Iterable[str], labels: dict[str, dict[str, str]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for name in names:
        for label in labels.get(name, {}).values():
            index.setdefault(_key(label), name)
    for name in names:   # a name wins over another entry's label
        index[_key(name)] = name
    return index


def _unknown(parameter: str, value: str, index: dict[str, str], valid: str) -> FilterError:
    close = difflib.get_close_matches(_key(value), list(index), n=1, cutoff=0.75)
    hint = f" (did you mean {index[close[0]]}?)" if close else ""
    return FilterError(parameter, f"unknown {parameter} {value!r}{hint}; valid: {valid}")


def _parse(parameter: str, raw, index: dict[str, str], valid: str) -> tuple[str, ...] | None:
    values = split_values(raw)
    if not values:
        return None
    found = []
    for value in values:
        name = index.get(_key(value))
        if name is None:
            raise _unknown(parameter, value, index, valid)
        found.append(name)
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=1)
def _type_index() -> dict[str, str]:
    return _names_and_labels(ontology.EVENT_TYPES, {t.name: t.label for t in ontology.TYPES})


def parse_types(raw: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """Event types (names or their English/Dutch labels); None when none were given."""
    return _parse("type", raw, _type_index(), ", ".join(ontology.EVENT_TYPES))


def parse_subtypes(raw: str | Iterable[str] | None, types: Iterable[str] | None = None) -> tuple[str, ...] | None:
    """Subtypes; with ``types`` given, each must be a subtype of one of them (air_strike is not an attack)."""
    if not split_values(raw):
        return None
    chosen = tuple(types or ())
    allowed = {s: t for t in (chosen or ontology.EVENT_TYPES) for s in ontology.SUBTYPES[t]}
    if chosen:
        valid = "; ".join(f"{t}: {', '.join(ontology.SUBTYPES[t]) or '(none)'}" for t in chosen)
    else:
        valid = "; ".join(f"{t}: {', '.join(s)}" for t, s in ontology.SUBTYPES.items() if s)
    values = _parse("subtype", raw, _subtype_index(), valid)
    for subtype in values or ():
        if subtype not in allowed:
            owners = ", ".join(t for t, s in ontology.SUBTYPES.items() if subtype in s)
            raise FilterError("subtype", f"{subtype} is a subtype of {owners}, not of {', '.join(chosen)}; "
                                         f"valid: {valid}")
    return values


@lru_cache(maxsize=1)
def _subtype_index() -> dict[str, str]:
    return {_key(s): s for subtypes in ontology.SUBTYPES.values() for s in subtypes}


@lru_cache(maxsize=1)
def _acled_index() -> dict[str, str]:
    """ACLED event types and sub-event types (codebook names, e.g. 'Battles', 'Air/drone strike'), and the CASE
    2021 codes of the sub-event types (AIR_STRIKE)."""
    index = {_key(code): name for name, code in ontology.ACLED_CASE_CODES.items()}
    index |= {_key(name): name for name in ontology.ACLED_EVENT_TYPES}
    index |= {_key(name): name for name in ontology.ACLED_SUB_EVENT_TYPES}
    return index


def parse_acled(raw: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """ACLED event types or sub-event types, as the ACLED codebook names them ('Battles', 'Suicide bomb'); an event
    matches when its ACLED event type or sub-event type is one of them. Names contain no commas, so a list is
    comma-separated like every other filter."""
    if not split_values(raw):
        return None
    valid = "; ".join(f"{t}: {', '.join(s for s, e in ontology.ACLED_SUB_EVENT_TYPES.items() if e == t)}"
                      for t in ontology.ACLED_EVENT_TYPES)
    return _parse("acled", raw, _acled_index(), valid)


@lru_cache(maxsize=1)
def _modality_index() -> dict[str, str]:
    return _names_and_labels(ontology.MODALITIES, ontology.MODALITY_LABELS)


def modality_help() -> str:
    """'asserted (happened), negated (did not happen), …': the names with the dashboard's English words."""
    words = {m: ontology.MODALITY_LABELS.get(m, {}).get("en") for m in ontology.MODALITIES}
    return ", ".join(f"{m} ({words[m]})" if words[m] and words[m] != m else m for m in ontology.MODALITIES)


def parse_modalities(raw: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """Modalities, by name or by the dashboard's English or Dutch words ('happened', 'niet gebeurd')."""
    return _parse("modality", raw, _modality_index(), modality_help())


@lru_cache(maxsize=1)
def _country_index() -> dict[str, frozenset[str]]:
    """Normalised code or name -> ISO alpha-2 codes (more than one for an ambiguous name)."""
    import gettext

    import pycountry

    from .datafiles import read_tsv

    dutch = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["nl"], fallback=True)
    names: dict[str, set[str]] = {}
    codes: dict[str, str] = {}
    for country in pycountry.countries:
        codes[_key(country.alpha_2)] = country.alpha_2
        codes[_key(country.alpha_3)] = country.alpha_2
        for attribute in ("name", "common_name", "official_name"):
            english = getattr(country, attribute, None)
            for name in (english, dutch.gettext(english) if english else None):
                if name and "," not in name:   # 'Korea, Republic of': commas separate values
                    names.setdefault(_key(name), set()).add(country.alpha_2)
    for row in read_tsv("places", "exonyms.tsv"):
        kind, _, code = row["target"].partition(":")
        if kind == "country" and row["lang"] in ("en", "nl"):
            names.setdefault(_key(row["name"]), set()).add(code)
            if len(code) == 2:
                codes.setdefault(_key(code), code)
    index = {key: frozenset(found) for key, found in names.items()}
    index.update({key: frozenset({code}) for key, code in codes.items()})   # a code is never a name
    return index


def _country_label(code: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    return f"{getattr(country, 'common_name', None) or country.name} ({code})" if country else code


def parse_countries(raw: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """ISO alpha-2 codes for codes or English/Dutch country names; None when none were given."""
    values = split_values(raw)
    if not values:
        return None
    index = _country_index()
    found = []
    for value in values:
        codes = index.get(_key(value))
        if not codes:
            close = difflib.get_close_matches(_key(value), list(index), n=3, cutoff=0.75)
            suggestions = sorted({_country_label(c) for key in close for c in index[key]})
            hint = f" (did you mean {' or '.join(suggestions)}?)" if suggestions else ""
            raise FilterError("country", f"unknown country {value!r}{hint}; give an ISO 3166 code (DE, DEU) or "
                                         "a country's name in English or Dutch (Germany, Duitsland)")
        if len(codes) > 1:
            raise FilterError("country", f"{value!r} names more than one country: "
                                         f"{', '.join(sorted(_country_label(c) for c in codes))}; give the code")
        found.append(next(iter(codes)))
    return tuple(dict.fromkeys(found))
