"""Credentials of a source: from the environment, the config file, or encrypted in the database.

A connector lists its credentials (``Credential``: setting, default variable,
what it is). A source's stored settings may name a variable of its own with
``{"$env": "NAME"}``, or hold a value entered with ``horchposten secrets set``,
encrypted as ``{"$encrypted": …}`` (``privacy/secrets.py``) and decrypted only
when the source is built; otherwise the value comes from the default variable
(``HORCHPOSTEN_REDDIT_SECRET``), else from ``[credentials.KIND]`` in the config
file. A clear-text value is refused when a source is added, so the database
never holds one. Each value remembers where it came from, so a rejected
credential can be named in the error ("check HORCHPOSTEN_REDDIT_SECRET").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, PrivateAttr

from horchposten.errors import ConfigError, NotConfigured
from horchposten.privacy.secrets import SecretKey, decrypt, is_encrypted


@dataclass(frozen=True)
class Credential:
    """One secret setting of a source kind."""

    setting: str  # e.g. "client_secret"
    env: str  # the default variable, e.g. "HORCHPOSTEN_REDDIT_SECRET"
    what: str  # for messages, e.g. "the client secret"
    required: bool = True


class CredentialedSettings(BaseModel):
    """Settings with credentials; remembers where each credential was read from."""

    _origins: dict[str, str] = PrivateAttr(default_factory=dict)

    def origin(self, setting: str) -> str:
        """Where to fix a credential, e.g. ``HORCHPOSTEN_REDDIT_SECRET``."""
        return self._origins.get(setting, f"the setting '{setting}'")


def refuse_clear_text(
    kind: str, name: str, settings: Mapping[str, Any], credentials: Sequence[Credential]
) -> None:
    """Stored settings may name a variable for a secret, never hold the secret itself."""
    for credential in credentials:
        value = settings.get(credential.setting)
        if value is None or is_encrypted(value):
            continue
        if isinstance(value, dict) and set(value) == {"$env"}:
            continue
        raise ConfigError(
            credential.setting,
            "***",
            f"a secret would be stored in the database in clear text; set "
            f"{credential.env} (or [credentials.{kind}] {credential.setting} in the config "
            f"file), name a variable of your own: "
            f'--set \'{credential.setting}={{"$env": "MY_VARIABLE"}}\', or store it '
            f"encrypted with 'horchposten secrets set {name} {credential.setting}'",
            f"source '{name}'",
        )


def fill_credentials(
    kind: str,
    settings: Mapping[str, Any],
    credentials: Sequence[Credential],
    environ: Mapping[str, str],
    configured: Mapping[str, Mapping[str, str]],
    *,
    require: bool = True,
    secret_key: Callable[[], SecretKey] | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Settings with every credential filled in, and where each one came from.

    Settings must still hold ``{"$env": …}`` markers (not yet resolved). A
    missing required credential raises ``NotConfigured`` naming both places
    (unless ``require`` is false, as when a source is added before its secret).
    An encrypted value is decrypted with ``secret_key()``; without one (checking
    settings, not building a source) it is left out, as if not yet given.
    """
    filled = dict(settings)
    origins: dict[str, str] = {}
    from_file = configured.get(kind, {})
    for credential in credentials:
        value = settings.get(credential.setting)
        if isinstance(value, dict) and set(value) == {"$env"}:
            origins[credential.setting] = str(value["$env"])
            continue  # resolved with the other $env markers
        if is_encrypted(value):
            if secret_key is None:
                del filled[credential.setting]
            else:
                filled[credential.setting] = decrypt(secret_key(), value, credential.setting)
                origins[credential.setting] = "the value stored with 'horchposten secrets set'"
            continue
        if environ.get(credential.env):
            filled[credential.setting] = environ[credential.env]
            origins[credential.setting] = credential.env
        elif from_file.get(credential.setting):
            filled[credential.setting] = from_file[credential.setting]
            origins[credential.setting] = f"[credentials.{kind}] {credential.setting}"
        elif credential.required and require:
            raise NotConfigured(
                f"The {kind} source has no {credential.what}: set the environment variable "
                f"{credential.env}, or {credential.setting} under [credentials.{kind}] "
                f"in the config file."
            )
    return filled, origins


def remember_origins(settings: BaseModel, origins: Mapping[str, str]) -> None:
    if isinstance(settings, CredentialedSettings):
        settings._origins = dict(origins)


def credentials_of(factory: object) -> tuple[Credential, ...]:
    """A factory's credentials; factories without the attribute need none."""
    found = getattr(factory, "credentials", ())
    return tuple(c for c in found if isinstance(c, Credential))
