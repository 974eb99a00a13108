"""Claims of responsibility for attacks abroad: which attacks were claimed, by whom, through which outlet, how fast.

A claim is linked to its attack by the record's relations (`claims` on the claim, `claimed_by` on the attack), as
the pipeline sets them where an article says who claimed what. Of several claims of one attack the first counts,
and a claim dated by its own words ("claimed the attack on Tuesday") comes before one that only took its date from
the sentences around it (a headline "IS claims Berlin attack" dated by the attack's day). The delay is the claim's date minus the attack's,
in days, where both are known to the day; a claim dated before its attack is a dating error of the extraction, and
its delay is left unknown (counted in the summary) rather than reported as negative.
"""
from __future__ import annotations

import pandas as pd

from .scope import Scope
from .series import claims_of, occurred

__all__ = ["claims_table", "claims_summary"]

COLUMNS = ["attack_id", "attack_date", "place", "country", "fatalities", "perpetrators", "by_group", "claimed",
           "claim_ids", "claimants", "via", "claim_date", "claim_dated_by", "delay_days", "claim_quote", "attack_quote"]


def _names(ids, names_by_id: dict[str, str]) -> str:
    return ", ".join(dict.fromkeys(names_by_id.get(i, i) for i in ids))


def claims_table(events: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """One row per attack abroad in the period: whether it was claimed (by the group, when the scope has one), the
    first claim's date, the delay in days, the claimants, the outlet (a media platform named in the claim, e.g.
    Amaq) and the claim's words."""
    happened = occurred(events)
    attacks = happened[happened["country"].isin(scope.abroad) & happened["type"].isin(scope.settings["abroad_types"])
                       & happened["date"].notna()]
    if scope.since is not None:
        attacks = attacks[attacks["date"] >= pd.Timestamp(scope.since)]
    if scope.until is not None:
        attacks = attacks[attacks["date"] <= pd.Timestamp(scope.until)]
    by_id = events.set_index("id")
    names = dict(zip((i for ids in events["actor_ids"] for i in ids), (n for ns in events["actor_names"] for n in ns)))
    names.update(_dictionary_names())
    claimed = claims_of(events, scope)
    members = scope.group.member_ids if scope.group else frozenset()
    rows = []
    for attack in attacks.sort_values(["date", "id"]).itertuples(index=False):
        claim_ids = sorted(claimed.get(attack.id, []), key=lambda c: (
            by_id.at[c, "date_from"] in (None, "context"),
            by_id.at[c, "date"] if not pd.isna(by_id.at[c, "date"]) else pd.Timestamp.max, c))
        first = by_id.loc[claim_ids[0]] if claim_ids else None
        delay = None
        if first is not None and not pd.isna(first["date"]) and first["precision"] == "day" \
                and attack.precision == "day":
            days = (first["date"] - attack.date).days
            delay = days if days >= 0 else None
        rows.append({
            "attack_id": attack.id, "attack_date": attack.date.date(), "place": attack.place,
            "country": attack.country, "fatalities": attack.fatalities,
            "perpetrators": _names(attack.perpetrators, names),
            "by_group": bool(scope.group) and any(a in members for a in attack.perpetrators),
            "claimed": bool(claim_ids), "claim_ids": " ".join(claim_ids),
            "claimants": _names([a for c in claim_ids for a in by_id.at[c, "claimants"]
                                 if a not in by_id.at[c, "platforms"]], names) if claim_ids else "",
            "via": _names([p for c in claim_ids for p in by_id.at[c, "platforms"]], names) if claim_ids else "",
            "claim_date": first["date"].date() if first is not None and not pd.isna(first["date"]) else None,
            "claim_dated_by": None if first is None or pd.isna(first["date"]) else
            "context" if first["date_from"] in (None, "context") else "its own words",
            "delay_days": delay, "claim_quote": first["quote"] if first is not None else None,
            "attack_quote": attack.quote,
        })
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["fatalities"] = table["fatalities"].astype("Int64")
    table["delay_days"] = table["delay_days"].astype("Int64")
    return table


def _dictionary_names() -> dict[str, str]:
    from ..annotate.actors import actor_entries

    return {e["id"]: e["name"] for e in actor_entries()}


def claims_summary(table: pd.DataFrame) -> dict:
    """Counts and shares: attacks abroad, claimed, the share claimed (of all, and of those the group is named as
    perpetrator of), and the claim delays (median, min, max, how many unknown)."""
    claimed = table[table["claimed"]]
    delays = claimed["delay_days"].dropna()
    by_group = table[table["by_group"]]
    return {
        "attacks": int(len(table)), "claimed": int(len(claimed)),
        "share_claimed": float(len(claimed) / len(table)) if len(table) else None,
        "attributed_to_group": int(len(by_group)),
        "share_of_attributed_claimed": float(by_group["claimed"].mean()) if len(by_group) else None,
        "delays_known": int(len(delays)), "delays_unknown": int(len(claimed) - len(delays)),
        "median_delay_days": float(delays.median()) if len(delays) else None,
        "min_delay_days": int(delays.min()) if len(delays) else None,
        "max_delay_days": int(delays.max()) if len(delays) else None,
    }
