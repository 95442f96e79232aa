"""The ``goldenhour`` Typer root: one sub-app per noun, each imported when it runs.

Every noun's module pulls in what its commands need (SQLAlchemy, FastAPI, OR-Tools, ReportLab,
protobuf...); importing them all took about a second before any command started. The root knows
each noun by name and one line of help, so ``goldenhour --help`` imports none of them, and
``goldenhour cot decode`` imports only what the ``cot`` commands need.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from goldenhour import __version__
from goldenhour.cli.output import print_error
from goldenhour.domain.errors import GoldenHourError

#: Exit code for input the core refused (a bad 9-line, MGRS reference, event...).
EXIT_BAD_INPUT = 2


@dataclass(frozen=True)
class Noun:
    """A command or group of commands whose module is imported only when it runs.

    ``summary`` is the line ``goldenhour --help`` shows; it is the group's help or the
    command's docstring, word for word (tests/unit/cli/test_cli_startup.py checks).
    """

    module: str
    attribute: str
    summary: str
    context_settings: dict[str, Any] = field(default_factory=dict)

    #: The package holding ``module``: the CLI's own, or the benches' (goldenhour.bench), which
    #: the product never imports but for this, when ``goldenhour bench`` runs.
    package: str = "goldenhour.cli"

    def load(self, name: str) -> typer.Typer:
        """Import the module and return a Typer holding this noun's command or commands.

        The Typer is made once per process (a test runs the CLI many times in one).
        """
        if name not in _LOADED:
            module = importlib.import_module(f"{self.package}.{self.module}")
            found = getattr(module, self.attribute)
            if not isinstance(found, typer.Typer):
                found = typer.Typer(add_completion=False)
                found.command(name=name, context_settings=self.context_settings or None)(
                    getattr(module, self.attribute)
                )
            _LOADED[name] = found
        return _LOADED[name]


#: The nouns imported so far, by name.
_LOADED: dict[str, typer.Typer] = {}

#: Single commands, listed before the eager ones (``version``), as Typer lists commands.
COMMANDS: dict[str, Noun] = {
    "mgrs": Noun(
        "mgrs",
        "mgrs_command",
        "Convert LAT LON to an MGRS reference, or an MGRS reference to LAT LON of its centre.",
        {"ignore_unknown_options": True},
    ),
    "plan": Noun(
        "plan",
        "plan_command",
        "Print what each idle vehicle should do now, its expected survival gain and why.",
    ),
    "demo": Noun(
        "demo",
        "demo_command",
        "Print the demo casualty's card, tourniquet clock, 9-line and MIST (Bilohorivka, 2022).",
    ),
    "serve": Noun("serve", "serve_command", "Run the Golden Hour server (FastAPI on uvicorn)."),
}

#: Groups of commands, listed after the single commands, as Typer lists sub-apps.
GROUPS: dict[str, Noun] = {
    "nineline": Noun(
        "nineline", "nineline_app", "Read, check and normalise 9-line MEDEVAC requests."
    ),
    "card": Noun("card", "card_app", "Casualty cards derived from their event history."),
    "bench": Noun(
        "commands",
        "bench_app",
        "Compare evacuation policies on a scenario by seeded simulation.",
        package="goldenhour.bench",
    ),
    "db": Noun("db", "db_app", "The database: schema upgrades and projection rebuilds."),
    "users": Noun("users", "users_app", "User accounts: each has a role and a unit."),
    "node": Noun(
        "node",
        "node_app",
        "Forward and rear nodes: the record carried across cut links over NATS JetStream.",
    ),
    "audit": Noun(
        "audit", "audit_app", "The audit chain of every read and write of a casualty record."
    ),
    "registry": Noun(
        "registry",
        "registry_app",
        "The trauma registry: its figures and its de-identified export (docs/registry.md).",
    ),
    "cot": Noun(
        "cot",
        "cot_app",
        "Read and write TAK Cursor-on-Target events (CoT XML and TAK Protocol v1).",
    ),
    "compact": Noun(
        "compact",
        "compact_app",
        "Compact 9-line + MIST messages for mesh radio (binary) and SMS (text).",
    ),
    "fhir": Noun(
        "fhir",
        "fhir_app",
        "FHIR R4 handoff: export a casualty's card as a transaction Bundle, import one back.",
    ),
    "survival": Noun(
        "survival",
        "survival_app",
        "Fit the planner's survival models from recorded outcomes and times.",
    ),
    "tak": Noun(
        "tak",
        "tak_app",
        "Bridge Golden Hour and a TAK server (ATAK, WinTAK, iTAK) over Cursor-on-Target XML.",
    ),
}


class _Unloaded(TyperCommand):
    """Stands for a noun not imported yet: its name and summary are all the root's help needs."""

    def __init__(self, name: str, noun: Noun) -> None:
        super().__init__(name=name, help=noun.summary)
        self.noun = noun


class LazyGroup(TyperGroup):
    """The root group: a noun's module is imported when the noun is looked up to run.

    While the root prints its own help, a noun not yet imported answers with its summary.
    """

    def __init__(self, *, commands: dict[str, Any] | None = None, **attrs: Any) -> None:
        listed: dict[str, Any] = {name: _Unloaded(name, noun) for name, noun in COMMANDS.items()}
        listed.update(commands or {})
        listed.update({name: _Unloaded(name, noun) for name, noun in GROUPS.items()})
        super().__init__(commands=listed, **attrs)
        self._listing_help = False

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """Return the command named ``cmd_name``, importing its module unless help is listing."""
        command = self.commands.get(cmd_name)
        if isinstance(command, _Unloaded) and not self._listing_help:
            loaded = command.noun.load(cmd_name)
            if cmd_name in GROUPS:
                command = typer.main.get_group(loaded)
                command.name = cmd_name
            else:
                command = typer.main.get_command(loaded)
            self.commands[cmd_name] = command
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """Print the root's help from the nouns' summaries, importing none of them."""
        self._listing_help = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing_help = False


app = typer.Typer(
    name="goldenhour",
    help="Golden Hour: casualty cards, 9-line MEDEVAC, MIST, MGRS and triage.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=LazyGroup,
)


@app.callback()
def _root() -> None:
    # Typer makes a group only for an app with a callback or several registered commands; the
    # root registers one (``version``) and lists the lazy nouns itself, so it has a callback.
    pass


@app.command()
def version(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the Golden Hour version."""
    if as_json:
        sys.stdout.write(json.dumps({"version": __version__}) + "\n")
    else:
        sys.stdout.write(f"goldenhour {__version__}\n")


def run(argv: Sequence[str] | None = None) -> None:
    """Run the CLI on ``argv`` (the command line when None), turning Golden Hour errors into a
    message and exit code 2.

    Click itself reports usage errors (exit 2) and honours ``typer.Exit``; the core's errors
    pass through it and are reported here, once, with the field that was wrong.
    """
    try:
        app(None if argv is None else list(argv), prog_name="goldenhour")
    except GoldenHourError as error:
        print_error(str(error))
        sys.exit(EXIT_BAD_INPUT)
