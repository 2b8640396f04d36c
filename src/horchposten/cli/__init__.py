"""The ``horchposten`` command: thin commands over the library.

Each command parses its arguments, calls one library function and prints the
result. A HorchpostenError becomes its message on stderr and a non-zero exit.
"""

from __future__ import annotations

import logging
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from horchposten import __version__
from horchposten.cli import (
    enrich,
    find,
    ingest,
    privacy,
    query,
    secrets,
    serve,
    setup,
    sources,
    topics,
    users,
)
from horchposten.cli.workspace import Workspace
from horchposten.errors import HorchpostenError, QueryError
from horchposten.plugins import plugins


class HorchpostenGroup(click.Group):
    """Turns our errors into a clean message and exit code, never a traceback.

    Plugin commands are added at lookup, not at import time.
    """

    def _add_plugin_commands(self) -> None:
        plugins().manager.hook.register_commands(cli=self)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._add_plugin_commands()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._add_plugin_commands()
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except HorchpostenError as exc:
            errors = Console(stderr=True, soft_wrap=True, highlight=False)
            # Messages quote settings and installs ("horchposten[accurate]"), not markup.
            errors.print(f"[bold red]Error:[/] {escape(str(exc))}")
            if isinstance(exc, QueryError):
                errors.print(exc.pointer(), markup=False)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            Console(stderr=True, soft_wrap=True).print(
                "Interrupted. Every batch stored before the interruption is kept; run the "
                "command again to continue (what is already stored is skipped as duplicate).",
                highlight=False,
            )
            ctx.exit(130)


@click.group(cls=HorchpostenGroup)
@click.option(
    "--config",
    "config_path",
    envvar="HORCHPOSTEN_CONFIG",
    type=click.Path(dir_okay=False),
    help="Workspace config file (default: ./horchposten.toml).",
)
@click.option("-v", "--verbose", count=True, help="Log more (-v info, -vv debug).")
@click.version_option(__version__, prog_name="horchposten")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, verbose: int) -> None:
    """Horchposten: listen to public conversations about your brand.

    Example: horchposten demo
    """
    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    # httpx logs every request URL, API keys in query strings included; ours are masked.
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    workspace = Workspace(config_path, Console(highlight=False, soft_wrap=True))
    ctx.obj = workspace
    ctx.call_on_close(workspace.close)
    for failure in plugins().load_failures:
        workspace.console.print(
            f"[yellow]Warning:[/] the plugin '{failure.plugin}' failed to load and is "
            f"switched off: {failure.error}"
        )


for module in (setup, topics, query, ingest, sources, secrets, find, enrich, serve, users, privacy):
    module.register(cli)


def main() -> None:
    cli()
