"""Building a stored source: its settings checked, its credentials filled, its HTTP client."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel, ValidationError

from horchposten.config import Settings, config_error, resolve_secrets
from horchposten.plugins import plugins
from horchposten.privacy.secrets import load_key
from horchposten.sources.base import Source
from horchposten.sources.credentials import (
    credentials_of,
    fill_credentials,
    refuse_clear_text,
    remember_origins,
)
from horchposten.store.sources import SourceRecord


def validate_source_settings(
    kind: str,
    name: str,
    settings: dict[str, Any],
    configured: Mapping[str, Mapping[str, str]] | None = None,
    *,
    require_credentials: bool = True,
    config_dir: Path | None = None,
) -> BaseModel:
    """Check a source's settings against its kind, with its credentials filled in.

    Credentials come from ``{"$env": …}`` markers, their default variables or
    ``configured`` (the config file's ``[credentials]``); see ``credentials.py``.
    Encrypted ones are decrypted with the key of the workspace in ``config_dir``.
    """
    factory = plugins().source_factory(kind)
    filled, origins = fill_credentials(
        kind,
        settings,
        credentials_of(factory),
        os.environ,
        configured or {},
        require=require_credentials,
        secret_key=None if config_dir is None else lambda: load_key(config_dir, os.environ),
    )
    try:
        model = factory.settings_model.model_validate(resolve_secrets(filled, os.environ))
    except ValidationError as exc:
        raise config_error(exc, f"source '{name}'") from None
    remember_origins(model, origins)
    return model


def check_new_source(kind: str, name: str, settings: dict[str, Any]) -> BaseModel:
    """Validate the settings of a source about to be stored; secrets only as ``$env``."""
    refuse_clear_text(kind, name, settings, credentials_of(plugins().source_factory(kind)))
    return validate_source_settings(kind, name, settings, require_credentials=False)


def validate_record(record: SourceRecord, settings: Settings) -> BaseModel:
    """A stored source's settings, checked, with the workspace's credentials filled in."""
    return validate_source_settings(
        record.kind,
        record.name,
        record.settings,
        settings.credentials,
        config_dir=settings.base_dir,
    )


def build_source(record: SourceRecord, client: httpx.AsyncClient, settings: Settings) -> Source:
    validated = validate_record(record, settings)
    return plugins().source_factory(record.kind)(record.name, validated, client)


def http_client(settings: Settings) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        timeout=settings.http.timeout,
        headers={"User-Agent": settings.http.user_agent},
        follow_redirects=True,
    )
