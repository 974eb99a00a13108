"""The server file ``<db>.server.json``: how other processes on this machine find a running server.

While `kroniek serve` holds a database it writes, beside it, ``{"pid", "host", "port", "url", "token", "db",
"instance"}`` readable by the file's owner only (mode 0600): the token lets `kroniek ingest` post articles
to the server instead of opening the (locked) database itself. The server removes the file when it stops.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["ServerInfo", "server_file_path", "write_server_file", "read_server_file", "remove_server_file"]


@dataclass(frozen=True, slots=True)
class ServerInfo:
    pid: int
    host: str
    port: int
    url: str            # where a local client connects (a wildcard bind address becomes loopback)
    token: str          # the local ingest token
    db: str             # the database's absolute path
    instance: str       # random id, also answered by GET /api/health


def server_file_path(db_path: str | Path) -> Path:
    """``<absolute db path>.server.json``: the same file whatever directory a command runs in."""
    return Path(str(Path(db_path).expanduser().resolve()) + ".server.json")


def write_server_file(info: ServerInfo) -> Path:
    """Write the file atomically with mode 0600 (it holds a token); returns its path."""
    path = server_file_path(info.db)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)   # O_CREAT's mode is masked by umask and ignored for an existing file
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(info), handle, indent=1)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)
    return path


def read_server_file(db_path: str | Path) -> ServerInfo | None:
    """The server file's contents, or None when it is absent, unreadable or malformed."""
    try:
        fields = json.loads(server_file_path(db_path).read_text(encoding="utf-8"))
        return ServerInfo(pid=int(fields["pid"]), host=str(fields["host"]), port=int(fields["port"]),
                          url=str(fields["url"]), token=str(fields["token"]), db=str(fields["db"]),
                          instance=str(fields["instance"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remove_server_file(info: ServerInfo) -> None:
    """Remove the file if it is still this server's (a newer server may have replaced it)."""
    current = read_server_file(info.db)
    if current is not None and current.instance == info.instance:
        server_file_path(info.db).unlink(missing_ok=True)
