"""`kroniek eval muc4`: perpetrators, targets, victims and weapons on MUC-4, scored as GRIT scores them.

Kroniek's events are mapped to the five MUC-4 roles through ``data/crosswalks/muc4.json``; the
learned role model (:mod:`kroniek.roles`) gives its fillers directly. Scoring is
:mod:`kroniek.evaluate.muc4_metric`.
"""
from __future__ import annotations

import gzip
import json
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import click

from kroniek.eventjson import event_to_dict
from kroniek.evaluate.muc4_metric import (
    ROLES, RoleScore, gold_entities, incident_accuracy, incident_types, score_documents,
)

__all__ = [
    "command", "load_records", "load_crosswalk", "events_to_fillers", "learned_to_fillers",
    "predict_documents", "format_report",
]

# The learned model's role names (kroniek.roles) -> MUC-4 roles.
LEARNED_ROLES = {
    "perpetrator_individual": "PerpInd", "perpetrator_organisation": "PerpOrg",
    "target": "Target", "victim": "Victim", "weapon": "Weapon",
}
SYSTEMS = ("rules", "learned", "both")
DEFAULT_SYSTEM = "learned"      # the best on dev (docs/QUALITY_MUC4.md); re-measure when either changes

Fillers = dict[str, list[list[str]]]
Analyse = Callable[[str], Sequence[Any]]          # text -> events
PredictRoles = Callable[[str], Mapping[str, Sequence[Sequence[Any]]]]


