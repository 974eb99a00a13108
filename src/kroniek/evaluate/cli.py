"""`kroniek eval`: one subcommand per benchmark, each in its own module, imported only when it runs."""
from __future__ import annotations

import click

from ..lazycommands import LazyCommand, LazyGroup

# name -> the module's click command and the line `kroniek eval --help` shows for it
BENCHMARKS: dict[str, LazyCommand] = {
    "muc4": LazyCommand("kroniek.evaluate.muc4:command",
                        "Score role fillers (PerpInd, PerpOrg, Target, Victim, Weapon) with GRIT's metric."),
    "timex": LazyCommand("kroniek.evaluate.timex:command",
                         "Score time expressions (extent, TIMEX3 type and value) with TempEval-3's measures."),
    "geo": LazyCommand("kroniek.evaluate.geo:command",
                       "Measure place resolution: accuracy@161km, mean/median error, AUC, detection P/R/F1, "
                       "documents/s."),
    "ner": LazyCommand("kroniek.evaluate.ner:command",
                       "Score Kroniek's place, person and actor finders as NER (exact span and type, conlleval "
                       "rules)."),
    "eventdna": LazyCommand("kroniek.evaluate.eventdna:command",
                            "Dutch triggers and types (Attack, Die, Injure, ArrestJail) against each EventDNA "
                            "annotator."),
    "eventdna-entities": LazyCommand("kroniek.evaluate.eventdna_entities:command",
                                     "Score the place, person and actor finders against EventDNA's named "
                                     "entities (NAM), per type."),
    "eventdna-roles": LazyCommand("kroniek.evaluate.eventdna_roles:command",
                                  "Argument roles (Attacker, Target, Victim, Agent, Person, Place, Time, ...) "
                                  "against EventDNA, P/R/F1."),
    "corpus": LazyCommand("kroniek.evaluate.corpus:command",
                          "Score the pipeline on articles with gold in the seed's format."),
    "seed": LazyCommand("kroniek.evaluate.corpus:seed_command",
                        "Score the pipeline on the seed article (by the rules of score_events.py)."),
    "case2021": LazyCommand("kroniek.evaluate.case2021:command",
                            "ACLED sub-event types of English snippets: accuracy, weighted and macro F1 over the "
                            "25 types, coverage."),
    "gate": LazyCommand("kroniek.evaluate.gate:command",
                        "Run the fast evaluations on the development data; exit 1 when a figure is below its "
                        "pinned floor."),
}


@click.group("eval", cls=LazyGroup, lazy=BENCHMARKS)
def eval_group() -> None:
    """Measure Kroniek on public benchmarks (data paths are arguments; nothing is downloaded)."""
