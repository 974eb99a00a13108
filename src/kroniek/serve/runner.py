"""Run the server: open the database, bind, write the server file, serve until stopped, clean up."""
from __future__ import annotations

import ipaddress
import os
import secrets
import signal
import socket
import threading
from pathlib import Path
from typing import Callable

import uvicorn

from ..errors import KroniekError
from .app import LOOPBACK_HOSTS, create_app
from .client import find_server
from .serverfile import ServerInfo, remove_server_file, write_server_file

__all__ = ["serve", "ServeError", "is_loopback"]


BACKLOG = 2048   # uvicorn's default


class ServeError(KroniekError):
    """The server cannot start: the address is taken, or the database is already served or locked."""


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        # Listening before `on_ready` announces the URL: a client that connects at once waits in the backlog
        # until uvicorn accepts, instead of being refused (uvicorn listens again with the same backlog).
        sock.listen(BACKLOG)
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); choose another --port") from exc
    sock.set_inheritable(True)
    return sock


def _client_url(host: str, port: int) -> str:
    """The URL a client on this machine uses: a wildcard bind address is reached through loopback."""
    bare = host.strip("[]")
    if bare in ("0.0.0.0", ""):
        bare = "127.0.0.1"
    elif bare == "::":
        bare = "::1"
    return f"http://[{bare}]:{port}" if ":" in bare else f"http://{bare}:{port}"


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)   # so that `finally` removes the server file


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8000, ingest_token: str | None = None,
          read_only: bool = False, log_level: str = "warning",
          on_ready: Callable[[str], None] | None = None) -> None:
    """Serve the API and dashboard for ``db_path`` until interrupted (Ctrl-C or SIGTERM).

    Args:
        port: 0 picks a free port (the server file and ``on_ready`` say which).
        on_ready: called with the dashboard's URL once the socket is bound and the database open.
    Raises:
        ServeError: the database is already served, or the address cannot be bound.
        kroniek.errors.StoreError: the database cannot be opened (locked by another process [K201]).
    """
    from ..store import display_db, is_postgres_url

    shared = is_postgres_url(db_path)   # PostgreSQL: no server file; other processes use the database themselves
    db = str(db_path) if shared else str(Path(db_path).expanduser().resolve())
    running = find_server(db)
    if running is not None:
        raise ServeError(f"{db} is already served at {running.url} (pid {running.info.pid})")
    instance, local_token = secrets.token_hex(8), secrets.token_urlsafe(32)
    app = create_app(db, ingest_token=ingest_token, read_only=read_only, local_token=local_token,
                     instance=instance, allowed_hosts=_allowed_hosts(host))
    try:
        sock = _bind(host, port)
    except ServeError:
        app.state.database.close()
        raise
    bound_port = sock.getsockname()[1]
    url = _client_url(host, bound_port)
    info = ServerInfo(pid=os.getpid(), host=host, port=bound_port, url=url, token=local_token,
                      db=display_db(db), instance=instance)
    # http: httptools, uvicorn's C parser (a dependency), ~20 % more small answers a second than its pure-Python h11.
    # loop: asyncio's own, also where uvloop is installed: under 50 clients asking for 3.5 MB maps, uvloop served a
    # few connections seconds late (max 4.5 s against 0.5 s; docs/SERVE.md "Load").
    config = uvicorn.Config(app, log_level=log_level, access_log=log_level in ("info", "debug"),
                            timeout_graceful_shutdown=5, lifespan="on", http="httptools", loop="asyncio")

    def ready() -> None:
        # Only now is it true that the server accepts: the server file (which clients act on) and the URL.
        if not shared:
            write_server_file(info)   # also when read-only: `kroniek ingest` then learns why it cannot write
        if on_ready:
            on_ready(url + "/")

    server = _Server(config, ready)

    def stop_quietly(signum: int, frame: object) -> None:
        # Ctrl-C before uvicorn has taken the signal over (or the one uvicorn raises again once it has stopped):
        # stop like uvicorn does, with no KeyboardInterrupt (and no half-started coroutine) left behind.
        server.should_exit = True

    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm) if _main_thread() else None
    previous_int = signal.signal(signal.SIGINT, stop_quietly) if _main_thread() else None
    try:
        server.run(sockets=[sock])
    finally:
        if not shared:
            remove_server_file(info)
        app.state.database.close()   # the lifespan closed it on a clean stop; closing twice is harmless
        sock.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        if previous_int is not None:
            signal.signal(signal.SIGINT, previous_int)


class _Server(uvicorn.Server):
    """uvicorn's server, calling ``ready`` once it accepts connections on its socket (after startup, not before)."""

    def __init__(self, config: uvicorn.Config, ready: Callable[[], None]) -> None:
        super().__init__(config)
        self._ready = ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started and not self.should_exit:
            self._ready()


def _allowed_hosts(host: str) -> tuple[str, ...] | None:
    """The Host names a loopback server answers to: the loopback names and the address it was given
    (``--host 127.0.0.2`` answers to ``Host: 127.0.0.2``); None (any) for a server bound elsewhere."""
    if not is_loopback(host):
        return None
    bare = host.strip("[]").lower()
    return tuple(dict.fromkeys((*LOOPBACK_HOSTS, bare, f"[{bare}]" if ":" in bare else bare)))


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()
