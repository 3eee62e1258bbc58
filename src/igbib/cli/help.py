"""``--help``, written from the commands' declarations.

Plain text in click's layout, so it is the same on a terminal, in a pipe and
in a pager, and it is printed without importing Typer or rich (their imports
alone take ten times Python's start-up).
"""

from __future__ import annotations

import inspect
import shutil
import textwrap

from igbib.cli.spec import Argument, Command, Option

SUMMARY = "A bibliography manager for imaging genetics (radiogenomics) research."
HELP_OPTION = ("    --help", "Show this message and exit.")
ROOT_OPTIONS = (
    ("--db PATH", "Library file for the command (as the command's --db)."),
    ("--version", "Print igbib's version and exit."),
    (
        "--install-completion [SHELL]",
        "Install completion for bash, zsh or fish (default: this shell).",
    ),
    ("--show-completion [SHELL]", "Print the completion script, to install it by hand."),
    ("--help", "Show this message and exit."),
)


def command_help(command: Command) -> str:
    arguments = " ".join(_usage(a) for a in command.arguments)
    lines = [f"Usage: igbib {command.name} [OPTIONS] {arguments}".rstrip(), ""]
    lines += _indent(inspect.cleandoc(command.help))
    if command.example:
        lines += ["", f"  Example: {command.example}"]
    if command.arguments:
        lines += ["", "Arguments:"]
        lines += _table([(_usage(a), a.help) for a in command.arguments])
    lines += ["", "Options:"]
    lines += _table([*(_option_row(o) for o in command.options), HELP_OPTION])
    return "\n".join(lines) + "\n"


def root_help(commands: list[Command]) -> str:
    lines = ["Usage: igbib [--db PATH] COMMAND [ARGS]...", "", f"  {SUMMARY}", ""]
    lines += ["  Every command takes --help. Exit codes: 0 done, 1 bad input, 2 usage error,"]
    lines += ["  3 library unusable, 4 service unreachable.", "", "Commands:"]
    lines += _table([(c.name, c.summary) for c in commands])
    lines += ["", "Options:"]
    lines += _table(list(ROOT_OPTIONS))
    return "\n".join(lines) + "\n"


def _usage(argument: Argument) -> str:
    name = argument.metavar if argument.required else f"[{argument.metavar}]"
    return name + ("..." if argument.many else "")


def _option_row(option: Option) -> tuple[str, str]:
    short = [f for f in option.flags if not f.startswith("--")]
    long = [f for f in option.flags if f.startswith("--")]
    flags = ", ".join(short + long) if short else "    " + ", ".join(long)
    if option.takes_value:
        flags += f" {option.metavar}"
    text = option.help
    if option.choices is not None:
        text += f" One of: {', '.join(option.choices())}."
    if option.suggest is not None:
        text += f" Common: {', '.join(option.suggest())}."
    if option.takes_value and option.default not in (None, []) and "default" not in text:
        text += f" [default: {option.default}]"
    if option.minimum is not None and option.maximum is not None:
        text += f" [{option.minimum}..{option.maximum}]"
    return flags, text


def _table(rows: list[tuple[str, str]]) -> list[str]:
    width = min(shutil.get_terminal_size((100, 24)).columns, 100)
    left = min(max(len(name) for name, _ in rows), 28)
    lines = []
    for name, text in rows:
        wrapped = textwrap.wrap(" ".join(text.split()), max(width - left - 6, 30)) or [""]
        if len(name) > left:
            lines.append(f"  {name}")
            lines += [f"  {'':{left}}  {line}" for line in wrapped]
            continue
        lines.append(f"  {name:{left}}  {wrapped[0]}")
        lines += [f"  {'':{left}}  {line}" for line in wrapped[1:]]
    return lines


def _indent(text: str) -> list[str]:
    return [f"  {line}" if line else "" for line in text.splitlines()]
