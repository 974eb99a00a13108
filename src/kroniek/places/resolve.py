"""Choosing the place each mention means, from the names' priors and the rest of the article.

Score of a candidate = prior (gazetteer.entry_prior: kind, population, capital; minus a penalty when only
                       an alternate name matched)
                     + context (its country or admin1 division named elsewhere in the article, its distance to
                       the other places, the publication's own country, a qualifier right after it:
                       'Paris, Texas', 'London, Ont.').
Two passes: the first resolves every mention from priors alone; the second re-scores each mention against the
context that the others (first-pass answers) give, leaving the mention itself out. A weak mention (a small
place, or a name that is also an ordinary word) is kept only with support: a locative preposition, a
qualifier, or its country/admin1/neighbourhood in the article. Weights were tuned on TR-News (PLACES.md);
re-run `kroniek eval geo` after changing one.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..datafiles import read_tsv
from ..records import Place
from .detect import Mention
from .lexicon import normalise
from .gazetteer import ADMIN1, ADMIN2, ALTERNATE_NAME_PENALTY, CITY, COUNTRY, REGION, Gazetteer

__all__ = ["resolve_mentions", "haversine_km", "static_prior"]

EARTH_RADIUS_KM = 6371.0088
COUNTRY_CONTEXT_BONUS = 2.0
NAMED_COUNTRY_BONUS = 3.0
ADMIN1_CONTEXT_BONUS = 2.5
PUBLISHER_BONUS = 1.0
NEAR_KM, NEAR_BONUS = 100.0, 2.0
CLOSE_KM, CLOSE_BONUS = 300.0, 1.0
QUALIFIER_BONUS, QUALIFIER_MISMATCH = 6.0, -3.0
CONTAINS_BONUS = 3.0
# A city's alternate name loses this much more where a larger city has it as its own name: GeoNames keeps former
# names ('Salisbury' for Harare, a capital of 1.5M: 1.3 above Salisbury, England without it). Checked on the place
# lists of EventDNA, dutch_news_dev, TR-News and GeoWebNews (docs/QUALITY.md, stop 35); re-run `kroniek eval geo`.
SHADOWED_ALTERNATE_PENALTY = 1.5
SHADOWING_CITY_POPULATION = 25_000   # smaller own-name cities ('Nederland', Colorado; 'Saña', Peru) shadow nothing
# A city that holds at least DOMINANT_SHARE of its same-named admin1 division's people is what the bare name
# means ('New York', 'Kabul', 'São Paulo'; not 'Quebec', whose city is small next to the province). Set on
# GeoWebNews and TR-News (the development split); re-run `kroniek eval geo` after a change.
DOMINANT_SHARE, DOMINANT_CITY_BONUS = 0.25, 1.5
CONFIDENCE_SHARPNESS = 1.5          # exp(sharpness * score difference) weighs the runners-up
WEAK_CONFIDENCE, COMPASS_CONFIDENCE = 0.75, 0.9
SAME_PLACE_KM = 100.0
_EMPTY: Counter = Counter()

_DIRECTION_ADJECTIVE = {"north": "Northern", "south": "Southern", "east": "Eastern", "west": "Western",
                        "northeast": "Northeastern", "northwest": "Northwestern", "southeast": "Southeastern",
                        "southwest": "Southwestern", "central": "Central"}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def static_prior(gazetteer: Gazetteer, entry: int) -> float:
    """The entry's prior before any context (see :func:`~kroniek.places.gazetteer.entry_prior`)."""
    return gazetteer.prior[entry]


def _approx_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance: within 1% of the great circle below 1,000 km, five times cheaper."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return EARTH_RADIUS_KM * math.sqrt(x * x + y * y)


# "de Amerikaanse stad X", "the Pakistani city of X", "de Franse provincie X": a demonym qualifies the place after it.
_KIND_WORDS = re.compile(r"\s+(?:stad|plaats|dorp|gemeente|havenstad|hoofdstad|grensstad|provincie|staat|regio|deelstaat|"
                         r"city|town|village|port|capital|province|state|region|district)(?:\s+of)?\s+$", re.I)
# Dutch place names are neuter: "het Britse Salisbury", "het Iraakse Koerdistan" name a place with its country
# ("the American Center", "de Iraanse Rode Halve Maan" do not).
_NEUTER_ARTICLE = re.compile(r"(?<![^\W\d_])het\s+$", re.I)
# Words before a name that make it a person's: "President Lincoln", "Mr. Jackson", "Abraham Lincoln".
_PERSON_BEFORE = re.compile(r"(?:\b(?:mr|mrs|ms|dr|president|senator|sen|gov|governor|general|gen|rep|judge|"
                            r"minister|premier|coach|de heer|mevrouw|president|burgemeester)\.?|[A-Z][a-z]+)\s+$")


