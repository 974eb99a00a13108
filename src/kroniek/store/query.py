"""EventQuery: the filters every reader of the store (CLI, API, dashboard, alerts) shares.

``type``, ``subtype``, ``modality``, ``country``, ``actor`` and ``text`` take one value or a tuple of values (any
of them matches); the values are the ontology's names and ISO codes, as :mod:`kroniek.filters` makes them from
what a user typed. ``actor`` and ``text`` match a part of an actor's name or id, or of the evidence and titles.
``id_prefix`` selects the events whose id starts with it (`kroniek show evt_4f2a`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

Values = str | tuple[str, ...] | None


def values_of(value: Values) -> tuple[str, ...]:
    """A filter's values as a tuple: () for none, one string as a 1-tuple."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True, slots=True)
class EventQuery:
    type: Values = None
    subtype: Values = None
    modality: Values = None
    country: Values = None
    actor: Values = None                 # substring of an actor's name or id, case-insensitive
    since: date | None = None            # events whose date range ends on or after this day
    until: date | None = None            # events whose date range starts on or before this day
    text: Values = None                  # substring of evidence quotes or source titles
    bbox: tuple[float, float, float, float] | None = None   # min_lon, min_lat, max_lon, max_lat
    limit: int = 100
    offset: int = 0
    order: str = "date"                  # date | fatalities | id
    id_prefix: str | None = None         # events whose id starts with this
    acled: Values = None                 # ACLED event types or sub-event types (codebook names)

    def where(self) -> tuple[str, list]:
        """The SQL WHERE clause (without the keyword) and its parameters."""
        clauses, params = ["TRUE"], []
        for column in ("type", "subtype", "modality", "country"):
            values = [v.upper() if column == "country" else v for v in values_of(getattr(self, column)) if v]
            if len(values) == 1:
                clauses.append(f"{column} = ?")
            elif values:
                clauses.append(f"{column} IN ({', '.join('?' for _ in values)})")
            params += values
        acled = [v for v in values_of(self.acled) if v]
        if acled:
            marks = ", ".join("?" for _ in acled)
            clauses.append(f"(acled_event_type IN ({marks}) OR acled_sub_event_type IN ({marks}))")
            params += acled + acled
        if self.id_prefix:
            clauses.append("starts_with(event_id, ?)")
            params.append(self.id_prefix)
        for column, value in (("actor_names", self.actor), ("search_text", self.text)):
            words = [w for w in values_of(value) if w]
            if words:
                # each value is literal text: its % and _ are escaped, so they match themselves, not anything
                # both sides case-folded in Python (store/columns.py search_form), not by the database's locale
                clauses.append("(" + " OR ".join(f"{column} LIKE ? ESCAPE '\\'" for _ in words) + ")")
                params += [f"%{_escape_like(w.casefold())}%" for w in words]
        if self.since:
            clauses.append("coalesce(date_end, date_start) >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("date_start <= ?")
            params.append(self.until)
        if self.bbox:
            min_lon, min_lat, max_lon, max_lat = self.bbox
            clauses.append("lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?")
            params += [min_lon, max_lon, min_lat, max_lat]
        return " AND ".join(clauses), params

    def order_by(self) -> str:
        return {
            "fatalities": "fatalities_min DESC NULLS LAST, event_id",
            "id": "event_id",
        }.get(self.order, "date_start DESC NULLS LAST, event_id")
