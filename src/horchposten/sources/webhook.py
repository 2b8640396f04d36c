"""The ``webhook`` source: posts pushed to ``POST /ingest/{source}`` (see web/ingest.py).

Nothing is fetched: ``fetch`` yields no page, so ``run`` passes over it. The
source only holds the token a pusher must send; like every secret it comes
from the environment or the config file, never from the database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from pydantic import ConfigDict, SecretStr

from horchposten.errors import SourceError
from horchposten.models import Post
from horchposten.sources.base import Cursor, Page
from horchposten.sources.credentials import Credential, CredentialedSettings
from horchposten.sources.factory import Factory, offline
from horchposten.sources.json_payload import load_json

KIND = "webhook"
TOKEN = Credential("token", "HORCHPOSTEN_WEBHOOK_TOKEN", "token")
DESCRIPTION = "Posts pushed to POST /ingest/NAME in the interchange format"


class WebhookSettings(CredentialedSettings):
    """Settings of one ``webhook`` source."""

    model_config = ConfigDict(extra="forbid")

    token: SecretStr | None = None


class WebhookSource:
    kind: str = KIND

    def __init__(self, name: str, settings: WebhookSettings) -> None:
        self.name = name
        self.settings = settings

    def to_post(self, raw: Mapping[str, Any]) -> Post:
        return to_post(raw)

    async def fetch(self, cursor: Cursor) -> AsyncIterator[Page]:
        return
        yield  # an async generator that yields nothing: pushed posts arrive by HTTP


def to_post(raw: Mapping[str, Any]) -> Post:
    """An interchange object, as pushed; pure."""
    return Post.model_validate(raw)


def read_body(data: bytes, origin: str) -> list[dict[str, Any]]:
    """The objects of a pushed body: one interchange object or a JSON array of them."""
    document = load_json(data, origin)
    items = document if isinstance(document, list) else [document]
    if not items or not all(isinstance(item, dict) for item in items):
        raise SourceError(
            f"{origin} holds no interchange post: send one JSON object or a non-empty "
            f"JSON array of objects (docs/interchange.md)."
        )
    return items


def parse_payload(data: bytes, origin: str) -> Page:
    """A pushed body: one interchange object or a JSON array of them."""
    return Page(read_body(data, origin), {})


FACTORY = Factory(
    KIND,
    DESCRIPTION,
    WebhookSettings,
    offline(WebhookSource),
    to_post,
    parse_payload,
    (TOKEN,),
)
register_sources = FACTORY.hook()
