"""The report's figures as SVG text (matplotlib, no pyplot: no global figure state, safe in a server thread).

The SVG is reproducible: no date in its metadata, element ids from a fixed salt, text kept as text (small files
that a browser renders in the page's font). Colours of event types are the ontology's (data/ontology.toml).
"""
from __future__ import annotations

import io

import pandas as pd

from .. import ontology
from .series import THEATRE_TYPES

__all__ = ["series_figure", "claims_figure", "calls_figure", "association_figure"]

_RC = {"svg.hashsalt": "kroniek", "svg.fonttype": "none", "font.size": 9, "axes.spines.top": False,
       "axes.spines.right": False, "axes.titlesize": 10, "axes.titleweight": "bold"}
_COLOUR = {t.name: t.colour for t in ontology.TYPES}
_INK, _MUTED = "#1f2328", "#6e7781"


def _svg(figure) -> str:
    import matplotlib

    with matplotlib.rc_context(_RC):
        sink = io.StringIO()
        figure.savefig(sink, format="svg", metadata={"Date": None, "Creator": "Kroniek"}, bbox_inches="tight")
    return sink.getvalue()


def _figure(width: float, height: float, rows: int = 1, sharex: bool = False):
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):
        figure = Figure(figsize=(width, height))
        axes = figure.subplots(rows, 1, sharex=sharex, squeeze=False)[:, 0]
    return figure, axes


def _empty(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color=_MUTED)
    ax.set_xticks([])
    ax.set_yticks([])


def series_figure(table: pd.DataFrame, freq: str, title: str, has_group: bool) -> str:
    """Theatre events by type (stacked bars, territory the group lost as markers) above the attacks abroad (bars,
    those claimed darker, calls to violence as ticks), weekly or monthly."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        figure, (top, bottom) = _figure(9, 5.2, rows=2, sharex=True)
        if table.empty:
            _empty(top, "no events in this period")
            _empty(bottom, "")
            return _svg(figure)
        width = pd.Timedelta(days=5.5 if freq == "W" else 25)
        x = table["start"]
        base = pd.Series(0, index=table.index)
        for t in THEATRE_TYPES:
            values = table[f"theatre_{t}"]
            if values.sum():
                drawn = values > 0        # no empty rectangles: a weekly figure has hundreds of weeks
                top.bar(x[drawn], values[drawn], width, bottom=base[drawn], color=_COLOUR[t],
                        label=t.replace("_", " "), align="edge")
                base = base + values
        if has_group:
            for column, marker, text in (("territory_lost", "v", "ground the group lost"),
                                         ("territory_gained", "^", "ground it took")):
                changed = pd.to_numeric(table[column], errors="coerce").fillna(0) > 0
                if changed.any():
                    top.scatter(table.loc[changed, "start"] + width / 2, base[changed] + 0.35, marker=marker,
                                color=_INK if marker == "v" else _MUTED, s=22, label=text, zorder=3)
        top.set_ylabel("theatre events")
        top.set_title(title, loc="left")
        if base.sum() or has_group:
            top.legend(loc="upper left", frameon=False, ncol=5, fontsize=8)
        attacks = table["abroad_attacks"]
        claimed = table["abroad_attacks_claimed"]
        bottom.bar(x[attacks > 0], attacks[attacks > 0], width, color="#f4a3a3", label="attacks abroad",
                   align="edge")
        bottom.bar(x[claimed > 0], claimed[claimed > 0], width, color=_COLOUR["attack"], label="of which claimed",
                   align="edge")
        bottom.set_xlim(x.min(), x.max() + width)
        calls = table[table["calls"] > 0]
        if len(calls):
            top_of = max(1, int(attacks.max()))
            bottom.scatter(calls["start"] + width / 2, [top_of + 0.4] * len(calls), marker="|", s=120,
                           color=_COLOUR.get("incitement", _INK), label="call to violence", zorder=3)
        bottom.set_ylabel("attacks abroad")
        bottom.legend(loc="upper left", frameon=False, ncol=3, fontsize=8)
        bottom.yaxis.get_major_locator().set_params(integer=True)
        top.yaxis.get_major_locator().set_params(integer=True)
        figure.autofmt_xdate()
        return _svg(figure)


def claims_figure(claims: pd.DataFrame, who: str) -> str:
    """The days between each attack abroad and its first claim, one bar per claimed attack."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        rows = claims[claims["claimed"]]
        figure, (ax,) = _figure(7, max(1.6, 0.32 * len(rows) + 1.0))
        share = f"{len(rows)} of {len(claims)} attacks abroad claimed" if len(claims) else "no attacks abroad"
        ax.set_title(f"Claims by {who}: {share}", loc="left")
        if rows.empty:
            _empty(ax, "no claimed attack")
            return _svg(figure)
        labels = [f"{r.place or r.country or '?'} {r.attack_date}" for r in rows.itertuples()]
        delays = rows["delay_days"]
        known = delays.notna()
        y = list(range(len(rows)))
        ax.barh([i for i, k in zip(y, known) if k], delays[known].astype(float), color=_COLOUR.get("claim", _INK),
                height=0.55)
        for i, (k, d) in enumerate(zip(known, delays)):
            ax.text((float(d) if k else 0) + 0.05, i, f"{int(d)} d" if k else "date of claim unknown",
                    va="center", fontsize=8, color=_INK if k else _MUTED)
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        ax.set_xlabel("days from attack to claim")
        ax.set_xlim(0, max(2.0, float(delays.max()) + 1.5 if known.any() else 2.0))
        return _svg(figure)


