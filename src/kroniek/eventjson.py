"""The EVENTS.md JSON of an event, and back: the one place a typed :class:`~kroniek.records.Event` becomes JSON.

The store keeps each event as this JSON, the JSON Lines export and the API send it as stored, and everything that
needs fields decodes it here into the typed record (unknown keys from newer versions are ignored).
"""
from __future__ import annotations

from typing import Any, Iterable

import msgspec

from .records import Event

__all__ = ["encode_event", "decode_event", "decode_events", "event_to_dict", "event_from_dict", "encode_value"]

_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(Event)


def encode_event(event: Event) -> bytes:
    """Compact UTF-8 JSON in EVENTS.md's key order (dates as YYYY-MM-DD)."""
    return _ENCODER.encode(event)


def decode_event(raw: bytes | str) -> Event:
    return _DECODER.decode(raw)


def decode_events(raws: Iterable[bytes | str]) -> list[Event]:
    return [_DECODER.decode(raw) for raw in raws]


def event_to_dict(event: Event) -> dict[str, Any]:
    """The record as plain JSON values, exactly what ``json.loads`` of its export line gives (dates as strings)."""
    return msgspec.json.decode(_ENCODER.encode(event))


def event_from_dict(record: dict[str, Any]) -> Event:
    """A typed Event from plain values (as read from an export); raises msgspec.ValidationError when malformed."""
    return msgspec.convert(record, Event)


def encode_value(value: Any) -> bytes:
    """Compact JSON of any value built of plain types and records (for API answers that embed events)."""
    return _ENCODER.encode(value)
