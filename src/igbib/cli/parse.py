"""The strict command-line parser: argv and a command's declaration in, values out.

Every igbib command line goes through :func:`parse_command`. Anything it does
not understand is a :class:`~igbib.errors.UsageError` (exit 2) naming the
option and the closest valid one, raised before anything is read or written.
It follows click's conventions, so the Typer application built from the same
declarations (``--help``, completion) describes exactly what is accepted:
options anywhere among the arguments, ``--opt value`` and ``--opt=value``,
``-o value`` and ``-ovalue``, repeated options for lists, ``--`` ending the
options.

Search words are the one liberty: ``-breast`` excludes a word, so a word of a
query that starts with a single ``-``, is longer than one letter and is not a
short option of the command is a word (``-x`` is an unknown option). A word
starting with ``--`` must be an option, unless it follows ``--``.
"""

from __future__ import annotations

from igbib.cli.spec import Argument, Command, Option
from igbib.errors import UsageError

HELP = "--help"


class HelpRequested(Exception):
    """``--help`` was given: the caller shows the help of this command."""


def parse_command(command: Command, args: list[str]) -> dict:
    """The values of ``command``'s parameters, by destination name."""
    by_flag = {flag: opt for opt in command.options for flag in opt.flags}
    values: dict = {opt.dest: _copy(opt.default) for opt in command.options}
    positionals: list[str] = []
    words_arg = next((a for a in command.arguments if a.words), None)
    i, only_positionals = 0, False
    while i < len(args):
        arg = args[i]
        i += 1
        if only_positionals or arg == "-" or not arg.startswith("-"):
            positionals.append(arg)
            continue
        if arg == "--":
            only_positionals = True
            continue
        if arg == HELP:
            raise HelpRequested(command.name)
        name, inline = _split(arg, by_flag)
        option = by_flag.get(name)
        if option is None:
            if words_arg is not None and not arg.startswith("--") and len(arg) > 2:
                positionals.append(arg)  # an excluded search word: -breast
                continue
            raise UsageError(_unknown(command, name))
        if not option.takes_value:
            if inline is not None:
                raise UsageError(f"option {option.name} takes no value (got {arg!r})")
            values[option.dest] = True
            continue
        if inline is None:
            if i >= len(args) or args[i] in by_flag or args[i] == HELP:
                # another option where the value should be: ``--section --db x``
                raise UsageError(f"option {name} needs a value ({option.metavar})")
            inline = args[i]
            i += 1
        value = convert(option, inline)
        if option.multiple:
            values[option.dest].append(value)
        else:
            values[option.dest] = value
    values.update(_assign(command, positionals))
    return values


def convert(option: Option, text: str):
    """``text`` as the value of ``option``, or a UsageError saying why it cannot be."""
    if not text.strip():
        raise UsageError(f"option {option.name} needs a value ({option.metavar}), not {text!r}")
    if option.check is not None:
        from igbib.errors import IgbibError

        try:
            option.check(text)
        except IgbibError as err:
            raise UsageError(f"option {option.name}: {err}") from None
    if option.kind is int:
        try:
            value = int(text)
        except ValueError:
            raise UsageError(f"option {option.name} needs a whole number, not {text!r}") from None
        if option.minimum is not None and value < option.minimum:
            raise UsageError(f"option {option.name} must be at least {option.minimum}, not {value}")
        if option.maximum is not None and value > option.maximum:
            raise UsageError(f"option {option.name} must be at most {option.maximum}, not {value}")
        return value
    if option.choices is not None:
        choices = option.choices()
        if text not in choices:
            hint = closest(text, choices)
            raise UsageError(
                f"option {option.name} must be one of {', '.join(choices)}, not {text!r}"
                + (f" (did you mean {hint!r}?)" if hint else "")
            )
    return text


def _split(arg: str, by_flag: dict[str, Option]) -> tuple[str, str | None]:
    """The option name and its attached value: ``--format=md``, ``-fmd``."""
    if arg.startswith("--"):
        name, sep, value = arg.partition("=")
        return name, (value if sep else None)
    short = arg[:2]
    if len(arg) > 2 and short in by_flag and by_flag[short].takes_value:
        return short, arg[2:]
    return arg, None


def _assign(command: Command, positionals: list[str]) -> dict:
    values: dict = {}
    rest = list(positionals)
    for argument in command.arguments:
        if argument.many:
            values[argument.dest], rest = rest, []
        elif rest:
            values[argument.dest] = rest.pop(0)
        else:
            values[argument.dest] = None
        if argument.required and not values[argument.dest]:
            raise UsageError(f"missing {argument.metavar}: {_required_hint(argument)}")
    if rest:
        usage = " ".join(
            f"[{a.metavar}]" if not a.required else a.metavar for a in command.arguments
        )
        takes = f"usage: igbib {command.name} {usage}" if usage else "takes no arguments"
        if not usage:
            takes = f"igbib {command.name} {takes}"
        raise UsageError(f"unexpected argument {rest[0]!r} ({takes})")
    return values


def _required_hint(argument: Argument) -> str:
    return argument.help[0].lower() + argument.help[1:].rstrip(".")


def _unknown(command: Command, name: str) -> str:
    long = not name.startswith("--")
    flags = [f for opt in command.options for f in opt.flags if f.startswith("--") != long]
    hint = closest(name, [*flags, HELP] if not long else flags)
    message = f"no such option {name!r} for igbib {command.name}"
    return message + (
        f" (did you mean {hint!r}?)" if hint else f"; see igbib {command.name} --help"
    )


def closest(text: str, candidates) -> str | None:
    """The candidate most like ``text``, if any is close: for "did you mean" hints."""
    from difflib import get_close_matches

    found = get_close_matches(text, list(candidates), n=1, cutoff=0.6)
    return found[0] if found else None


def _copy(value):
    return list(value) if isinstance(value, list) else value
