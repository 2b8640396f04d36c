"""``horchposten init`` and ``demo``: make a workspace."""

from __future__ import annotations

from pathlib import Path

import click

from horchposten.cli.invocation import horchposten_command
from horchposten.cli.output import demo_summary, progress, sign_in_block
from horchposten.cli.serve import base_url, serve_workspace
from horchposten.cli.workspace import Workspace
from horchposten.config import default_config_text, load_settings
from horchposten.demo.admin import reset_demo_admin
from horchposten.demo.run import run_demo
from horchposten.errors import AlreadyExists
from horchposten.store.database import open_database
from horchposten.web.listen import bind_near, bound_port


@click.command("init")
@click.option(
    "--database-url",
    default="sqlite:///horchposten.db",
    show_default=True,
    help="SQLite file or postgresql://user@host/db.",
)
@click.pass_obj
def init_command(workspace: Workspace, database_url: str) -> None:
    """Create the config file (TOML) and the database of a new workspace.

    Example: horchposten init --database-url postgresql://listener@localhost/horchposten
    """
    path = workspace.config_path
    if path.exists():
        raise AlreadyExists(
            f"{path} already exists. Edit it, or pass --config with another file name."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(default_config_text(database_url), encoding="utf-8")
    try:
        settings = load_settings(path)
        open_database(settings.database_url).close()
    except Exception:
        path.unlink()  # leave no half-made workspace behind
        raise
    workspace.console.print(
        f"Created {path} and the database at {settings.database.url}.\n"
        f"Next: horchposten topic add NAME --query '…', then horchposten import FILE "
        f"or horchposten source add feeds NAME --url URL."
    )


@click.command("demo")
@click.option(
    "--dir",
    "directory",
    default="horchposten-demo",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the demo workspace.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--no-serve", is_flag=True, help="Set up and print, but do not start the server.")
@click.pass_obj
def demo_command(
    workspace: Workspace, directory: Path, host: str, port: int, no_serve: bool
) -> None:
    """Set up a demo workspace with bundled data, run the pipeline, and serve the web UI.

    Works offline. Running it again reuses the workspace and adds nothing twice;
    the demo admin 'demo' gets a new password each time, printed once.

    Example: horchposten demo --dir /tmp/horchposten-demo --port 8000
    """
    console = workspace.console
    sock = None if no_serve else bind_near(host, port)  # before the work: a busy port fails fast
    with progress(console, bytes_total=True) as bar:
        task = bar.add_task("Importing demo posts", total=None)
        result = run_demo(
            directory.resolve(), lambda done, total: bar.update(task, completed=done, total=total)
        )
    demo_summary(console, result)
    demo = Workspace(result.config, console)
    try:
        with demo.database.begin() as conn:
            name, password = reset_demo_admin(conn)
        if sock is None:
            command = f"{horchposten_command()} --config {result.config} serve"
            console.print(f"Serve it with: {command}", soft_wrap=True)
            sign_in_block(console, None, name, password)
            return
        bound = bound_port(sock)
        if port not in {0, bound}:
            console.print(f"Port {port} is in use, so the demo serves on port {bound} instead.")
        url = base_url(host, bound) + "/"
        serve_workspace(demo, sock, on_ready=lambda: sign_in_block(console, url, name, password))
    finally:
        demo.close()


def register(cli: click.Group) -> None:
    cli.add_command(init_command)
    cli.add_command(demo_command)