def load_records(path: str | Path) -> list[dict[str, Any]]:
    """Read a MUC-4 file: JSON Lines (optionally .gz) or one JSON list, GTT or GRIT records."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        text = handle.read()
    stripped = text.lstrip()
    if stripped.startswith("["):
        records = json.loads(stripped)
    else:
        records = [json.loads(line) for line in text.splitlines() if line.strip()]
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict) or "docid" not in record or "doctext" not in record:
            raise ValueError(f"record {number} has no 'docid' and 'doctext'")
        if "templates" not in record and "extracts" not in record:
            raise ValueError(f"record {number} ({record['docid']}) has neither 'templates' nor 'extracts'")
    return records


def load_crosswalk() -> dict[str, Any]:
    """The Kroniek -> MUC-4 crosswalk (data/crosswalks/muc4.json), loaded once."""
    from kroniek.ontology import muc4_crosswalk

    return muc4_crosswalk()


def _get(record: Any, name: str, default: Any = None) -> Any:
    # Events arrive as records.Event (attributes) or as exported JSON (dict keys).
    if isinstance(record, Mapping):
        return record.get(name, default)
    return getattr(record, name, default)


def _actor_role(actor: Mapping[str, Any], rules: Sequence[Mapping[str, Any]]) -> str | None:
    for rule in rules:
        if actor.get("role") != rule["role"]:
            continue
        if "*" not in rule["kinds"] and actor.get("kind") not in rule["kinds"]:
            continue
        with_id = rule.get("with_id")
        if with_id is not None and bool(actor.get("id")) != with_id:
            continue
        heads = rule.get("head_words")
        words = str(actor.get("text") or "").lower().split()
        if heads and (not words or words[-1] not in heads):
            continue
        return rule["muc4"]
    return None


def _incident_type(event: Any, rules: Sequence[Mapping[str, Any]]) -> str | None:
    for rule in rules:
        if _get(event, "type") == rule["type"] and rule["subtype"] in ("*", _get(event, "subtype")):
            return rule["muc4"]
    return None


def _weapon_mentions(event: Any, crosswalk: Mapping[str, Any]) -> list[str]:
    categories = list(_get(event, "weapons", ()) or ())
    if not categories and _get(event, "type") == "remote_violence":
        categories = [crosswalk["remote_violence_weapons"]]
    quotes = " ".join(str(_get(e, "quote", "")) for e in (_get(event, "evidence", ()) or ())).lower()
    padded = f" {' '.join(quotes.replace(',', ' ').replace('.', ' ').split())} "
    found: list[str] = []
    for category in categories:
        for word in sorted(crosswalk["weapon_words"].get(category, ()), key=len, reverse=True):
            if f" {word} " in padded and not any(word in longer for longer in found):
                found.append(word)
    return found


def events_to_fillers(events: Iterable[Any]) -> tuple[Fillers, list[str]]:
    """Map a document's events to MUC-4 role fillers and incident types (most prominent first).

    An actor's mention is its ``text``; mentions of one dictionary actor (same ``id``) form one
    entity, other mentions one entity per distinct lower-cased text.
    """
    crosswalk = load_crosswalk()
    allowed = set(crosswalk["modalities"])
    entities: dict[str, dict[str, list[str]]] = {role: {} for role in ROLES}

    def add(role: str, key: str, mention: str) -> None:
        mention = mention.strip()
        if mention:
            bucket = entities[role].setdefault(key, [])
            if mention not in bucket:
                bucket.append(mention)

    types: list[str] = []
    for event in events:
        if not isinstance(event, Mapping):      # a typed Event: read it as its exported JSON
            event = event_to_dict(event)
        if _get(event, "modality", "asserted") not in allowed:
            continue
        muc_type = _incident_type(event, crosswalk["incident_types"])
        if muc_type and muc_type not in types:
            types.append(muc_type)
        skipped = {rule["role"] for rule in crosswalk.get("skip_actor_roles", ()) if rule["type"] == _get(event, "type")}
        for actor in _get(event, "actors", ()) or ():
            if actor.get("role") in skipped:
                continue
            role = _actor_role(actor, crosswalk["actor_roles"])
            text = str(actor.get("text") or "")
            if role and text:
                add(role, f"id:{actor['id']}" if actor.get("id") else text.lower(), text)
        for target in _get(event, "targets", ()) or ():
            add(crosswalk["event_targets"], str(target).lower(), str(target))
        for word in _weapon_mentions(event, crosswalk):
            add("Weapon", word, word)
    return {role: list(entities[role].values()) for role in ROLES}, types


def learned_to_fillers(fillers: Mapping[str, Sequence[Sequence[Any]]]) -> Fillers:
    """Convert :func:`kroniek.roles.predict_role_fillers` output (Span mentions) to MUC-4 strings."""
    result: Fillers = {role: [] for role in ROLES}
    for name, entities in fillers.items():
        role = LEARNED_ROLES.get(name)
        if role is None:
            continue
        for entity in entities:
            mentions = [m.text if hasattr(m, "text") else str(m) for m in entity]
            if mentions:
                result[role].append(mentions)
    return result


def _union(first: Fillers, second: Fillers) -> Fillers:
    # `both`: every entity of the first system, plus those of the second that share no mention.
    result: Fillers = {}
    for role in ROLES:
        kept = [list(e) for e in first.get(role, ())]
        seen = {m.lower() for e in kept for m in e}
        for entity in second.get(role, ()):
            if not any(m.lower() in seen for m in entity):
                kept.append(list(entity))
                seen.update(m.lower() for m in entity)
        result[role] = kept
    return result


def predict_documents(
    records: Sequence[Mapping[str, Any]],
    system: str,
    analyse: Analyse | None,
    predict_roles: PredictRoles | None,
    timings: dict[str, float] | None = None,
) -> tuple[dict[str, Fillers], dict[str, list[str]], float]:
    """Run one system over the records; returns (fillers, incident types, seconds spent).

    ``analyse`` maps a text to Kroniek events (None: no incident types, and no `rules` fillers);
    ``predict_roles`` is the learned role model. ``timings``, when given, receives the seconds of
    each part: ``pipeline``, ``roles`` and ``total``.
    """
    fillers: dict[str, Fillers] = {}
    types: dict[str, list[str]] = {}
    seconds = {"pipeline": 0.0, "roles": 0.0, "total": 0.0}
    for record in records:
        text = record["doctext"]
        started = time.perf_counter()
        events = analyse(text) if analyse is not None else ()
        rule_fillers, doc_types = events_to_fillers(events)
        middle = time.perf_counter()
        seconds["pipeline"] += middle - started
        if system == "rules":
            doc_fillers = rule_fillers
        else:
            learned = learned_to_fillers(predict_roles(text)) if predict_roles else {}
            doc_fillers = learned if system == "learned" else _union(learned, rule_fillers)
            seconds["roles"] += time.perf_counter() - middle
        seconds["total"] += time.perf_counter() - started
        fillers[record["docid"]] = doc_fillers
        types[record["docid"]] = doc_types
    if timings is not None:
        timings.update(seconds)
    return fillers, types, seconds["total"]


def format_report(scores: Mapping[str, RoleScore], heading: str) -> str:
    """Per-role and micro P/R/F1 (in %) with the counts behind them, as a plain-text table."""
    lines = [heading, f"{'role':<8} {'P':>6} {'R':>6} {'F1':>6}   matched / predicted / gold"]
    for role in (*ROLES, "micro"):
        s = scores[role]
        lines.append(
            f"{role:<8} {100 * s.precision:6.2f} {100 * s.recall:6.2f} {100 * s.f1:6.2f}   "
            f"{s.matched:g} / {s.predicted} / {s.gold}"
        )
    return "\n".join(lines)


def _read_predictions(path: Path) -> tuple[dict[str, Fillers], dict[str, list[str]]]:
    with open(path, encoding="utf-8") as handle:
        raw = json.load(handle)
    if not isinstance(raw, dict):
        raise click.ClickException(f"{path}: expected {{docid: {{\"pred_extracts\": ...}}}}")
    fillers: dict[str, Fillers] = {}
    types: dict[str, list[str]] = {}
    for docid, entry in raw.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("pred_extracts"), dict):
            raise click.ClickException(f"{path}: document {docid} has no 'pred_extracts' object")
        fillers[str(docid)] = entry["pred_extracts"]
        if "pred_incident_types" in entry:
            types[str(docid)] = list(entry["pred_incident_types"])
    return fillers, types


def _load_systems(system: str, model_path: str | None = None) -> tuple[Analyse | None, PredictRoles | None]:
    """The pipeline (None when it cannot be imported) and, for learned/both, the role model."""
    try:
        from kroniek.pipeline import analyse_text
    except ImportError:
        if system in ("rules", "both"):
            raise click.ClickException(
                "the pipeline (kroniek.pipeline.analyse_text) is not available: use --system learned"
            ) from None
        analyse: Analyse | None = None
    else:
        analyse = lambda text: analyse_text(text, language="en")  # noqa: E731
    predict_roles: PredictRoles | None = None
    if system in ("learned", "both"):
        from kroniek.roles import predict_role_fillers

        predict_roles = lambda text: predict_role_fillers(text, language="en", model_path=model_path)  # noqa: E731
    return analyse, predict_roles


@click.command("muc4")
@click.option("--docs", "docs_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Gold file: JSON Lines (.gz ok), GTT `templates` or GRIT `extracts` records.")
@click.option("--system", type=click.Choice(SYSTEMS), default=DEFAULT_SYSTEM, show_default=True,
              help="rules = the pipeline's events through the crosswalk; learned = the role model; both = their union.")
@click.option("--score-only", "score_only", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Score another system's predictions ({docid: {\"pred_extracts\": {role: [[mention, ...]]}}}).")
@click.option("--predictions", "predictions_out", type=click.Path(dir_okay=False), default=None,
              help="Write Kroniek's predictions here, in GRIT's format.")
@click.option("--model", "model_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Role-model weights to use instead of the shipped ones (from `kroniek train muc4 --out`).")
@click.option("--limit", type=int, default=None, help="Only the first N documents.")
def command(docs_path: str, system: str, score_only: str | None, predictions_out: str | None,
            model_path: str | None, limit: int | None) -> None:
    """Score role fillers (PerpInd, PerpOrg, Target, Victim, Weapon) with GRIT's metric.

    Example: kroniek eval muc4 --docs ../shared/data/muc4/dev.gtt.jsonl.gz --system learned
    """
    try:
        records = load_records(docs_path)
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"{docs_path}: {exc}") from exc
    records = records[:limit] if limit else records
    golds = {r["docid"]: gold_entities(r) for r in records}
    gold_types = {r["docid"]: incident_types(r) for r in records}

    seconds: dict[str, float] | None = None
    if score_only:
        fillers, types = _read_predictions(Path(score_only))
        heading = f"MUC-4 role fillers: {len(records)} documents, predictions from {score_only}"
    else:
        analyse, predict_roles = _load_systems(system, model_path)
        if predict_roles is not None:
            predict_roles("")          # load the weights before the clock starts
        seconds = {}
        fillers, types, _ = predict_documents(records, system, analyse, predict_roles, seconds)
        if analyse is None:
            types = {}
        heading = f"MUC-4 role fillers: {len(records)} documents, system {system}"
        if predictions_out:
            out = {r["docid"]: {"doctext": r["doctext"], "pred_extracts": fillers[r["docid"]],
                                "pred_incident_types": types.get(r["docid"], [])} for r in records}
            Path(predictions_out).write_text(json.dumps(out, indent=1), encoding="utf-8")

    click.echo(format_report(score_documents(fillers, golds), heading))
    scored_types = {d: t for d, t in gold_types.items() if t is not None}
    if types and scored_types:
        correct, total = incident_accuracy(types, scored_types)
        click.echo(f"incident type accuracy: {100 * correct / total:.2f} ({correct} / {total} documents)")
    else:
        click.echo("incident type accuracy: n/a (needs GTT templates and predicted incident types)")
    if seconds is not None:
        n = len(records)
        parts = [f"{name} {n / max(seconds[name], 1e-9):.1f}" for name in ("roles", "pipeline") if seconds[name]]
        click.echo(f"throughput: {n / max(seconds['total'], 1e-9):.1f} documents/s "
                   f"({n} documents in {seconds['total']:.2f} s, one process; "
                   f"documents/s of each part: {', '.join(parts)})")
