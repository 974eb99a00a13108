"""Shared fixtures: hand-built articles in both languages, paths to the shared development data."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


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
