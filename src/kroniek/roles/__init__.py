"""Learned role fillers: perpetrators (individual, organisation), targets, victims and weapons.

Candidate noun phrases (:mod:`.candidates`) are scored by a linear model over case-free features
(:mod:`.features`) whose weights are trained on MUC-4 by ``kroniek train muc4`` (:mod:`.train`) and
applied with numpy (:mod:`.model`). :mod:`.attach` hands the fillers to Kroniek's event records.
"""
from __future__ import annotations

from kroniek.roles.model import ROLE_NAMES, predict_role_fillers

__all__ = ["ROLE_NAMES", "predict_role_fillers"]
