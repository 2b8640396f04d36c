"""``horchposten secrets …``: store a source's credential encrypted, and rotate the key."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import click

from horchposten.cli.workspace import Workspace
from horchposten.errors import InputError
from horchposten.plugins import plugins
from horchposten.privacy.audit import cli_actor, record
from horchposten.privacy.secrets import (
    KEY_ENV,
    SecretKey,
    encrypt,
    is_encrypted,
    key_path,
    load_key,
    new_key,
    reencrypt,
    stage_key,
)
from horchposten.sources.credentials import credentials_of
from horchposten.store.sources import get_source, list_sources, set_settings


@click.group("secrets")
def secrets_group() -> None:
    """Credentials stored encrypted in the database, and the key they are encrypted with.

    Example: horchposten secrets set reddit-de client_secret
    """


@secrets_group.command("set")
@click.argument("source")
@click.argument("setting")
@click.pass_obj
def secrets_set(workspace: Workspace, source: str, setting: str) -> None:
    """Store a credential of SOURCE encrypted; the value is asked for (or read from stdin).

    The key comes from HORCHPOSTEN_SECRET_KEY, else from horchposten.key beside the
    config file, which is made (readable by you only) the first time.

    Example: echo "$SECRET" | horchposten secrets set reddit-de client_secret
    """
    with workspace.database.begin() as conn:
        found = get_source(conn, source)
    names = [c.setting for c in credentials_of(plugins().source_factory(found.kind))]
    if setting not in names:
        raise InputError(
            f"'{setting}' is not a credential of the {found.kind} source '{source}'; "
            f"it has: {', '.join(names) or 'none'}."
        )
    value = click.prompt(f"{setting} of {source}", hide_input=True, err=True).strip()
    if not value:
        raise InputError(f"The {setting} is empty; nothing was stored.")
    key = load_key(workspace.settings.base_dir, os.environ, create=True)
    with workspace.database.begin() as conn:
        settings = dict(get_source(conn, source).settings)
        settings[setting] = encrypt(key, value)
        set_settings(conn, source, settings)
        record(
            conn, cli_actor(), "change-source", source, {"secret": setting}, now=datetime.now(UTC)
        )
    workspace.console.print(
        f"Stored the {setting} of '{source}' encrypted (key from {key.origin})."
    )


@secrets_group.command("rotate")
@click.pass_obj
def secrets_rotate(workspace: Workspace) -> None:
    """Encrypt every stored credential again under a new key.

    With a key file, the file is replaced once all are re-encrypted. With
    HORCHPOSTEN_SECRET_KEY, the new key is printed once: set the variable to it.

    Example: horchposten secrets rotate
    """
    old = load_key(workspace.settings.base_dir, os.environ, create=True)
    path = key_path(workspace.settings.base_dir)
    fresh = new_key()
    staged = None if old.origin == KEY_ENV else stage_key(path, fresh)
    moved = 0
    try:
        with workspace.database.begin() as conn:
            for source in list_sources(conn):
                if any(is_encrypted(v) for v in source.settings.values()):
                    new = SecretKey(fresh, "the new key")
                    changed = reencrypt(old, new, source.settings, f"source '{source.name}'")
                    set_settings(conn, source.name, changed)
                    moved += sum(is_encrypted(v) for v in changed.values())
            record(
                conn, cli_actor(), "rotate-secrets", "", {"values": moved}, now=datetime.now(UTC)
            )
    except BaseException:
        if staged is not None:
            staged.unlink(missing_ok=True)  # the old key still opens every value
        raise
    if staged is not None:
        staged.replace(path)
        workspace.console.print(f"Re-encrypted {moved} credentials; the new key is in {path}.")
        return
    workspace.console.print(
        f"Re-encrypted {moved} credentials. Set {KEY_ENV} to the new key now; the old one "
        f"no longer opens them:"
    )
    click.echo(fresh.decode())


def register(cli: click.Group) -> None:
    cli.add_command(secrets_group)
