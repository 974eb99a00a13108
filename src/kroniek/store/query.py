"""EventQuery: the filters every reader of the store (CLI, API, dashboard) shares."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class EventQuery:
    type: str | None = None
    subtype: str | None = None
    modality: str | None = None
    country: str | None = None
    actor: str | None = None             # substring of an actor's name or id, case-insensitive
    since: date | None = None            # events whose date range ends on or after this day
    until: date | None = None            # events whose date range starts on or before this day
    text: str | None = None              # substring of evidence quotes or source titles
    bbox: tuple[float, float, float, float] | None = None   # min_lon, min_lat, max_lon, max_lat
    limit: int = 100
    offset: int = 0
    order: str = "date"                  # date | fatalities | id

    def where(self) -> tuple[str, list]:
        """The SQL WHERE clause (without the keyword) and its parameters."""
        clauses, params = ["TRUE"], []
        for column in ("type", "subtype", "modality"):
            value = getattr(self, column)
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        if self.country:
            clauses.append("country = ?")
            params.append(self.country.upper())
        if self.actor:
            clauses.append("actor_names ILIKE ?")
            params.append(f"%{self.actor}%")
        if self.since:
            clauses.append("coalesce(date_end, date_start) >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("date_start <= ?")
            params.append(self.until)
        if self.text:
            clauses.append("search_text ILIKE ?")
            params.append(f"%{self.text}%")
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
