"""The app ``horchposten serve`` runs, built from the environment in each server worker.

Uvicorn starts every worker process by importing ``app_from_environment`` (an
import string, since an app object cannot be handed to another process); the
command passes the workspace's config file in ``HORCHPOSTEN_CONFIG``.
"""

from __future__ import annotations

from fastapi import FastAPI

from horchposten.config import find_config, load_settings
from horchposten.store.database import open_database
from horchposten.web.app import create_app

FACTORY = "horchposten.web.server:app_from_environment"


def app_from_environment() -> FastAPI:
    """API and UI for the workspace named by $HORCHPOSTEN_CONFIG (or ./horchposten.toml)."""
    settings = load_settings(find_config())
    database = open_database(settings.database_url)
    return create_app(database, settings, close_database=True)
