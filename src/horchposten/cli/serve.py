"""``horchposten serve`` and ``horchposten token create``: the web UI, the REST API, tokens."""

from __future__ import annotations

import os

import click
from rich.table import Table
from sqlalchemy import func, select

from horchposten.cli.output import when
from horchposten.cli.workspace import Workspace
from horchposten.store.schema import users
from horchposten.store.tokens import SCOPES, create_token, list_tokens, revoke_token


def announce(workspace: Workspace, host: str, port: int) -> None:
    shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
    base = f"http://{shown}:{port}"
    workspace.console.print(
        f"Serving the web UI at {base}/ and the API at {base}/api/v1 (Ctrl-C stops)."
    )
    with workspace.database.begin() as conn:
        if not conn.execute(select(func.count()).select_from(users)).scalar_one():
            workspace.console.print(
                "No users yet: create the first admin with 'horchposten user add NAME --admin'."
            )


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
@click.pass_obj
def serve_command(workspace: Workspace, host: str, port: int, workers: int) -> None:
    """Serve the web UI (/), the REST API (/api/v1, OpenAPI at /openapi.json) and webhooks.

    Put it behind a TLS proxy before exposing it beyond this machine.

    Example: horchposten serve --host 0.0.0.0 --port 8000 --workers 4
    """
    serve_workspace(workspace, host, port, workers)


def serve_workspace(workspace: Workspace, host: str, port: int, workers: int = 1) -> None:
    """Run uvicorn over the workspace's app until Ctrl-C (also used by ``demo``)."""
    # Imported here: the web stack costs every other command's start-up ~0.3 s.
    import uvicorn

    from horchposten.web.server import FACTORY

    announce(workspace, host, port)  # opens (and migrates) the database once, before the workers
    # Every worker builds the app from this config file (see web/server.py).
    os.environ["HORCHPOSTEN_CONFIG"] = str(workspace.config_path)
    uvicorn.run(FACTORY, factory=True, host=host, port=port, workers=workers, log_level="warning")


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
