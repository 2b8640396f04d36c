"""``horchposten run``: one pass over every enabled source, or keep polling with ``--follow``."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx
from pydantic import BaseModel, ValidationError

from horchposten.config import Settings, config_error, resolve_secrets
from horchposten.errors import HorchpostenError, StorageError
from horchposten.models import Post
from horchposten.pipeline import Batch, Pipeline, run_embedded
from horchposten.plugins import plugins
from horchposten.privacy.secrets import load_key
from horchposten.sources.base import Source
from horchposten.sources.credentials import (
    credentials_of,
    fill_credentials,
    refuse_clear_text,
    remember_origins,
)
from horchposten.sources.records import explain
from horchposten.store.posts import StoreResult
from horchposten.store.sources import (
    SourceRecord,
    list_sources,
    record_failure,
    record_success,
)


@dataclass
class SourceReport:
    """What one source did in one pass."""

    name: str
    kind: str
    items: int = 0
    stored: StoreResult = field(default_factory=StoreResult)
    problems: list[str] = field(default_factory=list)
    error: str | None = None


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


def build_source(record: SourceRecord, client: httpx.AsyncClient, settings: Settings) -> Source:
    validated = validate_source_settings(
        record.kind,
        record.name,
        record.settings,
        settings.credentials,
        config_dir=settings.base_dir,
    )
    return plugins().source_factory(record.kind)(record.name, validated, client)


def http_client(settings: Settings) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        timeout=settings.http.timeout,
        headers={"User-Agent": settings.http.user_agent},
        follow_redirects=True,
    )


class Mapper(Protocol):
    def to_post(self, raw: Mapping[str, Any]) -> Post: ...


def normalise(source: Mapper, items: Sequence[dict[str, Any]]) -> tuple[list[Post], list[str]]:
    """Map raw items to posts; an item that cannot be mapped is a problem, not a crash."""
    posts = []
    problems = []
    for raw in items:
        try:
            post = source.to_post(raw)
        except HorchpostenError as exc:
            problems.append(str(exc))
            continue
        except ValidationError as exc:
            problems.append(explain(exc))
            continue
        post.raw = dict(raw)
        posts.append(post)
    return posts, problems


async def _source_batches(
    record: SourceRecord, source: Source, report: SourceReport, stop: asyncio.Event
) -> AsyncIterator[Batch]:
    try:
        async for page in source.fetch(record.cursor):
            posts, problems = normalise(source, page.items)
            report.items += len(page.items)
            report.problems += [f"{p.where}: {p.message}" for p in page.problems] + problems
            yield Batch(
                posts,
                source_name=record.name,
                cursor=page.cursor,
                size_hint=len(posts),
                only_matching=getattr(source, "only_matching", False),
                deleted=page.deleted,
                local=page.local,
            )
            if stop.is_set():
                return
    except HorchpostenError as exc:
        report.error = str(exc)
    except httpx.HTTPError as exc:
        report.error = f"{type(exc).__name__}: {exc}"


async def run_pass(
    pipeline: Pipeline,
    settings: Settings,
    stop: asyncio.Event,
    on_stored: Callable[[Batch, StoreResult], None] | None = None,
) -> list[SourceReport]:
    """Fetch every enabled source once, concurrently, storing as pages arrive."""
    with pipeline.database.begin() as conn:
        records = [r for r in list_sources(conn) if r.enabled]
    reports = {r.name: SourceReport(r.name, r.kind) for r in records}

    def stored(batch: Batch, result: StoreResult) -> None:
        if batch.source_name is not None:
            reports[batch.source_name].stored += result
        if on_stored is not None:
            on_stored(batch, result)

    async with http_client(settings) as client:
        producers = []
        for record in records:
            try:
                source = build_source(record, client, settings)
            except HorchpostenError as exc:
                reports[record.name].error = str(exc)
                continue
            producers.append(_source_batches(record, source, reports[record.name], stop))
        await run_embedded(
            pipeline, producers, queue_size=settings.pipeline.queue_size, on_stored=stored
        )
    with pipeline.database.begin() as conn:
        for report in reports.values():
            if report.error is None:
                record_success(conn, report.name, report.problems[:5])
            else:
                record_failure(conn, report.name, report.error)
    return list(reports.values())


async def follow(
    make_pipeline: Callable[[], Pipeline],
    settings: Settings,
    stop: asyncio.Event,
    on_pass: Callable[[list[SourceReport]], None],
    on_error: Callable[[StorageError], None],
    on_stored: Callable[[Batch, StoreResult], None] | None = None,
) -> None:
    """Run passes until ``stop`` is set; topics added meanwhile are picked up each pass.

    A database that cannot be reached fails only the pass: nothing of the failed
    batch was stored, no cursor moved, and the next pass tries again.
    """
    while not stop.is_set():
        try:
            on_pass(await run_pass(make_pipeline(), settings, stop, on_stored))
        except StorageError as exc:
            on_error(exc)
        try:
            await asyncio.wait_for(stop.wait(), timeout=settings.pipeline.poll_interval)
        except TimeoutError:
            continue
