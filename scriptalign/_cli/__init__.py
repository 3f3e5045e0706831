"""The command line: a thin typer layer over the library (private: import the library)."""

from __future__ import annotations

import sys
from typing import Any

import typer
import typer.main

from scriptalign.core.errors import ScriptalignError

app = typer.Typer(
    name="scriptalign",
    help="Turn a movie (video + subtitles + screenplay) into weakly-labelled data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from scriptalign import __version__

        print(f"scriptalign {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Turn a movie (video + subtitles + screenplay) into weakly-labelled data."""


def _flags_as_flags(command: Any) -> None:
    """Show on/off options as bare flags in --help (``--quiet``), not ``--quiet <bool>``."""
    for param in command.params:
        if getattr(param, "is_flag", False):  # typer ships its own copy of click's classes
            param.metavar = ""
    # --help is made per call, not kept in ``params``
    make_help = command.get_help_option

    def help_option(ctx: Any) -> Any:
        option = make_help(ctx)
        if option is not None:
            option.metavar = ""
        return option

    setattr(command, "get_help_option", help_option)  # noqa: B010 (an instance's method)
    for sub in getattr(command, "commands", {}).values():
        _flags_as_flags(sub)


def _register() -> None:
    # Each subcommand lives in its own module; importing it registers it on ``app``.
    # Heavy libraries (cv2, dlib, cvxpy) are imported inside the commands, not here.
    import importlib

    for name in ("align", "faces", "learn", "pipeline"):
        try:
            importlib.import_module(f"scriptalign._cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"scriptalign._cli.{name}":
                raise


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app; project errors become one stderr line and an exit code.

    Exit codes: 0 ok, 1 failed input, 2 usage error, 130 interrupted (Ctrl-C). Typer's
    standalone mode already maps usage errors to 2 and Ctrl-C to 130; our own errors
    pass through it untouched and are printed here.
    """
    _register()
    try:
        command = typer.main.get_command(app)
        _flags_as_flags(command)
        command.main(args=argv, prog_name="scriptalign", standalone_mode=True)
    except ScriptalignError as exc:
        print(f"scriptalign: error: {exc}", file=sys.stderr)
        raise SystemExit(exc.exit_code) from None
    except KeyboardInterrupt:
        print("scriptalign: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
    except BrokenPipeError:
        # `scriptalign align ... | head`: the reader went away; not an error of ours.
        sys.stderr.close()
        raise SystemExit(0) from None
    except OSError as exc:
        # A safety net: writers go through core.atomic, which names the path already; a
        # file error that slips past still gets one line naming its file.
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"scriptalign: error: {where}{exc.strerror or exc}", file=sys.stderr)
        raise SystemExit(1) from None
