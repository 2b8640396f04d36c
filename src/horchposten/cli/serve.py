"""``horchposten serve`` and ``horchposten token create``: the web UI, the REST API, tokens."""

from __future__ import annotations

import copy
import logging.config
import os
import socket
from collections.abc import Callable
from typing import Any

import click
from rich.table import Table
from sqlalchemy import func, select

from horchposten.cli.output import when
from horchposten.cli.workspace import Workspace
from horchposten.store.schema import users
from horchposten.store.tokens import SCOPES, create_token, list_tokens, revoke_token
from horchposten.web.listen import bind


def announce(workspace: Workspace, host: str, port: int) -> None:
    base = base_url(host, port)
    workspace.console.print(
        f"Serving the web UI at {base}/ and the API at {base}/api/v1 (Ctrl-C stops)."
    )
    with workspace.database.begin() as conn:
        if not conn.execute(select(func.count()).select_from(users)).scalar_one():
            workspace.console.print(
                "No users yet: create the first admin with 'horchposten user add NAME --admin'."
            )


def base_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes; each opens its own database connections.",
)
@click.option(
    "--no-ingest",
    is_flag=True,
    help="Serve only: no source scheduler in this command (for extra web servers).",
)
@click.pass_obj
def serve_command(
    workspace: Workspace, host: str, port: int, workers: int, no_ingest: bool
) -> None:
    """Run the product: web UI (/), REST API (/api/v1), webhooks and the source scheduler.

    The scheduler fetches every enabled source each pipeline.poll_interval seconds,
    like 'run --follow', in the same process; with several --workers only one of
    them runs it. Ctrl-C or SIGTERM stops after the batch being stored; a second
    one stops at once and says which sources' batches will be fetched again.
    Put it behind a TLS proxy before exposing it beyond this machine.

    Example: horchposten serve --host 0.0.0.0 --port 8000 --workers 4
    """
    sock = bind(host, port)
    serve_workspace(workspace, sock, workers, ingest=not no_ingest)


def serve_workspace(
    workspace: Workspace,
    sock: socket.socket,
    workers: int = 1,
    *,
    ingest: bool = True,
    on_ready: Callable[[], None] | None = None,
) -> None:
    """Serve the workspace on a bound socket until stopped (also used by ``demo``).

    ``on_ready`` runs once the server listens, after the start-up log.
    """
    # Imported here: the web stack costs every other command's start-up ~0.3 s.
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from horchposten.web.server import FACTORY, NO_INGEST, Server, serving_app

    host, port = sock.getsockname()[:2]

    def ready() -> None:
        announce(workspace, host, port)
        if on_ready is not None:
            on_ready()

    log_config = serve_log_config()
    logging.config.dictConfig(log_config)
    common: dict[str, Any] = {"log_config": log_config, "log_level": "warning"}
    if workers > 1:
        # Every worker builds the app from this config file (see web/server.py).
        os.environ["HORCHPOSTEN_CONFIG"] = str(workspace.config_path)
        os.environ[NO_INGEST] = "" if ingest else "1"
        config = uvicorn.Config(FACTORY, factory=True, workers=workers, **common)
        ready()  # migrates the database once, before the workers open it
        Multiprocess(config, sockets=[sock]).run()
        return
    app, collector = serving_app(workspace.settings, ingest=ingest)
    config = uvicorn.Config(app, **common)
    Server(config, collector, ready).run(sockets=[sock])


def serve_log_config() -> dict[str, Any]:
    """Uvicorn's logging plus our start-up and scheduler lines (in every worker process)."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["horchposten"] = {
        "handlers": ["default"],
        "level": "INFO",
        "propagate": False,
    }
    return config


@click.group("token")
def token_group() -> None:
    """API tokens for the REST API.

    Example: horchposten token create dashboard --scope read
    """


@token_group.command("create")
@click.argument("name")
@click.option("--scope", type=click.Choice(SCOPES), default="read", show_default=True)
@click.pass_obj
def token_create(workspace: Workspace, name: str, scope: str) -> None:
    """Create an API token; it is shown once, only its digest is stored.

    Example: horchposten token create dashboard --scope read
    """
    with workspace.database.begin() as conn:
        secret, _ = create_token(conn, name, scope)
    workspace.console.print(
        f"Created the {scope} token '{name}'. It is shown only now; keep it safe:"
    )
    click.echo(secret)


@token_group.command("list")
@click.pass_obj
def token_list(workspace: Workspace) -> None:
    """List API tokens (their secrets are not stored, so not shown).

    Example: horchposten token list
    """
    with workspace.database.begin() as conn:
        tokens = list_tokens(conn)
    if not tokens:
        workspace.console.print("No API tokens yet. Create one with: horchposten token create NAME")
        return
    table = Table("Id", "Name", "Scope", "Created", "Last used")
    for token in tokens:
        created, last = when(token.created_at), when(token.last_used_at)
        table.add_row(str(token.id), token.name, token.scope, created, last)
    workspace.console.print(table)


@token_group.command("revoke")
@click.argument("token_id", type=int)
@click.pass_obj
def token_revoke(workspace: Workspace, token_id: int) -> None:
    """Revoke an API token by its id (see 'token list'); requests with it get 401 at once.

    Example: horchposten token revoke 3
    """
    with workspace.database.begin() as conn:
        revoke_token(conn, token_id)
    workspace.console.print(f"Revoked the API token {token_id}.")


def register(cli: click.Group) -> None:
    cli.add_command(serve_command)
    cli.add_command(token_group)
