"""The test servers themselves: where PostgreSQL runs from, and no silent skip under CI."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from pgserver import PostgresServer, require_or_skip

CHECKOUT = Path(__file__).resolve().parent.parent


def test_postgresql_runs_from_outside_the_checkout(postgres_server: PostgresServer) -> None:
    # As root the server runs as another user, who may not enter the checkout's folder.
    assert not postgres_server.install.is_relative_to(CHECKOUT)
    for folder in (postgres_server.install, *postgres_server.install.parents[:2]):
        assert folder.stat().st_mode & stat.S_IXOTH, folder


def test_a_server_that_cannot_start_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true: these tests must run"):
        require_or_skip("no server here")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="no server here"):
        require_or_skip("no server here")
