"""The ``igbib`` command line: a thin layer over the library.

Every command line is parsed by :mod:`igbib.cli.parse` from the commands'
declarations (:mod:`igbib.cli.commands`), then one command module runs;
``--help`` is written from the same declarations (:mod:`igbib.cli.help`). Only
shell completion starts the Typer application (:mod:`igbib.cli.app`), which is
built from them too: Typer's import alone costs several times Python's own
start-up, and igbib is run from scripts and editors, where start-up is what
users feel.

This is also the one place where errors become exit codes: igbib's own errors
print one ``error:`` line on stderr and exit with their code; anything else is
a bug and shows a traceback.
"""

from __future__ import annotations

import os
import sys

from igbib.cli import output
from igbib.cli.commands import NAMES, load
from igbib.cli.parse import HELP, HelpRequested, closest, parse_command
from igbib.errors import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_LIBRARY,
    EXIT_OK,
    IgbibError,
    UsageError,
)

COMPLETE_VAR = "_IGBIB_COMPLETE"
#: The shells igbib completes in.
SHELLS = ("bash", "zsh", "fish")
#: Options of ``igbib`` itself that the Typer application handles.
_COMPLETION_OPTIONS = ("--install-completion", "--show-completion")


def main(argv: list[str] | None = None) -> None:
    """The ``igbib`` console script."""
    sys.exit(execute(sys.argv[1:] if argv is None else argv))


def execute(args: list[str]) -> int:
    """Run one command line and return its exit code."""
    args = list(args)
    if os.environ.get(COMPLETE_VAR):
        return _typer(args)
    try:
        name, values = parse(args)
    except HelpRequested as request:
        _print_help(request.args[0] if request.args else None)
        return EXIT_OK
    except UsageError as err:
        output.error(str(err))
        return err.exit_code
    if name == "--version":
        from igbib import __version__

        print(f"igbib {__version__}")
        return EXIT_OK
    if name in _COMPLETION_OPTIONS:
        return _completion_script(name, values.get("shell"))
    return dispatch(name, values, args)


def parse(args: list[str]) -> tuple[str, dict]:
    """``(command, values)`` for a command line.

    The command is ``--version``, ``--install-completion`` or ``--show-completion``
    when igbib itself was given that option (with no values).
    """
    db = None
    i = 0
    while i < len(args) and args[i].startswith("-"):
        arg = args[i]
        if arg == HELP:
            following = args[i + 1] if i + 1 < len(args) else None
            raise HelpRequested(following if following in NAMES else None)
        if arg == "--version":
            return arg, {}
        if arg.split("=")[0] in _COMPLETION_OPTIONS:
            return _completion_request(arg, args[i + 1 :])
        if arg == "--db" and i + 1 < len(args):
            db, i = args[i + 1], i + 2
            continue
        if arg.startswith("--db="):
            db, i = arg[5:], i + 1
            continue
        known = ["--db", "--version", HELP, *_COMPLETION_OPTIONS]
        if arg == "--db":
            raise UsageError("option --db needs a value (PATH)")
        owners = [n for n in NAMES if any(arg.split("=")[0] in o.flags for o in _options(n))]
        if owners:
            raise UsageError(
                f"{arg.split('=')[0]} is an option of igbib {owners[0]}"
                f"{' and others' if len(owners) > 1 else ''}: put it after the command's name"
            )
        hint = closest(arg, known)
        raise UsageError(
            f"no such option {arg!r} for igbib"
            + (f" (did you mean {hint!r}?)" if hint else "; see igbib --help")
        )
    if i == len(args):
        raise HelpRequested(None)
    name = args[i]
    if name not in NAMES:
        hint = closest(name, NAMES)
        raise UsageError(
            f"no such command {name!r}"
            + (f" (did you mean {hint!r}?)" if hint else "; see igbib --help for the commands")
        )
    values = parse_command(load(name).COMMAND, args[i + 1 :])
    if values.get("db") is None and db is not None:
        values["db"] = db
    return name, values