def calls_figure(calls: pd.DataFrame, claims: pd.DataFrame, window_days: int) -> str:
    """Calls to violence (above) and attacks abroad (below) on one time axis, a line from each call to every
    attack that followed within the window."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        figure, (ax,) = _figure(9, 2.6)
        ax.set_title(f"Calls to violence and the attacks abroad within {window_days} days after them", loc="left")
        if calls.empty and claims.empty:
            _empty(ax, "no calls and no attacks abroad")
            return _svg(figure)
        attacks = pd.to_datetime(claims["attack_date"])
        ax.scatter(attacks, [0] * len(attacks), color=_COLOUR["attack"], s=28, label="attack abroad", zorder=3)
        dates = pd.to_datetime(calls.drop_duplicates("call_id")["call_date"])
        ax.scatter(dates, [1] * len(dates), marker="^", color=_COLOUR.get("incitement", _INK), s=36,
                   label="call to violence", zorder=3)
        for link in calls[calls["attack_id"].notna()].itertuples():
            ax.plot([pd.Timestamp(link.call_date), pd.Timestamp(link.attack_date)], [1, 0], color=_MUTED,
                    linewidth=0.8)
        ax.set_yticks([0, 1], ["attacks abroad", "calls"])
        ax.set_ylim(-0.5, 1.6)
        ax.legend(loc="upper right", frameon=False, ncol=2, fontsize=8)
        figure.autofmt_xdate()
        return _svg(figure)


def association_figure(association: pd.DataFrame, level: float) -> str:
    """Rate ratios of attacks abroad by lag, with their intervals, for each theatre predictor (log scale; 1 = no
    association)."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        figure, (ax,) = _figure(7, 2.8)
        ax.set_title(f"Attacks abroad per additional theatre event, by lag ({level:.0%} intervals)", loc="left")
        estimable = association[association["estimable"]]
        if estimable.empty:
            _empty(ax, "not estimated: " + (next((n for n in association["note"] if n), "no weeks")))
            return _svg(figure)
        offsets = {p: i * 0.18 for i, p in enumerate(association["predictor"].unique())}
        colours = {"theatre_events": _COLOUR["armed_clash"], "territory_lost": _INK}
        for predictor, rows in estimable.groupby("predictor", sort=False):
            x = rows["lag_weeks"] + offsets[predictor]
            ax.errorbar(x, rows["rate_ratio"], yerr=[rows["rate_ratio"] - rows["ci_low"],
                                                     rows["ci_high"] - rows["rate_ratio"]],
                        fmt="o", color=colours.get(predictor, _MUTED), capsize=2, markersize=4,
                        label=predictor.replace("_", " "))
        ax.axhline(1, color=_MUTED, linewidth=0.8, linestyle="--")
        ax.set_yscale("log")
        ax.set_xlabel("lag (weeks from the theatre to abroad)")
        ax.set_ylabel("rate ratio")
        ax.set_xticks(sorted(association["lag_weeks"].unique()))
        ax.legend(loc="upper right", frameon=False, fontsize=8)
        return _svg(figure)
