"""A real PostgreSQL server for the tests: the one ``KRONIEK_TEST_POSTGRES`` names (a URL whose user may create
databases; `.ci/run` starts one), else a throwaway server started here with initdb and pg_ctl in a temporary
directory, on a free loopback port, stopped at the end of the run. PostgreSQL refuses to run as root: then the
server runs as the ``postgres`` user (Debian's package makes it). Tests skip, saying why, only when there are no
PostgreSQL binaries (or no way to run them as another user than root).
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

__all__ = ["PostgresServer", "CannotRun", "find_binaries"]


class CannotRun(RuntimeError):
    """There is no way to run PostgreSQL here (root, and no other user to run it as)."""


def find_binaries() -> Path | None:
    """The directory of initdb and pg_ctl: on PATH, else the newest /usr/lib/postgresql/N/bin."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """A server of our own: ``start()`` returns the URL of its ``postgres`` database (superuser, trust on loopback)."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.dir = Path(tempfile.mkdtemp(prefix="kroniek-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.prefix: list[str] = []
        if os.getuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                raise CannotRun("running as root and there is no postgres user to run PostgreSQL as") from None
            self.prefix = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.dir, "postgres")

    def _run(self, *args: str) -> None:
        result = subprocess.run([*self.prefix, *args], capture_output=True, text=True, cwd=self.dir)
        if result.returncode != 0:
            raise RuntimeError(f"{Path(args[0]).name} failed: {(result.stderr or result.stdout).strip()[-400:]}")

    def start(self) -> str:
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "--locale=C.UTF-8", "-E", "UTF8")
        # fsync off: a throwaway server whose data dies with the run.
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "server.log"), "-w",
                  "-o", f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off "
                        "-c max_connections=200", "start")
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
