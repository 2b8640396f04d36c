"""One factory for every built-in source kind: settings model, builder, mapping, payload reader.

A source module declares its kind in two lines::

    FACTORY = Factory(KIND, DESCRIPTION, Settings, SourceClass, to_post, parse_payload)
    register_sources = FACTORY.hook()


A factory checks that it was given its kind's settings model, builds the
source, and offers the kind's pure mapping and payload reader; a source module
only says what differs. A third-party factory may be any object with the
members of ``base.SourceFactory``; this class is a convenience, not a must.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import httpx
from pydantic import BaseModel

from horchposten.hookspecs import hookimpl
from horchposten.models import Post
from horchposten.sources.base import Page, Source, SourceFactory
from horchposten.sources.credentials import Credential
from horchposten.sources.http import DEFAULT_POLICY, RetryPolicy

SettingsT = TypeVar("SettingsT", bound=BaseModel)
SettingsT_contra = TypeVar("SettingsT_contra", bound=BaseModel, contravariant=True)


class Builder(Protocol[SettingsT_contra]):
    """Builds one source; a source class whose ``__init__`` has this shape is one."""

    def __call__(
        self,
        name: str,
        settings: SettingsT_contra,
        client: httpx.AsyncClient,
        *,
        policy: RetryPolicy,
    ) -> Source: ...


def offline(source: Callable[[str, SettingsT], Source]) -> Builder[SettingsT]:
    """The builder of a source that needs no HTTP client: a file, a websocket, pushes."""

    def build(
        name: str, settings: SettingsT, client: httpx.AsyncClient, *, policy: RetryPolicy
    ) -> Source:
        return source(name, settings)

    return build


@dataclass
class Factory(Generic[SettingsT]):
    """A source kind: its settings model, how to build a source, its mapping and payload reader."""

    kind: str
    description: str
    settings_model: type[SettingsT]
    build: Builder[SettingsT]
    mapping: Callable[[Mapping[str, Any]], Post]
    parse: Callable[[bytes, str], Page]
    credentials: tuple[Credential, ...] = ()

    def __call__(
        self,
        name: str,
        settings: BaseModel,
        client: httpx.AsyncClient,
        *,
        policy: RetryPolicy = DEFAULT_POLICY,
    ) -> Source:
        """Build the source from validated settings (an instance of ``settings_model``)."""
        if not isinstance(settings, self.settings_model):
            raise TypeError(
                f"{self.kind} sources need {self.settings_model.__name__}, "
                f"not {type(settings).__name__}"
            )
        return self.build(name, settings, client, policy=policy)

    def to_post(self, raw: Mapping[str, Any]) -> Post:
        """The kind's pure mapping, the same its sources use; no I/O."""
        return self.mapping(raw)

    def parse_payload(self, data: bytes, origin: str) -> Page:
        """Read one recorded payload (a saved API response or feed file) into raw items."""
        return self.parse(data, origin)

    def hook(self) -> Callable[[], list[SourceFactory]]:
        """A ``register_sources`` implementation registering this kind: the module's hook."""

        def register_sources() -> list[SourceFactory]:
            return [self]

        marked: Callable[[], list[SourceFactory]] = hookimpl(register_sources)
        return marked
