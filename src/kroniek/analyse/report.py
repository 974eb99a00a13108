"""The report of a theatre analysis: report.html (one self-contained file, figures inline, readable offline), the
figures as SVG files, and the tables as CSV (weekly.csv, monthly.csv, claims.csv, calls.csv, association.csv).

Everything an article said is escaped before it goes into the page: a quote is text, never markup.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd

from .association import CAVEAT
from .figures import association_figure, calls_figure, claims_figure, series_figure
from .theatres import TheatreAnalysis

__all__ = ["write_report", "ReportFiles", "csv_tables", "FIGURES"]

FIGURES = ("series-weekly.svg", "series-monthly.svg", "claim-delays.svg", "calls-attacks.svg", "association.svg")


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    figures: tuple[Path, ...]
    tables: tuple[Path, ...]


def csv_tables(result: TheatreAnalysis) -> dict[str, pd.DataFrame]:
    """The CSV files of the report, by file name (weekly.csv: week, week_start, then the counts)."""
    return {"weekly.csv": result.weekly.rename(columns={"start": "week_start"}),
            "monthly.csv": result.monthly.rename(columns={"start": "month_start"}),
            "claims.csv": result.claims, "calls.csv": result.calls, "association.csv": result.association}


def _who(result: TheatreAnalysis) -> str:
    return result.scope.group.name if result.scope.group else "any group"


def figures_svg(result: TheatreAnalysis) -> dict[str, str]:
    """The report's figures as SVG text, by file name."""
    scope = result.scope
    has_group = scope.group is not None
    theatre = ", ".join(scope.theatre_names)
    level = float(scope.settings["confidence_level"])
    return {
        "series-weekly.svg": series_figure(result.weekly, "W", f"Per week: the theatre ({theatre}) and attacks "
                                           "abroad", has_group),
        "series-monthly.svg": series_figure(result.monthly, "M", f"Per month: the theatre ({theatre}) and "
                                            "attacks abroad", has_group),
        "claim-delays.svg": claims_figure(result.claims, _who(result)),
        "calls-attacks.svg": calls_figure(result.calls, result.claims, int(result.summaries["calls"]["window_days"])),
        "association.svg": association_figure(result.association, level),
    }


