"""The rollups of a CLI workspace, as stored and as a recount says they must be."""

from __future__ import annotations

from conftest import Cli
from horchposten.config import load_settings
from horchposten.store.database import open_database
from recount import Rollups, recounted_rollups, stored_rollups


def workspace_rollups(workspace: Cli) -> tuple[Rollups, Rollups]:
    """The stored rollups and what a recount of the stored posts says they must be."""
    database = open_database(load_settings(workspace.config).database_url)
    try:
        return stored_rollups(database), recounted_rollups(database)
    finally:
        database.close()
