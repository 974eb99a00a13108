"""Alerts on saved queries: which events an alert has not reported yet, and sending them to its target.

An alert is the filters of `kroniek events` (each list-valued filter may hold several values: any of them
matches) and one target: a file of JSON lines, a webhook (a POST of each line's JSON, through the SSRF guard)
or an e-mail address (one message per pass; SMTP settings from the environment, see :func:`smtp_settings`).
Events are matched by their id: an event fires once; with ``updates`` it fires again when it grew (a new
source, a higher toll). An event is counted as fired only once its target took it, so a target that is
down gets everything when it comes back.
"""
from __future__ import annotations

import json
import os
import smtplib
import ssl
from datetime import date, datetime
from email.message import EmailMessage
from itertools import product
from typing import Any, Callable, Mapping, Sequence

from ..errors import FetchError, KroniekError
from ..store import EventQuery
from ..store.follow import FollowTables

__all__ = ["LIST_FILTERS", "TARGETS", "split_values", "normalise_filters", "alert_where", "alert_line",
           "deliver", "run_alerts", "smtp_settings", "DeliveryError"]

LIST_FILTERS = ("type", "subtype", "modality", "country", "actor", "text")
DATE_FILTERS = ("since", "until")
TARGETS = ("file", "webhook", "email")
MAX_COMBINATIONS = 512        # one query per combination of list values; more is a mistake, not an alert
PENDING_PER_PASS = 1000       # events one alert reports in one pass; the rest follow in the next


class DeliveryError(KroniekError):
    """A target that did not take the alert (K313); ``delivered`` lines of it did arrive."""

    def __init__(self, target: str, reason: str, delivered: int = 0) -> None:
        self.delivered = delivered
        super().__init__(f"not delivered to {target}: {reason} [K313]")


def split_values(value: Any) -> list[str]:
    """``"attack, remote_violence"`` (or a list of such strings) as ``["attack", "remote_violence"]``."""
    if value is None:
        return []
    parts = value if isinstance(value, (list, tuple)) else [value]
    out: list[str] = []
    for part in parts:
        for piece in str(part).split(","):
            piece = piece.strip()
            if piece and piece not in out:
                out.append(piece)
    return out


def normalise_filters(filters: Mapping[str, Any]) -> dict[str, Any]:
    """Filters as stored with an alert: lists for the list-valued ones, ISO dates for since/until."""
    out: dict[str, Any] = {}
    for name in LIST_FILTERS:
        values = split_values(filters.get(name))
        if name == "country":
            values = [v.upper() for v in values]
        if values:
            out[name] = values
    for name in DATE_FILTERS:
        value = filters.get(name)
        if isinstance(value, date):
            value = value.isoformat()
        if value:
            out[name] = str(value)
    combinations = 1
    for name in LIST_FILTERS:
        combinations *= len(out.get(name, [None]))
    if combinations > MAX_COMBINATIONS:
        raise ValueError(f"{combinations} combinations of filter values; an alert may have at most "
                         f"{MAX_COMBINATIONS}")
    return out


def alert_where(filters: Mapping[str, Any]) -> tuple[str, list]:
    """The SQL condition of an alert's filters: EventQuery's, one per combination of values, joined by OR."""
    since = date.fromisoformat(filters["since"]) if filters.get("since") else None
    until = date.fromisoformat(filters["until"]) if filters.get("until") else None
    lists = [filters.get(name) or [None] for name in LIST_FILTERS]
    clauses, params = [], []
    for type_, subtype, modality, country, actor, text in product(*lists):
        where, values = EventQuery(type=type_, subtype=subtype, modality=modality, country=country, actor=actor,
                                   text=text, since=since, until=until).where()
        clauses.append(f"({where})")
        params += values
    return " OR ".join(clauses), params


def describe_filters(filters: Mapping[str, Any]) -> str:
    parts = [f"--{name} {','.join(filters[name])}" for name in LIST_FILTERS if filters.get(name)]
    parts += [f"--{name} {filters[name]}" for name in DATE_FILTERS if filters.get(name)]
    return " ".join(parts) or "(every event)"


def alert_line(name: str, record: Mapping[str, Any], kind: str = "new") -> dict[str, Any]:
    """One alert as JSON: the alert, the event, its date, place, evidence sentence and source URLs."""
    date_ = record.get("date") or {}
    location = record.get("location") or {}
    evidence = record.get("evidence") or []
    sentence = next((e.get("quote") for e in evidence if e.get("field") is None), None) or \
        (evidence[0].get("quote") if evidence else None)
    return {
        "alert": name, "kind": kind, "event_id": record["id"], "type": record.get("type"),
        "subtype": record.get("subtype"), "modality": record.get("modality"),
        "date": date_.get("start"), "date_end": date_.get("end"),
        "place": location.get("name"), "country": location.get("country"),
        "fatalities": (record.get("fatalities") or {}).get("min"),
        "injuries": (record.get("injuries") or {}).get("min"),
        "evidence": sentence,
        "sources": [s.get("url") for s in record.get("sources") or [] if s.get("url")],
    }


