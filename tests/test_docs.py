"""Documentation is tested: every command, option group and error code a user can meet is documented."""
from __future__ import annotations

import re
from pathlib import Path

import click

from kroniek.cli import main
from kroniek.errors import CODES

REPO = Path(__file__).resolve().parents[1]


def test_every_command_is_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    names = main.list_commands(click.Context(main))
    assert {"ingest", "events", "show", "export", "demo", "serve", "eval", "train"} <= set(names)
    for name in names:
        assert f"kroniek {name}" in readme, name


def test_every_setting_is_documented():
    """Every KRONIEK_* environment variable the package reads is explained in the README."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    settings = {name for path in (REPO / "src" / "kroniek").rglob("*.py")
                for name in re.findall(r"\bKRONIEK_[A-Z_]+\b", path.read_text(encoding="utf-8"))}
    assert {"KRONIEK_CACHE", "KRONIEK_INGEST_TOKEN"} <= settings
    for name in sorted(settings):
        assert f"`{name}`" in readme, name


def test_every_error_code_is_documented():
    errors = (REPO / "docs" / "ERRORS.md").read_text(encoding="utf-8")
    for code, meaning in CODES.items():
        assert f"`{code}`" in errors and meaning in errors, code


def test_readme_starts_with_the_two_commands():
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    block = lines[lines.index("```bash") + 1:lines.index("```bash") + 3]
    assert "kroniek demo" in block[0] and "pip install" in block[0]
    assert "pytest" in block[1] and "pip install" in block[1]
    assert "python3 -m pytest" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
