"""Shared fixtures: hand-built articles in both languages, paths to the shared development data, the gazetteer
cache of this test run, and `kroniek serve` in a process of its own.

The gazetteer index (kroniek.places.gazetteer, ~30 MB) is built once per test run into a temporary directory
named by ``KRONIEK_CACHE``, which every process the tests start inherits: no test writes to the home directory.
A developer who runs the suite often may name a directory of their own in ``KRONIEK_TEST_CACHE`` to keep the
index between runs (it is rebuilt whenever the gazetteer's data files or code change).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

# Only a process that hangs is stopped: nothing here waits for a time to pass or judges how long a start took.
HANG_GUARD_S = 600
_run_dir: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    """One temporary directory for this run: the gazetteer cache, and the XDG folders where Chromium and the
    desktop libraries it loads would otherwise write into the home directory. Every process the tests start
    inherits them."""
    global _run_dir
    _run_dir = tempfile.mkdtemp(prefix="kroniek-test-run-")
    os.environ["KRONIEK_CACHE"] = os.environ.get("KRONIEK_TEST_CACHE") or os.path.join(_run_dir, "cache")
    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        os.environ[name] = os.path.join(_run_dir, name.lower())


def pytest_unconfigure(config: pytest.Config) -> None:
    if _run_dir:
        shutil.rmtree(_run_dir, ignore_errors=True)


def start_server(db: Path, *options: str) -> tuple[subprocess.Popen, str]:
    """`kroniek serve` on ``db`` in its own process on a free port; returns the process and its URL once the
    server has said where it listens (its socket accepts connections from then on)."""
    process = subprocess.Popen([sys.executable, "-m", "kroniek.serve", "--db", str(db), "--port", "0", *options],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO)
    guard = threading.Timer(HANG_GUARD_S, process.kill)
    guard.start()
    lines = []
    try:
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Serving "):
                return process, line.split(" at ", 1)[1].split()[0].rstrip("/")
    finally:
        guard.cancel()
    stop_server(process)
    pytest.fail(f"kroniek serve did not start: {''.join(lines)}")


def stop_server(process: subprocess.Popen) -> int:
    """SIGTERM, as a service manager stops it; the exit code."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=HANG_GUARD_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout:
        process.stdout.close()
    return process.returncode


@pytest.fixture
def shared_dir() -> Path:
    """The read-only shared folder beside the repository; tests that need it skip when it is absent."""
    if not (SHARED / "data").is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED


@pytest.fixture
def tmp_db(tmp_path: Path) -> str:
    return str(tmp_path / "test.duckdb")


NL_ATTACK = (
    "Aanslag op kerstmarkt\n\n"
    "Gisteravond reed een vrachtwagen in op een kerstmarkt in Keulen. Er vielen minstens vijf doden en tientallen "
    "gewonden. De politie heeft een verdachte aangehouden.\n\n"
    "Islamitische Staat heeft de aanslag opgeëist.\n"
)
EN_ATTACK = (
    "Gunman kills three in Lyon\n\n"
    "A gunman opened fire on a crowd outside a synagogue in Lyon on Saturday, killing three people and wounding "
    "seven, police said. The suspect was arrested an hour later.\n"
)


@pytest.fixture
def nl_attack() -> str:
    return NL_ATTACK


@pytest.fixture
def en_attack() -> str:
    return EN_ATTACK


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> Path:
    """The demo database as `kroniek demo --no-serve` builds it, once per test run; copy it before writing to it."""
    from click.testing import CliRunner

    from kroniek.cli import main

    path = tmp_path_factory.mktemp("demo-database") / "demo.duckdb"
    result = CliRunner().invoke(main, ["demo", "--no-serve", "--db", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="session")
def postgres_admin_url():
    """A PostgreSQL server for the run (tests/pg_server.py): the URL of a database whose user creates databases."""
    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install -e '.[dev]' (kroniek[postgres])")
    given = os.environ.get("KRONIEK_TEST_POSTGRES")
    if given:
        yield given
        return
    from pg_server import CannotRun, PostgresServer, find_binaries

    bin_dir = find_binaries()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl; Debian: apt-get install postgresql) and "
                    "KRONIEK_TEST_POSTGRES is not set")
    try:
        server = PostgresServer(bin_dir)
    except CannotRun as exc:
        pytest.skip(f"PostgreSQL cannot run here: {exc}")
    try:
        url = server.start()
    except RuntimeError as exc:     # the binaries are there: a server that does not start is a failure
        server.stop()
        pytest.fail(f"could not start a PostgreSQL server: {exc}")
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture
def pg_url(postgres_admin_url, request):
    """A fresh, empty database on the run's PostgreSQL server for one test (dropped after it)."""
    import re
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = "kroniek_" + re.sub(r"\W", "_", request.node.name.lower())[:40] + "_" + uuid.uuid4().hex[:8]
    with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(postgres_admin_url)
    yield urlunsplit(parts._replace(path="/" + name))
    with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