def smtp_settings(environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """SMTP settings from the environment.

    ``KRONIEK_SMTP_HOST`` (required), ``KRONIEK_SMTP_PORT`` (25, or 465 with ssl, 587 with starttls),
    ``KRONIEK_SMTP_TLS`` (``starttls``, ``ssl`` or ``none``; starttls when a password is set),
    ``KRONIEK_SMTP_USER``, ``KRONIEK_SMTP_PASSWORD``, ``KRONIEK_SMTP_FROM`` (default: the user, else
    ``kroniek@localhost``).
    """
    host = environ.get("KRONIEK_SMTP_HOST", "").strip()
    if not host:
        raise DeliveryError("e-mail", "KRONIEK_SMTP_HOST is not set (see `kroniek alerts add --help`)")
    user = environ.get("KRONIEK_SMTP_USER") or None
    password = environ.get("KRONIEK_SMTP_PASSWORD") or None
    tls = (environ.get("KRONIEK_SMTP_TLS") or ("starttls" if password else "none")).lower()
    if tls not in ("starttls", "ssl", "none"):
        raise DeliveryError("e-mail", f"KRONIEK_SMTP_TLS={tls!r}; use starttls, ssl or none")
    default_port = {"ssl": 465, "starttls": 587}.get(tls, 25)
    try:
        port = int(environ.get("KRONIEK_SMTP_PORT") or default_port)
    except ValueError:
        raise DeliveryError("e-mail", "KRONIEK_SMTP_PORT is not a number") from None
    sender = environ.get("KRONIEK_SMTP_FROM") or (user if user and "@" in user else "kroniek@localhost")
    return {"host": host, "port": port, "tls": tls, "user": user, "password": password, "sender": sender}


def _email(address: str, name: str, lines: Sequence[Mapping[str, Any]], settings: Mapping[str, Any]) -> None:
    message = EmailMessage()
    message["From"] = settings["sender"]
    message["To"] = address
    message["Subject"] = f"Kroniek alert {name}: {len(lines)} event{'s' if len(lines) != 1 else ''}"
    body = []
    for line in lines:
        place = ", ".join(p for p in (line.get("place"), line.get("country")) if p)
        body.append(f"{line['kind']}: {line['type']} {line.get('date') or 'date unknown'} {place or ''}".rstrip())
        if line.get("evidence"):
            body.append(f"  “{line['evidence']}”")
        body += [f"  {url}" for url in line.get("sources") or []]
        body.append(f"  kroniek show {line['event_id']}\n")
    body.append("-- \nThe same as JSON lines:\n" + "\n".join(json.dumps(l, ensure_ascii=False) for l in lines))
    message.set_content("\n".join(body))
    try:
        if settings["tls"] == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(settings["host"], settings["port"], timeout=30,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(settings["host"], settings["port"], timeout=30)
        with client:
            if settings["tls"] == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings["user"] and settings["password"]:
                client.login(settings["user"], settings["password"])
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(address, f"{settings['host']}:{settings['port']}: "
                                     f"{exc.__class__.__name__}: {str(exc)[:120]}") from None


def deliver(alert: Mapping[str, Any], lines: Sequence[Mapping[str, Any]], *,
            post_json: Callable[[str, bytes], int] | None = None,
            environ: Mapping[str, str] = os.environ) -> int:
    """Send lines to the alert's target; returns how many arrived. Raises DeliveryError (K313)."""
    kind, target = alert["target_kind"], alert["target"]
    if kind == "file":
        try:
            with open(target, "a", encoding="utf-8") as fh:
                for line in lines:
                    fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise DeliveryError(target, exc.strerror or str(exc)) from None
        return len(lines)
    if kind == "webhook":
        if post_json is None:
            raise DeliveryError(target, "no fetcher to post with")
        for done, line in enumerate(lines):
            try:
                post_json(target, json.dumps(line, ensure_ascii=False).encode("utf-8"))
            except FetchError as exc:
                raise DeliveryError(target, f"{exc.reason} [{exc.code}]", delivered=done) from None
        return len(lines)
    if kind == "email":
        if lines:
            _email(target, alert["name"], lines, smtp_settings(environ))
        return len(lines)
    raise DeliveryError(target, f"unknown target kind {kind!r}")


def run_alerts(follow: FollowTables, now: datetime, *, on_line: Callable[[str], None],
               post_json_for: Callable[[bool], Callable[[str, bytes], int]] | None = None,
               environ: Mapping[str, str] = os.environ) -> int:
    """Fire every alert for the events it has not reported (or that grew); returns the lines delivered.

    ``post_json_for(allow_private_hosts)`` gives the function webhooks are posted with.
    """
    total = 0
    for alert in follow.alerts():
        where, params = alert_where(alert["filters"])
        pending = follow.pending(alert["name"], where, params, bool(alert["updates"]), limit=PENDING_PER_PASS)
        if not pending:
            continue
        lines = [alert_line(alert["name"], record, kind) for record, kind in pending]
        post = post_json_for(bool(alert["allow_private_hosts"])) if post_json_for else None
        try:
            delivered = deliver(alert, lines, post_json=post, environ=environ)
            problem = None
        except DeliveryError as exc:
            delivered, problem = exc.delivered, str(exc)
        if delivered:
            follow.mark_fired(alert["name"], [record for record, _ in pending[:delivered]], now)
            total += delivered
            new = sum(1 for _, kind in pending[:delivered] if kind == "new")
            updated = delivered - new
            on_line(f"alert {alert['name']}: {new} new" + (f", {updated} updated" if updated else "")
                    + f" → {alert['target']}")
        if problem:
            on_line(f"alert {alert['name']}: {problem}")
    return total
