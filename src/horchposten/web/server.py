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
from horchposten.web.ingest import router as ingest_router

FACTORY = "horchposten.web.server:app_from_environment"


def app_from_environment() -> FastAPI:
    """API, UI and webhooks for the workspace in $HORCHPOSTEN_CONFIG (or ./horchposten.toml)."""
    settings = load_settings(find_config())
    database = open_database(settings.database_url)
    app = create_app(database, settings, close_database=True)
    # Pushers are configured with /ingest/NAME: at the root, not under /api/v1.
    app.include_router(ingest_router)
    return app
