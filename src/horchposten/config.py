"""Settings from a TOML file plus the environment.

The file is ``horchposten.toml`` in the current directory unless ``--config`` or
``HORCHPOSTEN_CONFIG`` names another. Any setting can be overridden from the
environment as ``HORCHPOSTEN_<SECTION>_<KEY>``, e.g. ``HORCHPOSTEN_DATABASE_URL``.
A secret may be written as ``{"$env": "NAME"}`` and is read from that variable.
A wrong setting fails at start-up, naming the key, the value and what was expected.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from horchposten.analytics.settings import AnalyticsSettings
from horchposten.enrich.base import EnrichSettings
from horchposten.errors import ConfigError, NotFound

CONFIG_FILE = "horchposten.toml"
ENV_PREFIX = "HORCHPOSTEN_"


class WorkspaceSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = "Horchposten"
    timezone: str = "Europe/Berlin"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be an IANA time zone name such as 'Europe/Berlin'") from None
        return value


class DatabaseSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = "sqlite:///horchposten.db"

    @field_validator("url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if value.startswith(("postgresql://", "postgres://")):
            # psycopg 3 is the driver we ship; spell it out so SQLAlchemy picks it.
            return "postgresql+psycopg://" + value.split("://", 1)[1]
        if not value.startswith(("sqlite:///", "postgresql+psycopg://")):
            raise ValueError(
                "must be a SQLite URL like 'sqlite:///horchposten.db' "
                "or a PostgreSQL URL like 'postgresql://user@host:5432/db'"
            )
        return value


class PipelineSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    batch_size: int = Field(default=1000, ge=1, le=100_000)
    queue_size: int = Field(default=4, ge=1, le=1000)
    poll_interval: float = Field(default=300.0, gt=0)


class HttpSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    timeout: float = Field(default=30.0, gt=0)
    user_agent: str = "Horchposten/0.1 (self-hosted social listening)"


class Settings(BaseModel):
    """All settings of one workspace."""

    model_config = ConfigDict(extra="forbid")

    workspace: WorkspaceSettings = Field(default_factory=WorkspaceSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    pipeline: PipelineSettings = Field(default_factory=PipelineSettings)
    http: HttpSettings = Field(default_factory=HttpSettings)
    enrich: EnrichSettings = Field(default_factory=EnrichSettings)
    # Source credentials by kind, e.g. [credentials.reddit] client_secret = {"$env": "…"}.
    credentials: dict[str, dict[str, str]] = Field(default_factory=dict)
    analytics: AnalyticsSettings = Field(default_factory=AnalyticsSettings)
    base_dir: Path = Field(default=Path(), exclude=True)  # folder of the config file, not a key

    @property
    def database_url(self) -> str:
        """The database URL with a relative SQLite path resolved against the config's folder."""
        return resolve_sqlite_path(self.database.url, self.base_dir)


def resolve_sqlite_path(url: str, base_dir: Path) -> str:
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == "sqlite:///:memory:":
        return url
    path = Path(url[len(prefix) :])
    if not path.is_absolute():
        path = base_dir / path
    return prefix + str(path)


def find_config(explicit: str | Path | None = None) -> Path:
    """The config file to use: the given path, $HORCHPOSTEN_CONFIG, or ./horchposten.toml."""
    chosen = explicit or os.environ.get(f"{ENV_PREFIX}CONFIG") or CONFIG_FILE
    return Path(chosen).expanduser().resolve()


def load_settings(path: Path, environ: Mapping[str, str] | None = None) -> Settings:
    """Read and validate the settings; raise ConfigError naming the bad key."""
    if not path.exists():
        raise NotFound(
            f"No workspace config at {path}. Run 'horchposten init' in this folder, "
            f"or pass --config with the path of an existing horchposten.toml."
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("(file)", str(path), f"the file is not valid TOML ({exc})") from exc
    env = os.environ if environ is None else environ
    merged, from_env = _apply_environment(resolve_secrets(data, env), env)
    try:
        settings = Settings.model_validate(merged)
    except ValidationError as exc:
        first_key = ".".join(str(part) for part in exc.errors()[0]["loc"])
        raise config_error(exc, from_env.get(first_key, str(path))) from None
    settings.base_dir = path.parent
    return settings


def config_error(exc: ValidationError, where: str) -> ConfigError:
    """Turn the first pydantic error into a ConfigError with key, value and expectation."""
    first = exc.errors()[0]
    key = ".".join(str(part) for part in first["loc"])
    value = first.get("input") if first["type"] != "missing" else None
    return ConfigError(key, value, _expectation(first["type"], first["msg"], first["loc"]), where)


def _expectation(kind: str, message: str, loc: tuple[Any, ...]) -> str:
    if kind == "extra_forbidden":
        section: Any = Settings
        for part in loc[:-1]:
            section = section.model_fields[str(part)].annotation
        fields = getattr(section, "model_fields", {})
        known = ", ".join(sorted(name for name in fields if name != "base_dir"))
        return f"there is no such setting (known here: {known})"
    if kind == "missing":
        return "it is required"
    message = message.removeprefix("Value error, ")
    return message[0].lower() + message[1:]


def resolve_secrets(data: Any, environ: Mapping[str, str]) -> Any:
    """Replace every ``{"$env": "NAME"}`` with that environment variable's value."""
    if isinstance(data, dict):
        if set(data) == {"$env"}:
            name = data["$env"]
            if name not in environ:
                raise ConfigError(
                    f'{{"$env": "{name}"}}', None, f"the environment variable {name} is not set"
                )
            return environ[name]
        return {key: resolve_secrets(value, environ) for key, value in data.items()}
    if isinstance(data, list):
        return [resolve_secrets(item, environ) for item in data]
    return data


def _apply_environment(
    data: dict[str, Any], environ: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Overlay HORCHPOSTEN_<SECTION>_<KEY> variables; also say which key came from which."""
    merged = {key: dict(value) if isinstance(value, dict) else value for key, value in data.items()}
    origins: dict[str, str] = {}
    for section_name, field in Settings.model_fields.items():
        section_model = field.annotation
        if not isinstance(section_model, type) or not issubclass(section_model, BaseModel):
            continue
        for key in section_model.model_fields:
            env_name = f"{ENV_PREFIX}{section_name}_{key}".upper()
            if env_name in environ:
                merged.setdefault(section_name, {})[key] = environ[env_name]
                origins[f"{section_name}.{key}"] = f"the environment variable {env_name}"
    return merged, origins


def default_config_text(database_url: str = "sqlite:///horchposten.db") -> str:
    """The commented TOML that ``horchposten init`` writes."""
    return f"""\
# Horchposten workspace settings. Every key can be overridden from the environment
# as HORCHPOSTEN_<SECTION>_<KEY>, e.g. HORCHPOSTEN_DATABASE_URL.

[workspace]
name = "Horchposten"
# IANA time zone used for dashboards and day boundaries.
timezone = "Europe/Berlin"

[database]
# SQLite file (relative to this file) by default; for teams use PostgreSQL:
# url = "postgresql+psycopg://user@localhost:5432/horchposten"
url = "{database_url}"

[pipeline]
# Posts per batch; each batch is stored in one transaction.
batch_size = 1000
# Batches waiting between stages before the sources are slowed down.
queue_size = 4
# Seconds between passes of 'horchposten run --follow'.
poll_interval = 300

[http]
timeout = 30
user_agent = "Horchposten/0.1 (self-hosted social listening)"
"""
