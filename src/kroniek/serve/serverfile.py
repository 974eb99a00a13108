"""The server file ``<db>.server.json``: how other processes on this machine find a running server.

While `kroniek serve` holds a database it writes, beside it, ``{"pid", "host", "port", "url", "token", "db",
"instance"}`` readable by the file's owner only (mode 0600): the token lets `kroniek ingest` post articles
to the server instead of opening the (locked) database itself. The server removes the file when it stops.

A reader trusts the file only when it is a regular file (no symbolic link) owned by the user, mode 0600, and names
an http URL on a loopback address with the file's port; the client then checks that the process named is alive and
that the server answers /api/health with the file's instance id (serve/client.py).
"""
from __future__ import annotations

import ipaddress
import json
import os
import stat
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["ServerInfo", "UntrustedServerFile", "server_file_path", "write_server_file", "read_server_file",
           "remove_server_file"]


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


class UntrustedServerFile(ValueError):
    """A server file that Kroniek did not write for this user: another owner, readable by others, or a URL that
    does not lead to this machine. It is ignored (documents are never sent where it points)."""


def read_server_file(db_path: str | Path) -> ServerInfo | None:
    """The server file's contents, or None when it is absent, unreadable or malformed.

    Raises:
        UntrustedServerFile: it exists but is not one `kroniek serve` of this user wrote (see trusted_info).
    """
    path = server_file_path(db_path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None
    except OSError:
        if path.is_symlink():
            raise UntrustedServerFile(f"{path} is a symbolic link") from None
        return None
    try:
        _check_owner_and_mode(path, os.fstat(fd))
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            fields = json.loads(handle.read(MAX_SERVER_FILE_BYTES))
        info = ServerInfo(pid=int(fields["pid"]), host=str(fields["host"]), port=int(fields["port"]),
                          url=str(fields["url"]), token=str(fields["token"]), db=str(fields["db"]),
                          instance=str(fields["instance"]))
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
        if isinstance(exc, UntrustedServerFile):
            raise
        return None
    finally:
        if fd >= 0:
            os.close(fd)
    _check_url(path, info)
    return info


MAX_SERVER_FILE_BYTES = 64 << 10


def _check_owner_and_mode(path: Path, status: os.stat_result) -> None:
    if not stat.S_ISREG(status.st_mode):
        raise UntrustedServerFile(f"{path} is not a regular file")
    if hasattr(os, "getuid") and status.st_uid != os.getuid():
        raise UntrustedServerFile(f"{path} belongs to another user (uid {status.st_uid})")
    if status.st_mode & 0o077:
        raise UntrustedServerFile(f"{path} is readable or writable by others (mode {status.st_mode & 0o777:o}, "
                                  "not 600)")


def _check_url(path: Path, info: ServerInfo) -> None:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(info.url)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        raise UntrustedServerFile(f"{path} names a malformed URL") from None
    if parts.scheme != "http" or port != info.port or parts.path not in ("", "/") or parts.username \
            or not _loopback(host):
        raise UntrustedServerFile(f"{path} names {info.url!r}, not a server on this machine (http on a loopback "
                                  "address and the file's port)")


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def remove_server_file(info: ServerInfo) -> None:
    """Remove the file if it is still this server's (a newer server may have replaced it)."""
    try:
        current = read_server_file(info.db)
    except UntrustedServerFile:
        return
    if current is not None and current.instance == info.instance:
        server_file_path(info.db).unlink(missing_ok=True)
