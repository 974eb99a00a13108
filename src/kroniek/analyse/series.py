"""Weekly and monthly series of the two sides of the question: the fighting in the theatres and what happens abroad.

An event is counted where it belongs (see `membership`), once per column, in the week (Monday to Sunday, ISO 8601)
or month its date starts. Only events that occurred (the ontology's occurred modalities) are counted, and only
where their date is precise enough for the bin (data/analyse/theatres.toml: an event dated only to a month is in
the monthly series, not in the weekly one).
"""
from __future__ import annotations

import pandas as pd

from .. import ontology
from .scope import Scope

__all__ = ["membership", "series", "series_columns", "occurred", "claims_of", "THEATRE_TYPES"]

THEATRE_TYPES: tuple[str, ...] = tuple(t for t in ontology.EVENT_TYPES if t in ontology.VIOLENT_TYPES)


def series_columns() -> list[str]:
    """The count columns of weekly.csv and monthly.csv, in order."""
    return ([f"theatre_{t}" for t in THEATRE_TYPES] + ["theatre_events", "territory_gained", "territory_lost",
            "abroad_attacks", "abroad_fatalities", "abroad_attacks_claimed", "claims", "calls", "plots", "arrests"])


def occurred(events: pd.DataFrame) -> pd.DataFrame:
    """The events whose modality says they happened (asserted)."""
    return events[events["modality"].isin(ontology.OCCURRED_MODALITIES)]


def _in_group(ids_column: pd.Series, scope: Scope) -> pd.Series:
    if scope.group is None:
        return pd.Series(True, index=ids_column.index)
    members = scope.group.member_ids
    return ids_column.map(lambda ids: any(i in members for i in ids)).astype(bool)


def claims_of(events: pd.DataFrame, scope: Scope) -> dict[str, list[str]]:
    """Event id -> ids of the claims (that occurred, made by the group when the scope has one) that claim it; both
    directions of the link are read (the claim's `claims`, the event's `claimed_by`)."""
    happened = occurred(events)
    claims = happened[(happened["type"] == "claim") & _in_group(happened["actor_ids"], scope)]
    claim_ids = set(claims["id"])
    found: dict[str, list[str]] = {}
    for claim_id, targets in zip(claims["id"], claims["claims"]):
        for target in targets:
            found.setdefault(target, []).append(claim_id)
    for event_id, claimed_by in zip(events["id"], events["claimed_by"]):
        for claim_id in claimed_by:
            if claim_id in claim_ids and claim_id not in found.get(event_id, []):
                found.setdefault(event_id, []).append(claim_id)
    return found


def membership(events: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Which event counts in which column: rows (event_id, column, value), value 1 (or the fatalities)."""
    happened = occurred(events)
    rows: list[tuple[str, str, int]] = []
    in_theatre = happened["country"].isin(scope.theatre)
    abroad = happened["country"].isin(scope.abroad)
    types = happened["type"]
    for t in THEATRE_TYPES:
        for event_id in happened.loc[in_theatre & (types == t), "id"]:
            rows += [(event_id, f"theatre_{t}", 1), (event_id, "theatre_events", 1)]
    if scope.group is not None:
        # territory taken, or regained (a kind of it, ontology v1.2)
        territory = [s for s in ontology.SUBTYPES["armed_clash"] if s == "territory_taken"
                     or ontology.subtype_parent("armed_clash", s) == "territory_taken"]
        taken = happened[in_theatre & (types == "armed_clash") & happened["subtype"].isin(territory)]
        members = scope.group.member_ids
        for event_id, takers, losers in zip(taken["id"], taken["perpetrators"],
                                            taken["opponents"] + taken["victims"] + taken["targets_actors"]):
            if any(a in members for a in takers):
                rows.append((event_id, "territory_gained", 1))
            elif any(a in members for a in losers):
                rows.append((event_id, "territory_lost", 1))
    claimed = claims_of(events, scope)
    attacks = happened[abroad & types.isin(scope.settings["abroad_types"])]
    by_group = _in_group(attacks["perpetrators"], scope) | attacks["id"].isin(claimed)
    for event_id, fatalities in zip(attacks.loc[by_group, "id"], attacks.loc[by_group, "fatalities"]):
        rows.append((event_id, "abroad_attacks", 1))
        if not pd.isna(fatalities):
            rows.append((event_id, "abroad_fatalities", int(fatalities)))
        if event_id in claimed:
            rows.append((event_id, "abroad_attacks_claimed", 1))
    actors_in_group = _in_group(happened["actor_ids"], scope)
    for column, mask in (("claims", (types == "claim") & _in_group(happened["claimants"], scope)),
                         ("calls", (types == "incitement") & _in_group(happened["instigators"], scope)),
                         ("plots", (types == "plot") & abroad & actors_in_group),
                         ("arrests", (types == "arrest") & abroad & actors_in_group)):
        rows += [(event_id, column, 1) for event_id in happened.loc[mask, "id"]]
    return pd.DataFrame(rows, columns=["event_id", "column", "value"])


def _period_start(dates: pd.Series, freq: str) -> pd.Series:
    if freq == "W":
        return (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).dt.normalize()
    return dates.dt.to_period("M").dt.start_time


def series(events: pd.DataFrame, scope: Scope, freq: str = "W",
           members: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The series (a row per week or month, every period of the span, zeros included) and the counted events.

    Args:
        freq: "W" (ISO weeks, Monday first) or "M" (calendar months).
        members: `membership(events, scope)`, when the caller already has it.
    Returns:
        (series, counted): series has `week`/`month` (label), `start` and series_columns(); counted has a row per
        (event_id, column, start) for every event counted, so that a point of a chart can list its events.
    """
    if members is None:
        members = membership(events, scope)
    precisions = scope.settings["weekly_precisions" if freq == "W" else "monthly_precisions"]
    dated = events[events["date"].notna() & events["precision"].isin(precisions)][["id", "date"]]
    counted = members.merge(dated, left_on="event_id", right_on="id")
    counted["start"] = _period_start(counted["date"], freq)
    if scope.since is not None:
        counted = counted[counted["date"] >= pd.Timestamp(scope.since)]
    if scope.until is not None:
        counted = counted[counted["date"] <= pd.Timestamp(scope.until)]
    first = pd.Timestamp(scope.since) if scope.since else counted["date"].min()
    last = pd.Timestamp(scope.until) if scope.until else counted["date"].max()
    columns = series_columns()
    label = "week" if freq == "W" else "month"
    if pd.isna(first) or pd.isna(last):
        return pd.DataFrame(columns=[label, "start"] + columns), counted[["event_id", "column", "start", "value"]]
    starts = pd.date_range(_period_start(pd.Series([first]), freq)[0], _period_start(pd.Series([last]), freq)[0],
                           freq="W-MON" if freq == "W" else "MS")
    table = counted.pivot_table(index="start", columns="column", values="value", aggfunc="sum")
    table = table.reindex(index=starts, columns=columns).fillna(0).astype(int)
    if scope.group is None:       # whose territory changed hands is only known for a group
        table["territory_gained"] = pd.NA
        table["territory_lost"] = pd.NA
    table.index.name = "start"
    table = table.reset_index()
    names = table["start"].dt.strftime("%G-W%V") if freq == "W" else table["start"].dt.strftime("%Y-%m")
    table.insert(0, label, names)
    return table, counted[["event_id", "column", "start", "value"]].reset_index(drop=True)
