"""The app ``horchposten serve`` runs: UI, API, webhooks and the source scheduler.

With one worker the command builds the app itself (``serving_app``). With
several, uvicorn starts every worker process by importing ``app_from_environment``
(an import string, since an app object cannot be handed to another process); the
command passes the workspace's config file in ``HORCHPOSTEN_CONFIG`` and
``--no-ingest`` in ``HORCHPOSTEN_NO_INGEST``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
from collections.abc import Callable, Iterator
from types import FrameType

import uvicorn
from fastapi import FastAPI
from uvicorn.server import HANDLED_SIGNALS

from horchposten.config import Settings, find_config, load_settings
from horchposten.store.database import open_database
from horchposten.web.app import create_app
from horchposten.web.collector import Collector, scheduler_lock_path
from horchposten.web.components import log_components
from horchposten.web.ingest import router as ingest_router

FACTORY = "horchposten.web.server:app_from_environment"
NO_INGEST = "HORCHPOSTEN_NO_INGEST"

log = logging.getLogger("horchposten.serve")


def serving_app(settings: Settings, *, ingest: bool = True) -> tuple[FastAPI, Collector | None]:
    """The app over the workspace's database, with the source scheduler unless ``ingest`` is off."""
    database = open_database(settings.database_url)
    log_components(database, settings, ingest=ingest)
    collector = (
        Collector(database, settings, scheduler_lock_path(settings.database_url))
        if ingest
        else None
    )
    app = create_app(
        database, settings, close_database=True, services=[collector] if collector else []
    )
    # Pushers are configured with /ingest/NAME: at the root, not under /api/v1.
    app.include_router(ingest_router)
    return app, collector


def app_from_environment() -> FastAPI:
    """The app for the workspace in $HORCHPOSTEN_CONFIG (or ./horchposten.toml), in each worker."""
    app, _ = serving_app(load_settings(find_config()), ingest=os.environ.get(NO_INGEST, "") != "1")
    return app


class Server(uvicorn.Server):
    """Uvicorn's server, with our two-signal stop and a call once it listens.

    The first Ctrl-C or SIGTERM shuts down gracefully: requests finish and the
    scheduler stops after the batch it is storing. The second stops at once and
    says which sources' fetched batches will be fetched again.
    """

    def __init__(
        self,
        config: uvicorn.Config,
        collector: Collector | None,
        on_ready: Callable[[], None],
    ) -> None:
        super().__init__(config)
        self.collector = collector
        self.on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            self.on_ready()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # Uvicorn's own version raises the signal again after a graceful stop, which
        # turns a requested, clean stop into "Interrupted" and a failed exit code.
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in HANDLED_SIGNALS}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if not self.should_exit:
            log.info(
                "Stopping after the current batch (%s again stops at once) …",
                signal.Signals(sig).name,
            )
            self.should_exit = True
            return
        if self.collector is not None and self.collector.running:
            log.warning(self.collector.redo_message())
        else:
            log.warning("Stopped at once.")
        logging.shutdown()
        os._exit(128 + sig)  # a stop at once: like SIGKILL, every commit is whole or absent