@lru_cache(maxsize=1)
def _not_places() -> dict[str, str]:
    """not_places.tsv: lower-cased word -> kind (month, day, surname), both languages."""
    return {row["word"].lower(): row["kind"] for row in read_tsv("places", "not_places.tsv")}


def is_not_a_place(text: str, mention: Mention, qualified: bool) -> bool:
    """Whether a mention is a month ("in May"), a weekday or a holiday ("Christmas"), or a person's surname
    ("President Lincoln") rather than a place."""
    if mention.forced or qualified:
        return False
    kind = _not_places().get(text[mention.start:mention.end].lower())
    if kind in ("month", "day"):
        return True
    if kind == "surname":
        return not mention.locative or bool(_PERSON_BEFORE.search(text, max(0, mention.start - 20), mention.start))
    return False


def resolve_mentions(mentions: list[Mention], gazetteer: Gazetteer, text: str,
                     publisher_country: str | None = None) -> list[tuple[Mention, Place]]:
    """The place of each mention that survives; mentions without support are left out."""
    if not mentions:
        return []
    qualifiers = _qualifiers(mentions, text, gazetteer)
    keep = [k for k, m in enumerate(mentions)
            if not is_not_a_place(text, m, k in qualifiers or k in qualifiers.values())]
    if len(keep) < len(mentions):
        mentions = [mentions[k] for k in keep]
        if not mentions:
            return []
        qualifiers = _qualifiers(mentions, text, gazetteer)
    _add_fragments(mentions, qualifiers, gazetteer, text)
    _keep_divisions_before_their_offices(mentions, gazetteer, text)
    qualified = set(qualifiers) | set(qualifiers.values())
    # First pass: priors only. Postings come best-prior first, so without a publisher or a qualifier the
    # first posting is the answer.
    first = [m.postings[0] >> 1 if publisher_country is None and k not in qualified
             else _best(gazetteer, m, k, None, publisher_country, qualifiers, mentions)[0]
             for k, m in enumerate(mentions)]
    context = _context(gazetteer, mentions, first)
    best = _best_of_each(gazetteer, mentions, context, publisher_country, qualifiers, qualified)
    _follow_anchors(mentions, best, text, qualifiers)
    resolved: list[tuple[Mention, Place]] = []
    for k, mention in enumerate(mentions):
        entry, confidence, supported = best[k]
        if not mention.forced and (mention.common and not (mention.locative or k in qualified)
                                   or mention.weak and not (supported or mention.locative)):
            continue
        if mention.weak:
            confidence *= WEAK_CONFIDENCE
        resolved.append((mention, _place(gazetteer, entry, mention, confidence)))
    return resolved


def _best_of_each(gazetteer: Gazetteer, mentions: list[Mention], context: _Context, publisher: str | None,
                  qualifiers: dict[int, int], qualified: set[int]) -> list[tuple[int, float, bool]]:
    """_best of every mention in context. The mentions of one name that no qualifier ties to another ('Aleppo'
    five times) share one answer, computed once: _best reads nothing else of them than their postings, their
    dateline and their name group (which the postings make)."""
    answers: dict[tuple[tuple[int, ...], bool], tuple[int, float, bool]] = {}
    best = []
    for k, mention in enumerate(mentions):
        if k in qualified:
            best.append(_best(gazetteer, mention, k, context, publisher, qualifiers, mentions))
            continue
        key = (mention.postings, mention.dateline)
        answer = answers.get(key)
        if answer is None:
            answer = answers[key] = _best(gazetteer, mention, k, context, publisher, qualifiers, mentions)
        best.append(answer)
    return best


def _follow_anchors(mentions: list[Mention], best: list[tuple[int, float, bool]], text: str,
                    qualifiers: dict[int, int]) -> None:
    """One place per name in an article: where a mention of a name is pinned down (qualified and backed by its
    qualifier: 'Paris, Texas'; a dateline: 'WASHINGTON —'; an office after it: 'New York Gov.'), its other
    unqualified mentions take that place."""
    groups = [normalise(text[m.start:m.end]) for m in mentions]      # one name, however its readings were cut
    anchors: dict[str, dict[int, float]] = {}
    for k, mention in enumerate(mentions):
        if (k in qualifiers and best[k][2]) or mention.dateline or mention.pinned:
            anchors.setdefault(groups[k], {})[best[k][0]] = best[k][1]
    for k in range(len(mentions)):
        pinned = anchors.get(groups[k])
        if pinned and len(pinned) == 1 and k not in qualifiers and not mentions[k].dateline \
                and not mentions[k].pinned and pinned.keys() <= {p >> 1 for p in mentions[k].postings}:
            entry, confidence = next(iter(pinned.items()))
            if entry != best[k][0]:
                best[k] = (entry, confidence, True)