def _table(frame: pd.DataFrame, columns: list[tuple[str, str]], empty: str) -> str:
    if frame.empty:
        return f"<p class='muted'>{escape(empty)}</p>"
    head = "".join(f"<th>{escape(label)}</th>" for _, label in columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for name, _ in columns:
            value = getattr(row, name)
            if value is None or (not isinstance(value, (str, bool)) and pd.isna(value)):
                text = ""
            elif isinstance(value, float):
                text = f"{value:.3g}"
            else:
                text = str(value)
            cls = " class='quote'" if name.endswith("quote") else ""
            cells.append(f"<td{cls}>{escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


_STYLE = """
body{font:15px/1.5 system-ui,sans-serif;color:#1f2328;max-width:70rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #d0d7de}
.caveat{background:#fff8c5;border:1px solid #d4a72c;padding:.6rem 1rem;border-radius:6px}
.muted{color:#6e7781}figure{margin:1rem 0}figure svg{max-width:100%;height:auto}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}th,td{border-bottom:1px solid #d0d7de;
padding:.25rem .5rem;text-align:left;vertical-align:top}td.quote{font-style:italic;max-width:28rem}
dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}
"""


def _scope_html(result: TheatreAnalysis) -> str:
    scope = result.scope
    group = (f"{escape(scope.group.name)} (with {escape(', '.join(scope.group.member_names[1:]) or 'no affiliates')})"
             if scope.group else "any (no group chosen)")
    period = f"{scope.since or 'the first event'} to {scope.until or 'the last event'}"
    return (f"<dl><dt>Theatre</dt><dd>{escape(', '.join(scope.theatre_names))} "
            f"({escape(', '.join(sorted(scope.theatre)))})</dd>"
            f"<dt>Abroad</dt><dd>{escape(', '.join(scope.abroad_names))} ({len(scope.abroad)} countries)</dd>"
            f"<dt>Group</dt><dd>{group}</dd><dt>Period</dt><dd>{escape(str(period))}</dd></dl>")


def _inline(svg: str) -> str:
    """An SVG file's text as an element of the page: no XML prologue, no metadata block."""
    svg = svg[svg.index("<svg"):]
    start, end = svg.find("<metadata>"), svg.find("</metadata>")
    return svg[:start] + svg[end + len("</metadata>"):] if 0 <= start < end else svg


def render_html(result: TheatreAnalysis, svgs: dict[str, str]) -> str:
    """report.html as text."""
    s = result.summaries
    claims, calls = s["claims"], s["calls"]
    inline = {name: _inline(svg) for name, svg in svgs.items()}
    share = f"{claims['share_claimed']:.0%}" if claims["share_claimed"] is not None else "–"
    delay = (f"median {claims['median_delay_days']:g} days (from {claims['min_delay_days']} to "
             f"{claims['max_delay_days']})" if claims["median_delay_days"] is not None else "no delay known")
    expected = (f"{calls['expected_in_window']:.2f}" if calls["expected_in_window"] is not None else "–")
    association = "".join(f"<p><b>{escape(p.replace('_', ' '))}:</b> {escape(v['text'])}</p>"
                          for p, v in s["association"].items())
    notes = "".join(f"<li>{escape(n)}</li>" for n in result.notes)
    totals = s["totals"]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Kroniek: conflict theatres and attacks abroad</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style></head>
<body>
<h1>Conflict theatres and attacks abroad</h1>
{_scope_html(result)}
<p class="caveat"><b>Read this first.</b> {escape(CAVEAT)}</p>

<h2>The two series</h2>
<p>{totals.get('theatre_events', 0)} theatre events and {totals.get('abroad_attacks', 0)} attacks abroad
({totals.get('abroad_fatalities', 0)} dead at least), {totals.get('claims', 0)} claims,
{totals.get('calls', 0)} calls to violence, {totals.get('plots', 0)} plots and {totals.get('arrests', 0)} arrests
abroad, in {len(result.weekly)} weeks. The counts are in weekly.csv and monthly.csv.</p>
<figure>{inline['series-weekly.svg']}</figure>
<figure>{inline['series-monthly.svg']}</figure>

<h2>Claims</h2>
<p>{claims['claimed']} of {claims['attacks']} attacks abroad were claimed by {escape(_who(result))} ({share});
{delay}. Delays count days from the attack's date to the claim's, both as the articles date them.</p>
<figure>{inline['claim-delays.svg']}</figure>
{_table(result.claims, [('attack_date', 'attack'), ('place', 'place'), ('fatalities', 'dead'),
                        ('claimed', 'claimed'), ('claimants', 'by'), ('via', 'via'), ('claim_date', 'claim'),
                        ('delay_days', 'days'), ('claim_quote', 'the claim, in the article’s words')],
        'No attacks abroad in this period.')}

<h2>Calls to violence and the attacks that followed</h2>
<p>{calls['calls']} calls to violence, {calls['calls_followed']} of them followed by an attack abroad within
{calls['window_days']} days. At this period's rate of attacks abroad, a window of {calls['window_days']} days holds
{expected} attacks by chance. Following is a matter of dates, not a sign that an attack answered a call.
{calls['calls_not_dated_to_the_week']} calls are not dated to the day or week and are left out.</p>
<figure>{inline['calls-attacks.svg']}</figure>
{_table(result.calls, [('call_date', 'call'), ('instigators', 'by'), ('platforms', 'on'),
                       ('call_quote', 'the call, in the article’s words'), ('attack_date', 'attack'),
                       ('place', 'place'), ('lag_days', 'days later'), ('same_weapon', 'same weapon')],
        'No calls to violence dated to the day or week in this period.')}

<h2>Lagged association</h2>
{association}
<figure>{inline['association.svg']}</figure>
{_table(result.association, [('predictor', 'theatre series'), ('lag_weeks', 'lag (weeks)'), ('weeks', 'weeks'),
                             ('rate_ratio', 'rate ratio'), ('ci_low', 'low'), ('ci_high', 'high'),
                             ('p_value', 'p'), ('p_adjusted', 'p adjusted'), ('note', 'note')], '')}
<p class="muted">Quasi-Poisson regression of the weekly attacks abroad on the theatre series that many weeks
earlier, with a linear trend; intervals at {float(result.scope.settings['confidence_level']):.0%}; p adjusted
(Bonferroni) for the number of lags tried. Method and constants: kroniek/analyse/association.py,
data/analyse/theatres.toml.</p>
<p class="caveat">{escape(CAVEAT)}</p>

<h2>What was left out</h2>
<ul>{notes}</ul>
<p class="muted">Made by <code>kroniek analyse theatres</code>. Every count can be checked against
<code>kroniek events</code> with the same filters; every quote against <code>kroniek show ID</code>.</p>
</body></html>
"""


def write_report(result: TheatreAnalysis, out_dir: str | Path) -> ReportFiles:
    """Write report.html, the figures (SVG) and the tables (CSV) into ``out_dir`` (created when missing)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    svgs = figures_svg(result)
    figures = []
    for name, svg in svgs.items():
        (out / name).write_text(svg, encoding="utf-8")
        figures.append(out / name)
    tables = []
    for name, frame in csv_tables(result).items():
        frame.to_csv(out / name, index=False, date_format="%Y-%m-%d")
        tables.append(out / name)
    html = out / "report.html"
    html.write_text(render_html(result, svgs), encoding="utf-8")
    return ReportFiles(html, tuple(figures), tuple(tables))
