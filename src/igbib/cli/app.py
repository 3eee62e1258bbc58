"""The Typer application, built from the commands' declarations.

It renders ``--help`` and answers shell completion (``igbib --install-completion``
installs it for bash, zsh or fish). Its commands run the same code as the
command line (:func:`igbib.cli.dispatch`), so it can also be used on its own.
"""

from __future__ import annotations

import inspect
from typing import Annotated, Optional

import typer

from igbib import __version__
from igbib.cli import complete, dispatch
from igbib.cli.commands import NAMES, load
from igbib.cli.spec import DB, Argument, Command, Option

HELP = "A bibliography manager for imaging genetics (radiogenomics) research."


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="igbib",
        help=HELP,
        no_args_is_help=True,
        add_completion=True,
        rich_markup_mode="rich",
        pretty_exceptions_show_locals=False,
    )
    app.callback()(_root)
    for name in NAMES:
        command = load(name).COMMAND
        settings = {"ignore_unknown_options": any(a.words for a in command.arguments)}
        app.command(name, help=_help(command), context_settings=settings)(_function(command))
    return app


def _root(
    ctx: typer.Context,
    db: Annotated[Optional[str], _option(DB)] = None,  # noqa: UP045 - Typer on Python 3.10
    version: Annotated[
        bool,
        typer.Option("--version", callback=lambda v: _version(v), is_eager=True, metavar=""),
    ] = False,
) -> None:
    """Curate an imaging-genetics reading list: import, search and export it."""
    ctx.obj = {"db": db}


def _version(value: bool) -> None:
    if value:
        print(f"igbib {__version__}")
        raise typer.Exit()


def _help(command: Command) -> str:
    text = inspect.cleandoc(command.help)
    if command.example:
        text += f"\n\n[dim]Example: {command.example}[/dim]"
    return text


def _function(command: Command):
    """A function whose signature Typer reads as ``command``'s parameters."""

    def run(ctx: typer.Context, **values) -> None:
        if values.get("db") is None:
            values["db"] = (ctx.obj or {}).get("db")
        for param in command.params:
            if values.get(param.dest) is None and isinstance(param.default, list):
                values[param.dest] = []
        code = dispatch(command.name, values)
        if code:
            raise typer.Exit(code)

    ctx = inspect.Parameter(
        "ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context
    )
    parameters = [ctx]
    annotations = {"ctx": typer.Context}
    for param in command.params:
        annotation, default = _parameter(param)
        parameters.append(
            inspect.Parameter(
                param.dest, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
            )
        )
        annotations[param.dest] = annotation
    run.__signature__ = inspect.Signature(parameters)
    run.__annotations__ = annotations
    run.__name__ = command.name
    run.__doc__ = command.help
    return run


def _parameter(param: Argument | Option):
    if isinstance(param, Argument):
        kind = list[str] if param.many else str
        info = typer.Argument(
            help=param.help,
            metavar=param.metavar + ("..." if param.many else ""),
            show_default=False,
            autocompletion=complete.source(param.complete),
        )
        if param.required:
            return Annotated[kind, info], inspect.Parameter.empty
        return Annotated[Optional[kind], info], None  # noqa: UP045
    return Annotated[_type(param), _option(param)], (None if param.multiple else param.default)


def _type(option: Option):
    if option.kind is bool:
        return bool
    kind = list[option.kind] if option.multiple else option.kind
    return Optional[kind]  # noqa: UP045


def _option(option: Option):
    extra = {}
    if option.minimum is not None:
        extra["min"] = option.minimum
    if option.maximum is not None:
        extra["max"] = option.maximum
    return typer.Option(
        *option.flags,
        help=option.help,
        metavar=option.metavar,
        show_default=option.kind is not bool and option.default not in (None, []),
        autocompletion=complete.source(option.complete, option.choices or option.suggest),
        **extra,
    )
