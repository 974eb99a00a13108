"""A group over time: its attacks, its claims, its calls to violence and the fighting it takes part in, by month and
country (the dashboard's and the API's group pages)."""
from __future__ import annotations

import pandas as pd

from .scope import Group
from .series import occurred

__all__ = ["group_activity", "KINDS"]

# What a group's page counts, in display order: attacks it carried out or claimed, its claims, its calls, and the
# armed clashes and strikes it took part in on either side (the theatres where it fights).
KINDS = ("attacks", "claims", "calls", "fighting")


def group_activity(events: pd.DataFrame, group: Group) -> pd.DataFrame:
    """A row per (month, kind, country): `month` (YYYY-MM), `start`, `kind` (KINDS), `country` (ISO code or None),
    `events` (how many) and `event_ids`. Only events that occurred and are dated to the month or better count."""
    happened = occurred(events)
    happened = happened[happened["date"].notna() & happened["precision"].isin(("day", "week", "month"))]
    members = group.member_ids

    def named(column: str) -> pd.Series:
        return happened[column].map(lambda ids: any(i in members for i in ids)).astype(bool)

    claims = happened[(happened["type"] == "claim") & named("claimants")]
    claim_ids = set(claims["id"])
    claimed_ids = {target for targets in claims["claims"] for target in targets}
    claimed = happened["id"].isin(claimed_ids) | happened["claimed_by"].map(
        lambda ids: any(i in claim_ids for i in ids)).astype(bool)
    masks = {
        "attacks": (happened["type"] == "attack") & (named("perpetrators") | claimed),
        "claims": (happened["type"] == "claim") & named("claimants"),
        "calls": (happened["type"] == "incitement") & named("instigators"),
        "fighting": happened["type"].isin(("armed_clash", "remote_violence")) & named("actor_ids"),
    }
    rows = []
    for kind in KINDS:
        chosen = happened[masks[kind]]
        start = chosen["date"].dt.to_period("M").dt.start_time
        for (month_start, country), ids in chosen.groupby([start, chosen["country"].fillna("")])["id"]:
            rows.append({"month": month_start.strftime("%Y-%m"), "start": month_start, "kind": kind,
                         "country": country or None, "events": len(ids), "event_ids": tuple(sorted(ids))})
    table = pd.DataFrame(rows, columns=["month", "start", "kind", "country", "events", "event_ids"])
    return table.sort_values(["start", "kind", "country"], na_position="first").reset_index(drop=True)
