"""Calls to violence (`incitement`) and the attacks abroad that followed them within a window.

Following is a matter of dates only: an attack listed beside a call came after it, within the window
(data/analyse/theatres.toml `call_window_days`); it is not said to answer the call. Two things help the reader
judge: whether the attack used the weapon or struck the kind of target the call named, and how many attacks a
window of that length would hold by chance, at the period's average rate of attacks abroad.
"""
from __future__ import annotations

import pandas as pd

from .scope import Scope
from .series import occurred

__all__ = ["calls_table", "calls_summary"]

COLUMNS = ["call_id", "call_date", "instigators", "platforms", "call_quote", "attack_id", "attack_date", "lag_days",
           "place", "country", "fatalities", "same_weapon", "same_target", "attack_quote"]

# Calls dated less precisely than this cannot be placed before or after an attack of a given day.
_CALL_PRECISIONS = ("day", "week")


def _window(scope: Scope, window_days: int | None) -> int:
    return int(window_days if window_days is not None else scope.settings["call_window_days"])


def _attacks_abroad(events: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    happened = occurred(events)
    return happened[happened["country"].isin(scope.abroad) & happened["type"].isin(scope.settings["abroad_types"])
                    & happened["date"].notna() & (happened["precision"] == "day")]


def _calls(events: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    happened = occurred(events)
    calls = happened[(happened["type"] == "incitement") & happened["date"].notna()
                     & happened["precision"].isin(_CALL_PRECISIONS)]
    if scope.group is not None:
        members = scope.group.member_ids
        calls = calls[calls["instigators"].map(lambda ids: any(i in members for i in ids)).astype(bool)]
    if scope.since is not None:
        calls = calls[calls["date"] >= pd.Timestamp(scope.since)]
    if scope.until is not None:
        calls = calls[calls["date"] <= pd.Timestamp(scope.until)]
    return calls.sort_values(["date", "id"])


def calls_table(events: pd.DataFrame, scope: Scope, window_days: int | None = None) -> pd.DataFrame:
    """A row per (call, attack abroad within the window after it); a call that no attack followed has one row with
    the attack columns empty. The call's words are its evidence quote."""
    from .claims import _dictionary_names

    window = pd.Timedelta(days=_window(scope, window_days))
    attacks = _attacks_abroad(events, scope).sort_values(["date", "id"])
    names = _dictionary_names()
    rows = []
    for call in _calls(events, scope).itertuples(index=False):
        base = {"call_id": call.id, "call_date": call.date.date(),
                "instigators": ", ".join(names.get(i, i) for i in call.instigators if i not in call.platforms),
                "platforms": ", ".join(names.get(i, i) for i in call.platforms), "call_quote": call.quote}
        after = attacks[(attacks["date"] > call.date) & (attacks["date"] <= call.date + window)]
        if after.empty:
            rows.append({**base, "same_weapon": None, "same_target": None})
        for attack in after.itertuples(index=False):
            rows.append({**base, "attack_id": attack.id, "attack_date": attack.date.date(),
                         "lag_days": (attack.date - call.date).days, "place": attack.place,
                         "country": attack.country, "fatalities": attack.fatalities,
                         "same_weapon": bool(set(call.weapons) & set(attack.weapons)),
                         "same_target": bool(set(call.targets) & set(attack.targets)),
                         "attack_quote": attack.quote})
    table = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("lag_days", "fatalities"):
        table[column] = table[column].astype("Int64")
    return table


def calls_summary(events: pd.DataFrame, scope: Scope, table: pd.DataFrame, window_days: int | None = None) -> dict:
    """Calls, calls followed by an attack, and the attacks a window holds by chance (the period's daily rate of
    attacks abroad times the window)."""
    window = _window(scope, window_days)
    attacks = _attacks_abroad(events, scope)
    if scope.since is not None:
        attacks = attacks[attacks["date"] >= pd.Timestamp(scope.since)]
    if scope.until is not None:
        attacks = attacks[attacks["date"] <= pd.Timestamp(scope.until)]
    first = pd.Timestamp(scope.since) if scope.since else attacks["date"].min()
    last = pd.Timestamp(scope.until) if scope.until else attacks["date"].max()
    days = (last - first).days + 1 if not (pd.isna(first) or pd.isna(last)) else 0
    calls = table.drop_duplicates("call_id")
    followed = table[table["attack_id"].notna()]
    happened = occurred(events)
    undated = happened[(happened["type"] == "incitement")
                       & ~(happened["date"].notna() & happened["precision"].isin(_CALL_PRECISIONS))]
    return {
        "window_days": window, "calls": int(len(calls)),
        "calls_followed": int(followed["call_id"].nunique()), "links": int(len(followed)),
        "attacks_abroad": int(len(attacks)), "days": int(days),
        "expected_in_window": float(len(attacks) / days * window) if days else None,
        "calls_not_dated_to_the_week": int(len(undated)),
    }
