"""The state that struck, named by the demonym before a strike's noun: "Turkse bombardementen", "een Israëlische
luchtaanval", "Russian air strikes". Air and missile strikes and shelling are what armed forces of states do from a
distance (ACLED's remote violence by state forces), so the demonym names that country's armed forces
(actors.json: the state_forces actor of that country that stands for its armed forces, NATIONAL_FORCES).

Only for remote violence, and only where the demonym stands right before the noun (one modifier word at most
between: "Israëlische nachtelijke luchtaanvallen"); a demonym before an attack ("een Palestijnse aanslag") names no
state.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..annotate.actors import actor_entries
from ..records import ActorRole, Span

__all__ = ["striking_state"]

MODIFIER_WORDS = 1      # words between the demonym and the strike's noun
_WORD = re.compile(r"[\w'’-]+")


# which of a country's state_forces actors stands for its armed forces as a whole (not "Africa Corps", "Azov", a
# service or a guard corps): the first id ending so, else the country's first state_forces actor
NATIONAL_FORCES = ("-armed-forces", "-defense-forces", "-defence-forces", "-national-army", "-security-forces")


@lru_cache(maxsize=None)
def _forces_by_country() -> dict[str, dict]:
    by_country: dict[str, list[dict]] = {}
    for actor in actor_entries():
        if actor.get("kind") == "state_forces" and actor.get("country"):
            by_country.setdefault(actor["country"], []).append(actor)
    rank = lambda a: next((i for i, end in enumerate(NATIONAL_FORCES) if a["id"].endswith(end)),  # noqa: E731
                          len(NATIONAL_FORCES))
    return {country: min(actors, key=rank) for country, actors in by_country.items()}


def striking_state(text: str, trigger: Span, places: list[Span] | tuple[Span, ...]) -> ActorRole | None:
    """The armed forces of the country whose demonym stands right before the strike's noun `trigger`, or None."""
    for place in places:
        if place.label != "demonym" or place.end > trigger.start or trigger.start - place.end > 40:
            continue
        between = _WORD.findall(text[place.end:trigger.start])
        if len(between) > MODIFIER_WORDS or any(c in text[place.end:trigger.start] for c in ",;:.()"):
            continue
        forces = _forces_by_country().get(getattr(place.value, "country", None) or "")
        if forces is None:
            return None
        return ActorRole("perpetrator", forces["name"], forces["id"], forces["kind"], None, place.text)
    return None
