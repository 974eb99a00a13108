"""Trainers: `kroniek train ...` rebuilds every shipped model from the data it names (a floor above the stages)."""
