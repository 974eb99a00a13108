"""Documents from any path Spark reads (local, HDFS, S3), as `kroniek ingest` reads the same files.

Spark lists and fetches the files (`binaryFiles`, directories recursively); each file's bytes become documents through
`ingest.sources.documents_from_bytes` and `ingest.warc.read_warc`, so origins, metadata and errors are the single-machine
ones. Every document carries its place in the input, (argument, path parts, item), which is the order `kroniek ingest`
meets it in: the first of two identical texts is the one kept.

Differences that remain: Hadoop does not list files whose names start with "_" (Kroniek reads them), and a file is
read whole by one task (a JSON Lines or WARC file of several GB wants splitting first).
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path, PurePosixPath
from typing import Iterator

from ..ingest.sources import DEFAULT_MAX_BYTES, SIDECAR_SUFFIX, documents_from_bytes
from ..ingest.urlguard import is_url
from ..records import RawDocument, Rejected

__all__ = ["read_documents", "Order"]

Order = tuple      # (argument index, path parts below it, item number in the file)
_WHOLE_FILES = (".jsonl", ".ndjson", ".warc", ".warc.gz")     # never have a sidecar


def _scheme(path: str) -> str | None:
    head, sep, _ = path.partition("://")
    return head.lower() if sep and head.isalpha() else None


def _roots(sc, paths: list[str]) -> tuple[list[tuple[int, str, str]], list[tuple[Order, Rejected]]]:
    """(index, uri to list, the path as the user gave it) for every argument that exists, and Rejected for the rest."""
    roots, rejects = [], []
    for i, path in enumerate(paths):
        if path == "-" or is_url(path):
            rejects.append(((i, (), 0), Rejected(path, "K243", "Spark reads files (local, HDFS, S3), not web pages "
                                                              "or standard input; ingest those with kroniek ingest")))
        elif _scheme(path) is None:
            if not os.path.exists(path):
                rejects.append(((i, (), 0), Rejected(str(path), "K109", "no such file or directory")))
            else:
                roots.append((i, "file://" + os.path.abspath(path), str(Path(path))))
                sidecar = _sidecar_of(path)
                if os.path.isfile(path) and sidecar and os.path.isfile(sidecar):
                    roots.append((i, "file://" + os.path.abspath(sidecar), str(Path(sidecar))))
        else:
            hpath = sc._jvm.org.apache.hadoop.fs.Path(path)
            filesystem = hpath.getFileSystem(sc._jsc.hadoopConfiguration())
            if not filesystem.exists(hpath):
                rejects.append(((i, (), 0), Rejected(path, "K109", "no such file or directory")))
            else:
                roots.append((i, path, path.rstrip("/")))
                sidecar = _sidecar_of(path)
                if sidecar and filesystem.isFile(hpath) \
                        and filesystem.exists(sc._jvm.org.apache.hadoop.fs.Path(sidecar)):
                    roots.append((i, sidecar, sidecar))
    return roots, rejects


def _sidecar_of(path: str) -> str | None:
    """The NAME.meta.json beside a file given by name (read_sources looks for it beside any file)."""
    head, _, name = path.rpartition("/")
    if path.lower().endswith(_WHOLE_FILES) or name.endswith(SIDECAR_SUFFIX):
        return None
    stem = PurePosixPath(name).stem
    return f"{head}/{stem}{SIDECAR_SUFFIX}" if head else stem + SIDECAR_SUFFIX


def _located(index: int, root: str, shown: str):
    """A function from (uri, bytes) of a file under `root` to (key, (order, origin, bytes)), or None for a hidden
    file; the key pairs a file with its NAME.meta.json."""
    local = root.startswith("file://")
    base = root[len("file://"):] if local else root.rstrip("/")

    def locate(item):
        uri, content = item
        if local:
            path = uri[len("file:"):]
            path = "/" + path.lstrip("/")
            rel = os.path.relpath(path, base)
            rel = "" if rel == "." else rel
            origin = str(Path(shown) / rel) if rel else shown
        else:
            rel = uri.split(base.split("://", 1)[-1], 1)[-1].lstrip("/") if "://" in base else uri
            origin = uri
        parts = PurePosixPath(rel).parts
        if any(p.startswith(".") for p in parts):
            return None
        name = parts[-1] if parts else PurePosixPath(origin).name
        parent = "/".join(parts[:-1])
        if name.endswith(SIDECAR_SUFFIX):
            return ("meta", (index, parent, name[:-len(SIDECAR_SUFFIX)]), (origin, bytes(content)))
        return ("file", (index, parent, PurePosixPath(name).stem), ((index, parts, 0), origin, bytes(content)))

    return locate


def _documents(order: Order, origin: str, content: bytes, sidecar, max_bytes: int
               ) -> Iterator[tuple[Order, RawDocument | Rejected]]:
    if origin.lower().endswith((".warc", ".warc.gz")):
        from ..ingest.warc import read_warc

        with tempfile.NamedTemporaryFile(suffix=".warc.gz" if origin.lower().endswith(".gz") else ".warc") as fh:
            fh.write(content)
            fh.flush()
            items = list(read_warc(Path(fh.name), max_bytes, origin=origin))
    else:
        items = documents_from_bytes(origin, content, sidecar, max_bytes)
    for n, item in enumerate(items):
        yield (order[0], order[1], n), item


def read_documents(sc, paths: list[str], *, max_bytes: int = DEFAULT_MAX_BYTES, partitions: int | None = None):
    """An RDD of (order, RawDocument | Rejected) for every document under `paths`, spread over `partitions`."""
    roots, rejects = _roots(sc, paths)
    located = [sc.binaryFiles(uri).map(_located(i, uri, shown)).filter(lambda x: x is not None)
               for i, uri, shown in roots]
    if not located:
        return sc.parallelize(rejects, 1)
    files = sc.union(located)
    whole = files.filter(lambda x: x[0] == "file" and x[2][1].lower().endswith(_WHOLE_FILES))
    sidecars = files.filter(lambda x: x[0] == "meta").map(lambda x: (x[1], x[2]))
    plain = files.filter(lambda x: x[0] == "file" and not x[2][1].lower().endswith(_WHOLE_FILES)) \
        .map(lambda x: (x[1], x[2]))
    paired = plain.leftOuterJoin(sidecars, partitions or sc.defaultParallelism).map(lambda kv: (kv[1][0], kv[1][1]))
    alone = whole.map(lambda x: (x[2], None))
    docs = paired.union(alone).flatMap(
        lambda fs: _documents(fs[0][0], fs[0][1], fs[0][2], fs[1], max_bytes))
    if rejects:
        docs = docs.union(sc.parallelize(rejects, 1))
    return docs.repartition(partitions or sc.defaultParallelism)
