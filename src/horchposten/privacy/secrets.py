"""Credentials at rest: values entered for a source are stored encrypted (Fernet:
AES-128-CBC with an HMAC-SHA256, from ``cryptography``) and decrypted only when the
source is built.

The key comes from ``HORCHPOSTEN_SECRET_KEY``, else from ``horchposten.key`` beside
the workspace config, which is created with mode 0600 the first time a value is
encrypted. A stored value looks like ``{"$encrypted": "gAAAA…"}``; it never appears
in a log, an error message or an API answer.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from cryptography.fernet import Fernet, InvalidToken

from horchposten.errors import ConfigError, NotConfigured

KEY_ENV = "HORCHPOSTEN_SECRET_KEY"
KEY_FILE = "horchposten.key"
MARK = "$encrypted"


@dataclass(frozen=True)
class SecretKey:
    """A Fernet key and where it came from (for messages; never the key itself)."""

    value: bytes
    origin: str

    def __repr__(self) -> str:  # a key must not end up in a traceback or log by accident
        return f"SecretKey(origin={self.origin!r})"


def key_path(config_dir: Path) -> Path:
    return config_dir / KEY_FILE


def load_key(config_dir: Path, environ: Mapping[str, str], *, create: bool = False) -> SecretKey:
    """The workspace's key: the variable, else the key file (made now with ``create``)."""
    if environ.get(KEY_ENV):
        return _checked(environ[KEY_ENV].encode(), KEY_ENV)
    path = key_path(config_dir)
    if path.exists():
        return _checked(path.read_bytes().strip(), str(path))
    if not create:
        raise NotConfigured(
            f"An encrypted credential needs the workspace's key: set {KEY_ENV}, or put the "
            f"key file {path} back (it is made when a credential is first stored)."
        )
    return write_key(path, new_key())


def write_key(path: Path, value: bytes) -> SecretKey:
    """Write a key file only its owner can read (0600), replacing any old one atomically."""
    stage_key(path, value).replace(path)
    return SecretKey(value, str(path))


def stage_key(path: Path, value: bytes) -> Path:
    """The key written beside ``path`` as ``….new`` (0600), to be moved in place later."""
    fresh = path.with_name(path.name + ".new")
    fresh.unlink(missing_ok=True)
    handle = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "wb") as out:
        out.write(value + b"\n")
    return fresh


def new_key() -> bytes:
    return Fernet.generate_key()


def _checked(value: bytes, origin: str) -> SecretKey:
    try:
        Fernet(value)
    except ValueError:
        raise ConfigError(
            KEY_ENV if origin == KEY_ENV else "key file",
            "***",
            "a key must be 32 url-safe base64-encoded bytes, as 'horchposten secrets rotate' "
            "makes them",
            origin,
        ) from None
    return SecretKey(value, origin)


def is_encrypted(value: object) -> TypeGuard[dict[str, str]]:
    return isinstance(value, dict) and set(value) == {MARK} and isinstance(value[MARK], str)


def encrypt(key: SecretKey, secret: str) -> dict[str, str]:
    return {MARK: Fernet(key.value).encrypt(secret.encode()).decode()}


def decrypt(key: SecretKey, stored: Mapping[str, Any], what: str) -> str:
    """The clear text of a stored value; a wrong key names where the key came from."""
    try:
        return Fernet(key.value).decrypt(str(stored[MARK]).encode()).decode()
    except InvalidToken:
        raise ConfigError(
            what,
            "***",
            f"it cannot be decrypted with the key from {key.origin}; use the key it was "
            f"stored with, or enter the credential again",
        ) from None


def reencrypt(
    old: SecretKey, new: SecretKey, settings: Mapping[str, Any], what: str
) -> dict[str, Any]:
    """``settings`` with every encrypted value moved from ``old`` to ``new``."""
    return {
        k: encrypt(new, decrypt(old, v, f"{what} {k}")) if is_encrypted(v) else v
        for k, v in settings.items()
    }