def _qualifiers(mentions: list[Mention], text: str, gazetteer: Gazetteer) -> dict[int, int]:
    """mention index -> index of the mention that qualifies it ('Paris' -> 'Texas' in 'Paris, Texas').

    Two countries side by side are a list, not a qualification: in "in Russia, U.S. officials said" the U.S. does
    not make Russia the town in Ohio."""
    found = {}
    for k in range(len(mentions) - 1):
        between = text[mentions[k].end:mentions[k + 1].start]
        if between.strip() in (",", "(") and len(between) <= 3 and mentions[k + 1].label == "place" \
                and not (_is_country(gazetteer, mentions[k]) and _is_country(gazetteer, mentions[k + 1])):
            found[k] = k + 1
        elif mentions[k].label == "demonym" and mentions[k + 1].label == "place" and (
                len(between) <= 24 and _KIND_WORDS.fullmatch(between) or between in (" ", "\t")
                and _NEUTER_ARTICLE.search(text, max(0, mentions[k].start - 5), mentions[k].start)):
            # "de Amerikaanse stad Manchester", "in het Britse Salisbury", "het Duitse Essen": the demonym's country
            # qualifies it (and a name that is also a word, Dutch 'essen', 'manchester', needs no preposition then)
            found[k + 1] = k
    return found


def _add_fragments(mentions: list[Mention], qualifiers: dict[int, int], gazetteer: Gazetteer, text: str) -> None:
    """A name qualified by a country that holds none of its readings, but holds a division whose name it is a
    fragment of, also reads as that division: 'Delgado, Mozambique' is Cabo Delgado, not a town in El Salvador.
    The division joins the mention's postings (as an alternate name); the mention object is updated in place."""
    for k, outer in qualifiers.items():
        mention = mentions[k]
        if mention.label != "place" or any(_inside_any(gazetteer, p >> 1, mentions[outer].postings)
                                           for p in mention.postings):
            continue
        divisions = gazetteer.fragments.get(normalise(text[mention.start:mention.end]), ())
        inside = tuple(entry * 2 + 1 for entry in divisions if _inside_any(gazetteer, entry, mentions[outer].postings))
        if inside:
            mention.postings = mention.postings + inside


@lru_cache(maxsize=1)
def _division_offices() -> re.Pattern:
    """cues.tsv kind 'division': words after a name that make it the division ('New York Gov.', 'Washington state')."""
    words = sorted({row["word"] for row in read_tsv("places", "cues.tsv") if row["kind"] == "division"}, key=len,
                   reverse=True)
    return re.compile(r"[ \t]+(?:" + "|".join(re.escape(w) for w in words) + r")(?![^\W\d_])", re.I)


@lru_cache(maxsize=1)
def _division_words_before() -> re.Pattern:
    """cues.tsv kind 'division_before': words before a name that make it the division ('de provincie Antwerpen',
    'the province of Antwerp')."""
    words = sorted({row["word"] for row in read_tsv("places", "cues.tsv") if row["kind"] == "division_before"},
                   key=len, reverse=True)
    return re.compile(r"(?<![^\W\d_])(?:" + "|".join(re.escape(w) for w in words) + r")[ \t]+$", re.I)


def _keep_divisions_before_their_offices(mentions: list[Mention], gazetteer: Gazetteer, text: str) -> None:
    """'New York Gov. Mario Cuomo', 'Texas Governor', 'Washington state', 'de provincie Antwerpen': a name followed
    by an office or word of a first-order division, or after such a word, reads as that division when it can (its
    other readings are dropped, in place)."""
    offices, before = _division_offices(), _division_words_before()
    for mention in mentions:
        if mention.label == "place" and (offices.match(text, mention.end, min(len(text), mention.end + 14))
                                         or before.search(text, max(0, mention.start - 20), mention.start)):
            divisions = tuple(p for p in mention.postings if gazetteer.kind[p >> 1] == ADMIN1)
            if divisions:
                mention.postings, mention.pinned = divisions, True


def _is_country(gazetteer: Gazetteer, mention: Mention) -> bool:
    """Whether the name's first reading (best prior) is a country."""
    return gazetteer.kind[mention.postings[0] >> 1] == COUNTRY


