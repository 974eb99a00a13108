"""Lagged association between the theatre and attacks abroad, with intervals from a count-data regression.

For each lag k (0 .. max_lag_weeks) the weekly count of attacks abroad y_t is regressed on the theatre's count
x_(t-k) k weeks earlier, with a linear trend (both series grow with the volume of news read, which alone would
make them move together):

    log E[y_t] = a + b * x_(t-k) + c * t          (a quasi-Poisson GLM, statsmodels; scale from Pearson's chi^2)

exp(b) is the rate ratio: how many times more attacks abroad are reported in a week for each additional theatre
event k weeks before. Quasi-Poisson keeps Poisson's estimates and widens the intervals when the counts vary more
than a Poisson count would (attacks cluster). Trying several lags is several tests, so an association is only
called found when its p-value, multiplied by the number of lags tried (Bonferroni), stays below 1 - level.

This is association in reported events, not cause: both series are what newspapers reported and what Kroniek read.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

__all__ = ["lagged_association", "association_summary", "CAVEAT"]

COLUMNS = ["predictor", "outcome", "lag_weeks", "weeks", "rate_ratio", "ci_low", "ci_high", "p_value", "p_adjusted",
           "estimable", "note"]

CAVEAT = ("These figures describe association in reported events, not cause. Both series count what the articles "
          "in this database report and what Kroniek extracted from them, so reporting bias is in every number: news "
          "covers attacks in Europe far more closely than fighting in Iraq or Syria, coverage rises and falls with "
          "attention, claims and calls are reported selectively, and extraction makes errors. A rate ratio above 1 says that weeks with more "
          "reported theatre events were followed by weeks with more reported attacks abroad; it does not say that "
          "one caused the other, and a ratio whose interval includes 1 says nothing either way.")


def _fit(y: np.ndarray, x: np.ndarray, level: float) -> tuple[float, float, float, float] | str:
    import statsmodels.api as sm

    if y.sum() == 0:
        return "no attacks abroad in these weeks"
    if np.ptp(x) == 0:
        return "the predictor does not vary"
    trend = np.arange(len(y), dtype=float)
    trend = (trend - trend.mean()) / (trend.std() or 1.0)
    design = sm.add_constant(np.column_stack([x.astype(float), trend]), has_constant="add")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = sm.GLM(y.astype(float), design, family=sm.families.Poisson()).fit(scale="X2")
        except Exception as error:     # perfect separation, a singular design: say so, do not guess
            return f"the model could not be fitted ({type(error).__name__})"
    b, p = float(result.params[1]), float(result.pvalues[1])
    low, high = (float(v) for v in result.conf_int(alpha=1 - level)[1])
    if not all(math.isfinite(v) and abs(v) < 700 for v in (b, low, high)) or not math.isfinite(p):
        return "too few events: the estimate does not converge"
    return math.exp(b), math.exp(low), math.exp(high), p


def lagged_association(weekly: pd.DataFrame, predictor: str = "theatre_events", outcome: str = "abroad_attacks",
                       max_lag: int = 8, level: float = 0.95, min_weeks: int = 12) -> pd.DataFrame:
    """A row per lag 0..max_lag: the rate ratio of `outcome` per unit of `predictor` that many weeks earlier, its
    interval at `level`, the p-value and the Bonferroni-adjusted p-value (`estimable` False with a `note` where
    the weeks do not allow a fit)."""
    x_all = pd.to_numeric(weekly[predictor], errors="coerce").to_numpy(dtype=float) if len(weekly) else np.array([])
    y_all = pd.to_numeric(weekly[outcome], errors="coerce").to_numpy(dtype=float) if len(weekly) else np.array([])
    rows = []
    for lag in range(max_lag + 1):
        x, y = (x_all[:len(x_all) - lag], y_all[lag:]) if lag else (x_all, y_all)
        keep = ~(np.isnan(x) | np.isnan(y))
        x, y = x[keep], y[keep]
        row = {"predictor": predictor, "outcome": outcome, "lag_weeks": lag, "weeks": int(len(y)),
               "rate_ratio": None, "ci_low": None, "ci_high": None, "p_value": None, "p_adjusted": None,
               "estimable": False, "note": None}
        if len(y) < min_weeks:
            row["note"] = f"only {len(y)} weeks (fewer than {min_weeks})"
        else:
            fitted = _fit(y, x, level)
            if isinstance(fitted, str):
                row["note"] = fitted
            else:
                rate, low, high, p = fitted
                row.update(rate_ratio=rate, ci_low=low, ci_high=high, p_value=p,
                           p_adjusted=min(1.0, p * (max_lag + 1)), estimable=True)
        rows.append(row)
    table = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("rate_ratio", "ci_low", "ci_high", "p_value", "p_adjusted"):
        table[column] = table[column].astype(float)
    return table


def association_summary(table: pd.DataFrame, level: float = 0.95) -> dict:
    """The lag with the smallest adjusted p-value, and whether an association is found at 1 - level after the
    adjustment (`found`), in words as well (`text`)."""
    estimable = table[table["estimable"]]
    if estimable.empty:
        notes = "; ".join(dict.fromkeys(n for n in table["note"] if n))
        return {"found": False, "best_lag": None, "rate_ratio": None, "ci_low": None, "ci_high": None,
                "p_adjusted": None, "text": f"Not estimated: {notes or 'no weeks'}."}
    best = estimable.sort_values(["p_adjusted", "lag_weeks"]).iloc[0]
    found = bool(best["p_adjusted"] < 1 - level)
    predictor, outcome = best["predictor"].replace("_", " "), best["outcome"].replace("_", " ")
    interval = f"{best['rate_ratio']:.2f} ({level:.0%} interval {best['ci_low']:.2f}–{best['ci_high']:.2f})"
    if found:
        text = (f"Weeks with more {predictor} were followed {int(best['lag_weeks'])} weeks later by more "
                f"{outcome}: rate ratio {interval} per additional event, adjusted p = {best['p_adjusted']:.3g} "
                f"over {len(table)} lags tried.")
    else:
        text = (f"No association found at any lag from 0 to {int(table['lag_weeks'].max())} weeks: the strongest, "
                f"at {int(best['lag_weeks'])} weeks, has rate ratio {interval}, adjusted p = "
                f"{best['p_adjusted']:.3g}.")
    return {"found": found, "best_lag": int(best["lag_weeks"]), "rate_ratio": float(best["rate_ratio"]),
            "ci_low": float(best["ci_low"]), "ci_high": float(best["ci_high"]),
            "p_adjusted": float(best["p_adjusted"]), "text": text}
