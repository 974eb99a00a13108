"""Analyses of the event database: conflict theatres and attacks abroad, claims, calls to violence, groups.

From Python (every table a pandas DataFrame)::

    from kroniek.store import Store
    from kroniek import analyse

    with Store.open("kroniek-demo.duckdb", read_only=True) as store:
        events = analyse.load_events(store)
    scope = analyse.make_scope(group="Islamic State", since=date(2014, 1, 1))
    result = analyse.analyse_theatres(events, scope)
    result.weekly, result.claims, result.calls, result.association
    analyse.write_report(result, "out/")

pandas, statsmodels and matplotlib come with the optional extra (`pip install 'kroniek[analyse]'`) and are imported
only when one of these names is first used; without them the import of a name raises AnalysisError [K401].
"""
from __future__ import annotations

import importlib
from typing import Any

__all__ = ["make_scope", "Scope", "Group", "load_events", "events_frame", "series", "membership", "claims_table",
           "claims_summary", "calls_table", "calls_summary", "lagged_association", "association_summary",
           "analyse_theatres", "TheatreAnalysis", "write_report", "group_activity", "CAVEAT"]

# name -> the module that defines it; scope needs no extra, the others do
_WHERE = {"make_scope": "scope", "Scope": "scope", "Group": "scope", "load_events": "frames",
          "events_frame": "frames", "series": "series", "membership": "series", "claims_table": "claims",
          "claims_summary": "claims", "calls_table": "calls", "calls_summary": "calls",
          "lagged_association": "association", "association_summary": "association", "CAVEAT": "association",
          "analyse_theatres": "theatres", "TheatreAnalysis": "theatres", "write_report": "report",
          "group_activity": "groups"}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'kroniek.analyse' has no attribute {name!r}")
    if module != "scope":
        from ._deps import require_extra

        require_extra()
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
