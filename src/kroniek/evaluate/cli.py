"""`kroniek eval`: one subcommand per benchmark; each lives in its own module with a `command`."""
from __future__ import annotations

import importlib

import click

# Each module defines `command`, a click.Command named after the benchmark.
BENCHMARKS = ("muc4", "timex", "geo", "ner", "eventdna", "corpus", "gate")


@click.group("eval")
def eval_group() -> None:
    """Measure Kroniek on public benchmarks (data paths are arguments; nothing is downloaded)."""


for _name in BENCHMARKS:
    try:
        _module = importlib.import_module(f"kroniek.evaluate.{_name}")
    except ModuleNotFoundError as exc:  # a benchmark still being written
        if exc.name != f"kroniek.evaluate.{_name}":
            raise
        continue
    if isinstance(getattr(_module, "command", None), click.Command):
        eval_group.add_command(_module.command)
    for _extra in getattr(_module, "extra_commands", ()):
        eval_group.add_command(_extra)
