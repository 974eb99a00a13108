"""A click group whose subcommands in other modules are imported on first use.

`kroniek --help` and `kroniek events --help` must not pay for FastAPI, scipy or numpy (about 0.9 s of CPU before
this group; see benchmarks/cli_startup.py). A lazy subcommand is named here with the module and attribute of its
click command and the one line `--help` lists it with, so listing the commands imports none of them; the first
call of a subcommand imports its module. tests/test_cli.py checks that each line matches the command's own.
"""
from __future__ import annotations

import importlib
from typing import NamedTuple

import click

__all__ = ["LazyCommand", "LazyGroup"]


class LazyCommand(NamedTuple):
    target: str        # "package.module:attribute", the click.Command to import
    short_help: str    # the line `--help` of the group shows for it (the command's own short help)


class LazyGroup(click.Group):
    """A click.Group with extra subcommands that are imported when first asked for (``lazy={name: LazyCommand}``)."""

    def __init__(self, *args, lazy: dict[str, LazyCommand] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, LazyCommand] = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self.add_command(self.load(cmd_name), cmd_name)
        return self.commands.get(cmd_name)

    def load(self, name: str) -> click.Command:
        """Import the lazy subcommand ``name`` (a missing optional dependency becomes a one-line error)."""
        module_name, _, attribute = self.lazy[name].target.partition(":")
        try:
            command = getattr(importlib.import_module(module_name), attribute)
        except ImportError as exc:
            raise click.ClickException(f"`{self.name} {name}` cannot run here: {exc}; reinstall Kroniek with "
                                       "its dependencies (pip install -e '.[dev]')") from exc
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.lazy[name].target} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands and their one-line help, without importing the lazy ones."""
        names = [n for n in self.list_commands(ctx) if n in self.lazy or not self.commands[n].hidden]
        if not names:
            return
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = []
        for name in names:
            if name in self.commands:
                rows.append((name, self.commands[name].get_short_help_str(limit)))
            else:
                rows.append((name, _shortened(self.lazy[name].short_help, limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _shortened(text: str, limit: int) -> str:
    """``text`` cut at a word to fit ``limit`` characters with "...", as click shortens a command's own help."""
    if len(text) <= limit:
        return text
    words, kept = text.split(), ""
    for word in words:
        if len(kept) + len(word) + (1 if kept else 0) + 3 > limit:
            break
        kept = f"{kept} {word}" if kept else word
    return kept + "..."