@dataclass(slots=True)
class _Context:
    countries: Counter
    named_countries: Counter                       # countries named as such ('Canada', 'Canadian')
    admin1s: Counter
    points: list[tuple[float, float, int]]        # lat, lon, name group
    groups: list[int]                              # per mention: its name group (mentions of the same name)
    group_counts: dict[int, tuple[Counter, Counter]]   # what each name group added itself


def _context(gazetteer: Gazetteer, mentions: list[Mention], chosen: list[int]) -> _Context:
    """Countries, admin1 divisions and points of the first-pass answers.

    Repeated mentions of one name ('Edmonton' 20 times) form a group that never supports itself: otherwise
    a wrong first guess would vote for itself once per repetition.
    """
    countries: Counter = Counter()
    named: Counter = Counter()
    admin1s: Counter = Counter()
    points = []
    group_of: dict[tuple[int, ...], int] = {}
    groups = []
    group_counts: dict[int, tuple[Counter, Counter]] = {}
    for mention, entry in zip(mentions, chosen):
        group = group_of.setdefault(mention.postings, len(group_of))
        groups.append(group)
        if mention.weak and not mention.locative and not mention.forced:
            continue   # an unsupported small place must not support others
        country, admin1 = gazetteer.country[entry], gazetteer.admin1[entry]
        own_countries, own_admin1s = group_counts.setdefault(group, (Counter(), Counter()))
        countries[country] += 1
        if gazetteer.kind[entry] == COUNTRY:
            named[country] += 1
        admin1s[admin1] += 1
        own_countries[country] += 1
        own_admin1s[admin1] += 1
        if gazetteer.kind[entry] in (CITY, ADMIN1, ADMIN2) and gazetteer.lat[entry] is not None:
            points.append((gazetteer.lat[entry], gazetteer.lon[entry], group))
    return _Context(countries, named, admin1s, list(set(points)), groups, group_counts)


def _short_form(name: str, full: str) -> bool:
    """Whether `name` is a short form or spelling of the place named `full` ('Newcastle' of 'Newcastle upon Tyne',
    'Westminster' of 'City of Westminster', 'Sana' of 'Sanaa'), not another name of it ('Salisbury' of Harare)."""
    return name[:3] == full[:3] or f" {name} " in f" {full} "


