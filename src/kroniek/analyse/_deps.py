"""The analysis extra: pandas, statsmodels and matplotlib are imported only when an analysis runs.

`kroniek --help`, `kroniek analyse --help` and every other command work without them; an analysis without them stops
with one line saying how to install them [K401].
"""
from __future__ import annotations

import importlib

from ..errors import AnalysisError

__all__ = ["require_extra", "EXTRA_MODULES"]

EXTRA_MODULES = ("pandas", "statsmodels", "matplotlib")


def require_extra() -> None:
    """Raise AnalysisError [K401] naming the missing packages when the `[analyse]` extra is not installed."""
    missing = []
    for name in EXTRA_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise AnalysisError("K401", f"the analysis needs {', '.join(missing)}, which are not installed: "
                                    "pip install 'kroniek[analyse]' (or -e '.[analyse]' in a checkout)")
