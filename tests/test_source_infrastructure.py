"""What every connector shares: credentials, rate headers, platform messages, ``source test``."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from horchposten.errors import ConfigError, NotConfigured, SourceError
from horchposten.sources.credentials import Credential, fill_credentials, refuse_clear_text
from horchposten.sources.http import Platform, RetryPolicy, get
from horchposten.sources.ratelimit import RateLimiter, read_rate_headers, reset_time
from localserver import LocalServer

SECRET = Credential("client_secret", "HORCHPOSTEN_REDDIT_SECRET", "client secret")
NOW = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)


def test_a_clear_text_secret_is_refused_before_it_reaches_the_database() -> None:
    with pytest.raises(ConfigError) as caught:
        refuse_clear_text("reddit", "r-de", {"client_secret": "hunter2"}, [SECRET])
    message = str(caught.value)
    assert "hunter2" not in message
    assert "HORCHPOSTEN_REDDIT_SECRET" in message and "clear text" in message
    refuse_clear_text("reddit", "r-de", {"client_secret": {"$env": "MINE"}}, [SECRET])
    refuse_clear_text("reddit", "r-de", {}, [SECRET])


def test_credentials_come_from_the_named_variable_the_default_variable_or_the_config() -> None:
    named = {"client_secret": {"$env": "MINE"}}
    assert fill_credentials("reddit", named, [SECRET], {}, {})[1] == {"client_secret": "MINE"}
    env = {"HORCHPOSTEN_REDDIT_SECRET": "s1"}
    filled, origins = fill_credentials("reddit", {}, [SECRET], env, {})
    assert filled["client_secret"] == "s1"
    assert origins["client_secret"] == "HORCHPOSTEN_REDDIT_SECRET"
    config = {"reddit": {"client_secret": "s2"}}
    filled, origins = fill_credentials("reddit", {}, [SECRET], {}, config)
    assert filled["client_secret"] == "s2"
    assert origins["client_secret"] == "[credentials.reddit] client_secret"
    # The environment wins over the file, as for every other setting.
    assert fill_credentials("reddit", {}, [SECRET], env, config)[0]["client_secret"] == "s1"


def test_a_missing_credential_names_both_places_to_put_it() -> None:
    with pytest.raises(NotConfigured, match=r"HORCHPOSTEN_REDDIT_SECRET.*\[credentials\.reddit\]"):
        fill_credentials("reddit", {}, [SECRET], {}, {})
    assert fill_credentials("reddit", {}, [SECRET], {}, {}, require=False) == ({}, {})


@pytest.mark.parametrize(
    ("headers", "remaining", "reset"),
    [
        # Reddit: seconds until the window resets.
        ({"X-Ratelimit-Remaining": "0.0", "X-Ratelimit-Reset": "42"}, 0.0, NOW + timedelta(0, 42)),
        # Mastodon: an ISO time.
        (
            {"X-RateLimit-Remaining": "299", "X-RateLimit-Reset": "2026-11-22T04:05:00.000Z"},
            299.0,
            NOW + timedelta(minutes=5),
        ),
        # Bluesky (IETF draft): a Unix time.
        (
            {"RateLimit-Remaining": "5", "RateLimit-Reset": str(int(NOW.timestamp()) + 60)},
            5.0,
            NOW + timedelta(minutes=1),
        ),
    ],
)
def test_every_spelling_of_rate_headers_is_read(
    headers: dict[str, str], remaining: float, reset: datetime
) -> None:
    state = read_rate_headers(headers, NOW)
    assert state is not None
    assert (state.remaining, state.reset_at) == (remaining, reset)


def test_no_or_unreadable_rate_headers_mean_no_limit_known() -> None:
    assert read_rate_headers({}, NOW) is None
    assert read_rate_headers({"X-Ratelimit-Remaining": "x", "X-Ratelimit-Reset": "1"}, NOW) is None
    assert reset_time("soon", NOW) is None


def test_a_spent_budget_waits_for_the_reset_or_stops_the_pass_cleanly() -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    limiter = RateLimiter("reddit", max_wait=60, sleep=sleep)
    limiter.update({"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "30"})
    asyncio.run(limiter.wait())
    assert 29 < slept[0] <= 30
    asyncio.run(limiter.wait())  # the budget is assumed back after the reset
    assert len(slept) == 1
    limiter.update({"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "600"})
    with pytest.raises(SourceError, match=r"reddit's rate limit .* spent until .*next one resumes"):
        asyncio.run(limiter.wait())


def test_the_client_holds_back_while_the_server_says_nothing_is_left(
    local_server: LocalServer,
) -> None:
    local_server.add(
        "/api", b"{}", headers={"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "1"}
    )
    limiter = RateLimiter("reddit")

    async def twice() -> float:
        async with local_server.client() as client:
            await get(client, local_server.url("/api"), limiter=limiter)
            started = asyncio.get_running_loop().time()
            await get(client, local_server.url("/api"), limiter=limiter)
            return asyncio.get_running_loop().time() - started

    assert asyncio.run(twice()) >= 0.9


def test_a_429_without_retry_after_waits_for_the_rate_window(local_server: LocalServer) -> None:
    local_server.add(
        "/limited",
        b"slow down",
        status=429,
        headers={"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "0.3"},
    )
    limiter = RateLimiter("reddit")
    policy = RetryPolicy(attempts=2, base_delay=10, max_delay=10)

    async def attempt() -> float:
        async with local_server.client() as client:
            started = asyncio.get_running_loop().time()
            with pytest.raises(SourceError, match=r"Gave up .* 2 attempts; .*429"):
                await get(client, local_server.url("/limited"), policy=policy, limiter=limiter)
            return asyncio.get_running_loop().time() - started

    assert 0.2 <= asyncio.run(attempt()) < 5  # the window's reset, not 10 s of back-off


def test_a_platform_explains_its_own_refusals(local_server: LocalServer) -> None:
    local_server.add("/token?secret=abc", b"{}", status=401)
    platform = Platform("reddit", {401: "the client secret was rejected; check MY_SECRET"})

    async def attempt(path: str) -> str:
        async with local_server.client() as client:
            with pytest.raises(SourceError) as caught:
                await get(client, local_server.url(path), platform=platform)
        return str(caught.value)

    refused = asyncio.run(attempt("/token?secret=abc"))
    assert refused == "401 from reddit: the client secret was rejected; check MY_SECRET."
    missing = asyncio.run(attempt("/gone?secret=abc"))
    assert missing.startswith("404 Not Found from reddit (")
    assert "secret=***" in missing and "abc" not in missing