def _best(gazetteer: Gazetteer, mention: Mention, k: int, context: _Context | None, publisher: str | None,
          qualifiers: dict[int, int], mentions: list[Mention]) -> tuple[int, float, bool]:
    """(best entry, confidence, whether the context supports it) for mention k."""
    qualifier = qualifiers.get(k)
    qualified_by = [q for q, target in qualifiers.items() if target == k]
    scores: list[tuple[float, int, bool]] = []
    postings = mention.postings
    if mention.dateline and qualifier is None:   # 'WASHINGTON —' is not Washington, Iowa ('EDMONTON, Ky.' is)
        postings = tuple(p for p in postings if gazetteer.is_strict(p >> 1)) or postings
    divisions = {gazetteer.admin1[p >> 1]: gazetteer.population[p >> 1] for p in postings
                 if gazetteer.kind[p >> 1] == ADMIN1}
    # a name that is a city's own name is that city's before it is another's former or foreign name ('Salisbury' is
    # in England, not Harare)
    own_name = None
    if any(p & 1 for p in postings):
        own_name = next((normalise(gazetteer.name[p >> 1]) for p in postings if not p & 1 and
                         gazetteer.kind[p >> 1] == CITY and gazetteer.population[p >> 1] >= SHADOWING_CITY_POPULATION),
                        None)
    for posting in postings:
        entry, alternate = posting >> 1, posting & 1
        score = static_prior(gazetteer, entry) - (ALTERNATE_NAME_PENALTY if alternate else 0.0)
        if alternate and own_name and gazetteer.kind[entry] == CITY and not _short_form(
                own_name, normalise(gazetteer.name[entry])):
            score -= SHADOWED_ALTERNATE_PENALTY
        if divisions and gazetteer.kind[entry] == CITY and \
                gazetteer.population[entry] >= DOMINANT_SHARE * divisions.get(gazetteer.admin1[entry], math.inf):
            score += DOMINANT_CITY_BONUS
        country, admin1 = gazetteer.country[entry], gazetteer.admin1[entry]
        supported = False
        if publisher and country == publisher:
            score += PUBLISHER_BONUS
        outer, seen = qualifier, set()
        while outer is not None and outer not in seen and outer != k:
            # every qualifier of a chain counts: "Town, Province, Country" takes the namesake in that country
            inside = _inside_any(gazetteer, entry, mentions[outer].postings)
            score += QUALIFIER_BONUS if inside else QUALIFIER_MISMATCH
            supported |= inside
            seen.add(outer)
            outer = qualifiers.get(outer)
        for q in qualified_by:
            if any(_contains(gazetteer, entry, p >> 1) for p in mentions[q].postings):
                score += CONTAINS_BONUS
                supported = True
                break
        if context is not None:
            kind = gazetteer.kind[entry]
            group = context.groups[k]
            own_countries, own_admin1s = context.group_counts.get(group, (_EMPTY, _EMPTY))
            # Its country named elsewhere raises the score but is no support on its own: in a US article
            # every capitalised word that is also a small US town would pass. A country named as such
            # ('France') weighs more than one inferred from a city.
            if country and context.countries[country] - own_countries[country] > 0:
                named = context.named_countries[country] - (own_countries[country] if kind == COUNTRY else 0)
                score += NAMED_COUNTRY_BONUS if named > 0 else COUNTRY_CONTEXT_BONUS
            # Same division and nearness mostly say the same thing: count the stronger of the two only.
            local = 0.0
            if admin1 and kind in (CITY, ADMIN1, ADMIN2) and context.admin1s[admin1] - own_admin1s[admin1] > 0:
                local = ADMIN1_CONTEXT_BONUS
            if kind in (CITY, ADMIN2) and gazetteer.lat[entry] is not None:
                nearest = _nearest(gazetteer.lat[entry], gazetteer.lon[entry], context.points, group)
                local = max(local, NEAR_BONUS if nearest < NEAR_KM else CLOSE_BONUS if nearest < CLOSE_KM else 0.0)
            if local:
                score += local
                # Within 300 km lies all of the Netherlands: only a division or a near neighbour supports.
                supported = supported or local >= NEAR_BONUS
        scores.append((score, entry, supported))
    scores.sort(key=lambda item: -item[0])
    top_score, top_entry, top_supported = scores[0]
    # Confidence = the share of the candidates' weight that lies near the winner: a city and its same-named
    # division ('Aleppo') disagree on the entry but not on where the place is.
    total = near = 0.0
    top_lat, top_lon = gazetteer.lat[top_entry], gazetteer.lon[top_entry]
    for score, entry, _ in scores[:10]:
        weight = math.exp(CONFIDENCE_SHARPNESS * (score - top_score))
        total += weight
        lat, lon = gazetteer.lat[entry], gazetteer.lon[entry]
        if entry == top_entry or (top_lat is not None and lat is not None
                                  and _approx_km(top_lat, top_lon, lat, lon) < SAME_PLACE_KM):
            near += weight
    return top_entry, near / total, top_supported


def _nearest(lat: float, lon: float, points: list[tuple[float, float, int]], own: int) -> float:
    best = math.inf
    reach = CLOSE_KM / 111.0     # degrees of latitude: nothing further can count
    for other_lat, other_lon, group in points:
        if group == own or abs(other_lat - lat) > reach:
            continue
        distance = _approx_km(lat, lon, other_lat, other_lon)
        if distance < best:
            best = distance
    return best


def _contains(gazetteer: Gazetteer, outer: int, inner: int) -> bool:
    """Whether entry ``inner`` lies inside entry ``outer`` (a country or an admin1 division)."""
    kind = gazetteer.kind[outer]
    if kind == COUNTRY:
        return gazetteer.country[inner] == gazetteer.country[outer] and inner != outer
    if kind == ADMIN1:
        return gazetteer.admin1[inner] == gazetteer.admin1[outer] and inner != outer
    return False


def _inside_any(gazetteer: Gazetteer, entry: int, postings: tuple[int, ...]) -> bool:
    return any(_contains(gazetteer, p >> 1, entry) for p in postings)


def _place(gazetteer: Gazetteer, entry: int, mention: Mention, confidence: float) -> Place:
    if mention.compass is None:
        return gazetteer.place(entry, confidence=confidence)
    kind = gazetteer.kind[entry]
    confidence *= COMPASS_CONFIDENCE
    if kind == CITY:   # 'Oost-Mosoel': a district of the city, still the city's point and id
        return gazetteer.place(entry, precision="admin2", confidence=confidence)
    if kind == REGION:
        return gazetteer.place(entry, confidence=confidence)
    adjective = _DIRECTION_ADJECTIVE.get(mention.compass, mention.compass.title())
    return gazetteer.place(entry, precision="region", name=f"{adjective} {gazetteer.name[entry]}",
                           confidence=confidence)
