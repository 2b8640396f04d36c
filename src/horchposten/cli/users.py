"""``horchposten user …``: people who sign in to the web UI, and their roles."""

from __future__ import annotations

import os

import click
from rich.table import Table

from horchposten.cli.output import when
from horchposten.cli.workspace import Workspace
from horchposten.errors import InputError
from horchposten.store.sessions import end_sessions_of
from horchposten.store.users import ROLES, add_user, get_user, list_users, remove_user, set_password

PASSWORD_VARIABLE = "HORCHPOSTEN_PASSWORD"


def _password() -> str:
    """From $HORCHPOSTEN_PASSWORD (for scripts), else asked twice without echo."""
    given = os.environ.get(PASSWORD_VARIABLE)
    if given:
        return given
    try:
        entered: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    except click.Abort:
        raise InputError(
            f"No password given. Type it when asked, or set {PASSWORD_VARIABLE} for scripts."
        ) from None
    return entered


@click.group("user")
def user_group() -> None:
    """Users of the web UI and their roles (viewer, responder, analyst, admin).

    Example: horchposten user add anna --admin
    """


@user_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True)
@click.option("--admin", is_flag=True, help="Shorthand for --role admin.")
@click.pass_obj
def user_add(workspace: Workspace, name: str, role: str, admin: bool) -> None:
    """Add a user; the password is asked for (never echoed) or read from $HORCHPOSTEN_PASSWORD.

    Example: horchposten user add anna --admin
    """
    chosen = "admin" if admin else role
    password = _password()
    with workspace.database.begin() as conn:
        add_user(conn, name, password, chosen)
    workspace.console.print(f"Added the {chosen} '{name}'. Sign in at http://HOST:PORT/signin")


@user_group.command("list")
@click.pass_obj
def user_list(workspace: Workspace) -> None:
    """List users with their role, language and last sign-in.

    Example: horchposten user list
    """
    with workspace.database.begin() as conn:
        users = list_users(conn)
    if not users:
        workspace.console.print(
            "No users yet. Add the first admin: horchposten user add NAME --admin"
        )
        return
    table = Table("User", "Role", "Language", "Last sign-in")
    for user in users:
        table.add_row(user.name, user.role, user.locale or "browser", when(user.last_login_at))
    workspace.console.print(table)


@user_group.command("remove")
@click.argument("name")
@click.pass_obj
def user_remove(workspace: Workspace, name: str) -> None:
    """Remove a user and end their sessions; the last admin stays.

    Example: horchposten user remove anna
    """
    with workspace.database.begin() as conn:
        remove_user(conn, name)
    workspace.console.print(f"Removed '{name}'.")


@user_group.command("passwd")
@click.argument("name")
@click.pass_obj
def user_passwd(workspace: Workspace, name: str) -> None:
    """Set a new password (asked for, or $HORCHPOSTEN_PASSWORD); signs the user out everywhere.

    Example: horchposten user passwd anna
    """
    password = _password()
    with workspace.database.begin() as conn:
        set_password(conn, name, password)
        end_sessions_of(conn, get_user(conn, name).id)
    workspace.console.print(f"Changed the password of '{name}' and ended their sessions.")


def register(cli: click.Group) -> None:
    cli.add_command(user_group)
