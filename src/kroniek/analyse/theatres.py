"""The whole theatre analysis in one value: the series, the claims, the calls and the lagged association."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .association import association_summary, lagged_association
from .calls import calls_summary, calls_table
from .claims import claims_summary, claims_table
from .scope import Scope
from .series import membership, occurred, series

__all__ = ["TheatreAnalysis", "analyse_theatres", "PREDICTORS"]

# The theatre-side series the attacks abroad are set against: the fighting as a whole, and (for a group) the ground
# it lost.
PREDICTORS = ("theatre_events", "territory_lost")


@dataclass
class TheatreAnalysis:
    scope: Scope
    weekly: pd.DataFrame                 # a row per week (weekly.csv)
    monthly: pd.DataFrame                # a row per month (monthly.csv)
    weekly_events: pd.DataFrame          # (event_id, column, start, value): which events each weekly count holds
    monthly_events: pd.DataFrame
    claims: pd.DataFrame                 # a row per attack abroad (claims.csv)
    calls: pd.DataFrame                  # a row per call and attack that followed it (calls.csv)
    association: pd.DataFrame            # a row per predictor and lag (association.csv)
    summaries: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _notes(events: pd.DataFrame, scope: Scope, weekly_events: pd.DataFrame, monthly_events: pd.DataFrame,
           members: pd.DataFrame) -> list[str]:
    happened = occurred(events)
    relevant = set(members["event_id"])
    not_weekly = relevant - set(weekly_events["event_id"]) - set(monthly_events["event_id"])
    only_monthly = set(monthly_events["event_id"]) - set(weekly_events["event_id"])
    notes = [f"{len(events) - len(happened)} of {len(events)} events are not counted because their modality is "
             "not asserted (negated, uncertain, hypothetical, future or generic mentions)."]
    if only_monthly:
        notes.append(f"{len(only_monthly)} events are dated only to the month: they are in the monthly series, "
                     "not in the weekly one.")
    undated = {e for e in not_weekly if e in set(happened.loc[happened['date'].isna(), 'id'])}
    if undated:
        notes.append(f"{len(undated)} events that would count have no date and are in neither series.")
    if not_weekly - undated:
        notes.append(f"{len(not_weekly - undated)} events that would count are dated only to a year, or lie "
                     "outside the period, and are in neither series.")
    return notes


def analyse_theatres(events: pd.DataFrame, scope: Scope) -> TheatreAnalysis:
    """Every part of the analysis for this scope, from the events frame (kroniek.analyse.load_events)."""
    settings = scope.settings
    members = membership(events, scope)
    weekly, weekly_events = series(events, scope, "W", members)
    monthly, monthly_events = series(events, scope, "M", members)
    claims = claims_table(events, scope)
    calls = calls_table(events, scope)
    level, max_lag = float(settings["confidence_level"]), int(settings["max_lag_weeks"])
    predictors = [p for p in PREDICTORS if p == "theatre_events" or scope.group is not None]
    association = pd.concat([lagged_association(weekly, p, "abroad_attacks", max_lag, level,
                                                int(settings["min_weeks"])) for p in predictors], ignore_index=True)
    summaries = {
        "claims": claims_summary(claims), "calls": calls_summary(events, scope, calls),
        "association": {p: association_summary(association[association["predictor"] == p], level)
                        for p in predictors},
        "totals": {c: int(pd.to_numeric(weekly[c], errors="coerce").fillna(0).sum())
                   for c in weekly.columns[2:]},
    }
    return TheatreAnalysis(scope, weekly, monthly, weekly_events, monthly_events, claims, calls, association,
                           summaries, _notes(events, scope, weekly_events, monthly_events, members))
