"""Every stored event's record in the server's memory, LZ4-compressed in small blocks, and its GeoJSON feature,
serialised the first time an answer needs it: a page of /api/events, an event page and a GeoJSON map are answered
without reading records from the database.

Why: DuckDB finds rows by rowid at a fixed cost of several milliseconds a query (a page of 50 records: 4-10 ms of
CPU on 100,000 events, most of a page's cost), and a GeoJSON map of 10,000 events decoded 10,000 records into export
rows (kroniek.export) on every request: a quarter of a second. Here a record is a slice of a decompressed block (8
records, ~11 KB: a few microseconds), and a feature is serialised once per database generation (export's
``geojson_feature`` of the decoded record, so the bytes are exactly those of ``kroniek export --format geojson``),
then kept compressed beside its record.

Blocks hold rows in the index's date order (newest first), so the map's newest 10,000 events are ~1,250 consecutive
blocks. Built once per generation with the index (serve/eventindex.py), from the store's records read 4,096 at a time
(bounded memory while building); on 100,000 generated events 141 MB of records take ~40 MB here, and their features
~35 MB more once every one has been asked for.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..eventjson import decode_event, encode_value
from ..export import geojson_feature
from .memory import release_memory

__all__ = ["StoredRecords", "Packed", "BLOCK"]

BLOCK = 8          # records per compressed block: ratio ~3.4 on generated events, a block decompresses in ~5 us
_READ = 4096       # records read from the store at once while building (a multiple of BLOCK)
_CODEC = pa.Codec("lz4_raw")   # LZ4 blocks without frames: 10-14 % faster to decompress here than "lz4" frames


class _Blocks:
    """Byte strings kept in compressed blocks of BLOCK consecutive slots."""

    def __init__(self, n: int) -> None:
        n_blocks = (n + BLOCK - 1) // BLOCK
        self.data: list[bytes | None] = [None] * n_blocks
        self.size = np.zeros(n_blocks, np.int64)      # each block's uncompressed size
        self.start = np.zeros(n, np.int64)            # each slot's bytes within its block
        self.end = np.zeros(n, np.int64)

    def put(self, block: int, items: Sequence[bytes]) -> None:
        # each item is kept with a comma after it, so that a run of consecutive slots is one slice of its block,
        # already joined as a JSON array's elements are
        lengths = np.fromiter((len(i) + 1 for i in items), np.int64, len(items))
        first = block * BLOCK
        ends = np.cumsum(lengths)
        self.start[first:first + len(items)] = ends - lengths
        self.end[first:first + len(items)] = ends - 1
        self.size[block] = int(ends[-1]) if len(items) else 0
        self.data[block] = _CODEC.compress(b",".join(items) + b",", asbytes=True)   # last: readers check it

    def _open(self, block: int) -> memoryview:
        return memoryview(_CODEC.decompress(self.data[block], decompressed_size=int(self.size[block])))

    def get(self, slots: np.ndarray) -> list[memoryview]:
        """The bytes of these slots, in this order (each block decompressed once)."""
        opened: dict[int, memoryview] = {}
        out = []
        start, end = self.start, self.end
        for slot in slots.tolist():
            block = slot // BLOCK
            raw = opened.get(block)
            if raw is None:
                raw = opened[block] = self._open(block)
            out.append(raw[start[slot]:end[slot]])
        return out

    def joined(self, slots: np.ndarray, head: bytes = b"", tail: bytes = b"") -> bytes:
        """``head + b",".join(self.get(slots)) + tail`` (one copy), a run of consecutive slots of one block taken as
        one slice."""
        if not len(slots):
            return head + tail
        opened: dict[int, memoryview] = {}
        parts = [head]
        start, end = self.start, self.end
        for first, last, block in zip(*_runs(slots, slots // BLOCK)):
            raw = opened.get(block)
            if raw is None:
                raw = opened[block] = self._open(block)
            parts += (raw[start[first]:end[last]], b",")
        parts[-1] = tail
        return b"".join(parts)

    def nbytes(self) -> int:
        return sum(len(d) for d in self.data if d is not None)


def _runs(slots: np.ndarray, blocks: np.ndarray) -> tuple[list[int], list[int], list[int]]:
    """(first slot, last slot, block) of each run of consecutive slots within one block."""
    breaks = np.flatnonzero((np.diff(slots) != 1) | (np.diff(blocks) != 0)) + 1
    firsts = np.concatenate(([0], breaks))
    lasts = np.concatenate((breaks - 1, [len(slots) - 1]))
    return slots[firsts].tolist(), slots[lasts].tolist(), blocks[firsts].tolist()


class Packed:
    """Byte strings in one uncompressed Arrow column, in slot order, each followed by a comma (the map's points)."""

    def __init__(self, items: pa.Array) -> None:
        """``items``: a string column, in slot order (NULL is kept as ``null``); copied once, in Arrow."""
        self.items = pc.binary_join_element_wise(pc.fill_null(items.cast(pa.string()), "null"), "", ",")

    def size(self, slots: np.ndarray) -> int:
        """Bytes of these slots' items (without commas)."""
        offsets = np.frombuffer(self.items.buffers()[1], np.int64 if pa.types.is_large_string(self.items.type)
                                else np.int32)[self.items.offset:]
        return int((offsets[slots + 1] - offsets[slots]).sum()) - len(slots)

    def joined(self, slots: np.ndarray, head: bytes = b"", tail: bytes = b"") -> bytes:
        """``head + b",".join(item of each slot) + tail``: the items gathered by Arrow's take (no Python object
        per item), their last comma dropped."""
        if not len(slots):
            return head + tail
        taken = self.items.take(pa.array(slots))
        width = np.int64 if pa.types.is_large_string(taken.type) else np.int32
        offsets = np.frombuffer(taken.buffers()[1], width)
        first, last = int(offsets[taken.offset]), int(offsets[taken.offset + len(taken)])
        return b"".join((head, memoryview(taken.buffers()[2])[first:last - 1], tail))


class StoredRecords:
    """The records (and lazily the GeoJSON features) of an index's rows, by row."""

    def __init__(self, order: np.ndarray, records: Callable[[list[int]], list[str] | None]) -> None:
        """``order``: the index's rows in date order; ``records(rows)``: their stored records in that order, or
        None when the store no longer holds one of them (a write in between: the index is rebuilt anyway)."""
        n = len(order)
        self.slot = np.empty(n, np.int64)      # row -> its place in the blocks
        self.slot[order] = np.arange(n)
        self._records = _Blocks(n)
        self._features = _Blocks(n)
        self.complete = True
        for first in range(0, n, _READ):
            chunk = records(order[first:first + _READ].tolist())
            if chunk is None:
                self.complete = False
                return
            encoded = [r.encode("utf-8") if isinstance(r, str) else bytes(r) for r in chunk]
            for j in range(0, len(encoded), BLOCK):
                self._records.put((first + j) // BLOCK, encoded[j:j + BLOCK])
            del chunk, encoded
            if first % (8 * _READ) == 0:
                release_memory()

    def records(self, rows: np.ndarray) -> list[memoryview]:
        """The stored records (EVENTS.md JSON, UTF-8) of these rows, in this order."""
        return self._records.get(self.slot[rows])

    def joined_records(self, rows: np.ndarray, head: bytes = b"", tail: bytes = b"") -> bytes:
        """The records of these rows joined with commas (the elements of a JSON array), between head and tail."""
        return self._records.joined(self.slot[rows], head, tail)

    def records_size(self, rows: np.ndarray) -> int:
        """Bytes of these rows' records (without commas)."""
        slots = self.slot[rows]
        return int((self._records.end[slots] - self._records.start[slots]).sum())

    def features_size(self, rows: np.ndarray) -> int:
        """Bytes of these rows' GeoJSON features (without commas), serialising those not serialised yet."""
        slots = self.slot[rows]
        self._serialise(slots)
        return int((self._features.end[slots] - self._features.start[slots]).sum())

    def joined_features(self, rows: np.ndarray, head: bytes = b"", tail: bytes = b"") -> bytes:
        """The GeoJSON features of these rows, in this order, joined with commas: export.geojson_feature of each
        record, serialised the first time a row of its block is asked for."""
        slots = self.slot[rows]
        self._serialise(slots)
        return self._features.joined(slots, head, tail)

    def _serialise(self, slots: np.ndarray) -> int:
        """Serialise the features of these slots' blocks that have none yet; how many blocks that was."""
        features = self._features
        built = 0
        for block in np.unique(slots // BLOCK).tolist():
            if features.data[block] is None:
                first = block * BLOCK
                count = min(BLOCK, len(self.slot) - first)
                raws = self._records.get(np.arange(first, first + count))
                features.put(block, [encode_value(geojson_feature(decode_event(raw))) for raw in raws])
                built += 1
        return built

    def memory(self) -> dict[str, Any]:
        """Compressed bytes held: records and the features built so far."""
        return {"records": self._records.nbytes(), "features": self._features.nbytes()}
