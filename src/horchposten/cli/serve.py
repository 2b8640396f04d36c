"""``horchposten serve`` and ``horchposten token create``: the REST API and its tokens."""

from __future__ import annotations

import click

from horchposten.cli.workspace import Workspace
from horchposten.store.tokens import SCOPES, create_token


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.pass_obj
def serve_command(workspace: Workspace, host: str, port: int) -> None:
    """Serve the REST API (/api/v1, OpenAPI at /openapi.json) and POST /ingest/NAME of webhooks.

    Example: horchposten serve --host 0.0.0.0 --port 8000
    """
    # Imported here: the web stack costs every other command's start-up ~0.3 s.
    import uvicorn

    from horchposten.web.app import create_app
    from horchposten.web.ingest import router as ingest_router

    app = create_app(workspace.database, workspace.settings)
    app.include_router(ingest_router)  # pushes to webhook sources, at /ingest/NAME
    workspace.console.print(f"Serving the API at http://{host}:{port}/api/v1 (Ctrl-C stops).")
    uvicorn.run(app, host=host, port=port, log_level="warning")


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


def register(cli: click.Group) -> None:
    cli.add_command(serve_command)
    cli.add_command(token_group)