def _completion_request(arg: str, rest: list[str]) -> tuple[str, dict]:
    option, _, shell = arg.partition("=")
    extra = rest if shell else rest[1:]
    shell = shell or (rest[0] if rest else "")
    if extra:
        raise UsageError(f"unexpected argument {extra[0]!r} ({option} takes a shell's name)")
    if shell and shell not in SHELLS:
        raise UsageError(f"option {option} takes one of {', '.join(SHELLS)}, not {shell!r}")
    return option, {"shell": shell or None}


def _completion_script(option: str, shell: str | None) -> int:
    """Print or install the completion script of ``shell`` (default: the shell igbib runs in)."""
    from typer.completion import get_completion_script, install

    if shell is None:
        from shellingham import ShellDetectionFailure, detect_shell

        try:
            shell = detect_shell()[0]
        except ShellDetectionFailure:
            message = f"cannot tell which shell this is: name it, as in {option} bash"
            raise UsageError(message) from None
    if shell not in SHELLS:
        raise UsageError(f"no completion for the shell {shell!r}; igbib has {', '.join(SHELLS)}")
    if option == "--show-completion":
        print(get_completion_script(prog_name="igbib", complete_var=COMPLETE_VAR, shell=shell))
        return EXIT_OK
    shell, path = install(shell=shell, prog_name="igbib", complete_var=COMPLETE_VAR)
    print(f"{shell} completion installed in {path}; it works in shells started from now on")
    return EXIT_OK


def _options(name: str):
    return load(name).COMMAND.options


def dispatch(name: str, values: dict, args: list[str] | None = None) -> int:
    """Run command ``name`` with parsed ``values``, and map what happened to an exit code.

    A command returns the report of what it did, or None; a report with problems
    (ids or entries that were invalid, not found or failed) exits 1, and igbib's
    errors exit with their own codes.
    """
    import sqlite3

    from igbib.store import Library

    Library.command, before = (name, _command_line(name, args)), Library.command
    Library.saved = []
    try:
        report = load(name).run(**values)
        return EXIT_ERROR if report is not None and report.problems else EXIT_OK
    except IgbibError as err:
        output.error(str(err))
        return err.exit_code
    except sqlite3.DatabaseError as exc:
        output.error(f"the library cannot be read: {exc}")
        return EXIT_LIBRARY
    except KeyboardInterrupt:
        from igbib.cli.common import interrupted

        output.error(interrupted(Library.saved))
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `igbib list | head`: the reader left; not an error.
        _silence_stdout()
        return EXIT_OK
    except OSError as exc:
        from igbib.cli.common import output_failed

        if not _output_failure(exc):
            raise
        _silence_stdout()
        output.error(output_failed(exc, Library.saved))
        return EXIT_ERROR
    finally:
        Library.command = before  # for a program running commands in its own process


def _output_failure(exc: OSError) -> bool:
    """Whether ``exc`` is standard output failing (a full disk, an I/O error): igbib
    names the files it fails to read or write itself, so a write error without a file
    name that reaches here is standard output's."""
    import errno

    failures = {errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT, errno.EROFS}
    return exc.filename is None and exc.errno in failures


def _silence_stdout() -> None:
    """Point standard output at the null device, so exiting flushes nothing that fails."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _command_line(name: str, args: list[str] | None) -> str:
    """The command line as the history records it."""
    import shlex

    return shlex.join(["igbib", *(args if args is not None else [name])])


def _print_help(name: str | None) -> None:
    from igbib.cli import help

    if name is None:
        sys.stdout.write(help.root_help([load(n).COMMAND for n in NAMES]))
    else:
        sys.stdout.write(help.command_help(load(name).COMMAND))


def _typer(args: list[str]) -> int:
    """Shell completion, by the Typer application built from the same declarations."""
    from igbib.cli.app import build_app

    try:
        build_app()(args=args, prog_name="igbib")
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return EXIT_OK


__all__ = ["dispatch", "execute", "main", "parse"]
