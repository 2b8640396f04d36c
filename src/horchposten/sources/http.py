"""One HTTP request for every connector: retries, back-off with jitter, Retry-After, clear errors.

429, 5xx, timeouts and dropped connections are retried; other 4xx answers fail
at once with a sentence saying what the status means (on that platform, when
the connector describes its platform). 304 goes back to the caller, who sent
the validators and knows what "not modified" means for it. A ``RateLimiter``
reads the platform's rate headers and holds back the next request.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from horchposten.errors import SourceError
from horchposten.sources.ratelimit import RateLimiter

log = logging.getLogger(__name__)

# Query parameters that carry credentials (YouTube's key, OAuth tokens, …).
SECRET_PARAMETER = re.compile(r"key|token|secret|password|passwd|auth|sig", re.IGNORECASE)

NETWORK_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)

CLIENT_ERRORS = {
    400: "the server rejected the request as malformed; check the URL and its parameters",
    401: "the server wants credentials; check the source's credentials",
    403: "the server refuses access; the content may be private or this client blocked",
    404: "nothing exists at this address; check the URL",
    410: "the content was removed for good; remove it from the source's settings",
}


@dataclass(frozen=True)
class RetryPolicy:
    """How many attempts to make and how long to wait between them (in seconds)."""

    attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0


DEFAULT_POLICY = RetryPolicy()


@dataclass(frozen=True)
class Platform:
    """Who answers, and what its 4xx answers mean for this connector's settings."""

    name: str
    advice: Mapping[int, str] = field(default_factory=dict)

    def explain(self, status: int, reason: str, url: str) -> str:
        if status in self.advice:
            return f"{status} from {self.name}: {self.advice[status]}."
        meaning = CLIENT_ERRORS.get(status, "the server refused the request; check the URL")
        return f"{status} {reason} from {self.name} ({url}): {meaning}."


class _RetryableStatus(Exception):
    """A 429 or 5xx answer, raised so that tenacity retries it."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"{response.status_code} {response.reason_phrase}")
        self.response = response


async def get(
    client: httpx.AsyncClient,
    url: str,
    headers: Mapping[str, str] | None = None,
    *,
    policy: RetryPolicy = DEFAULT_POLICY,
    platform: Platform | None = None,
    limiter: RateLimiter | None = None,
) -> httpx.Response:
    """GET ``url``, following redirects and retrying transient failures.

    Returns 2xx and 304 responses; raises ``SourceError`` for everything else.
    Messages and logs show the URL with credentials in its query masked.
    """
    return await request(
        client, "GET", url, headers, policy=policy, platform=platform, limiter=limiter
    )


async def request(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    headers: Mapping[str, str] | None = None,
    *,
    data: Mapping[str, str] | None = None,
    json: object = None,
    auth: tuple[str, str] | None = None,
    policy: RetryPolicy = DEFAULT_POLICY,
    platform: Platform | None = None,
    limiter: RateLimiter | None = None,
) -> httpx.Response:
    """One request with the retries and messages of ``get``; ``data`` goes as a form."""
    shown = redact_url(url)
    call = _Call(client, method, url, headers, data, json, auth, platform, limiter)
    retrying = AsyncRetrying(
        stop=stop_after_attempt(policy.attempts),
        wait=lambda state: _retry_delay(policy, state, limiter),
        retry=retry_if_exception_type((_RetryableStatus, *NETWORK_ERRORS)),
        before_sleep=lambda state: _log_retry(shown, policy, state),
        reraise=True,
    )
    try:
        response: httpx.Response = await retrying(call.attempt)
    except _RetryableStatus as exc:
        raise SourceError(_gave_up(shown, policy, str(exc), _status_advice(exc.response))) from None
    except NETWORK_ERRORS as exc:
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        advice = "check the network and that the host is reachable, then try again"
        raise SourceError(_gave_up(shown, policy, reason, advice)) from exc
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise SourceError(f"Cannot request {shown}: {exc}. Check the URL.") from exc
    return response


@dataclass(frozen=True)
class _Call:
    client: httpx.AsyncClient
    method: str
    url: str
    headers: Mapping[str, str] | None
    data: Mapping[str, str] | None
    json: object
    auth: tuple[str, str] | None
    platform: Platform | None
    limiter: RateLimiter | None

    async def attempt(self) -> httpx.Response:
        if self.limiter is not None:
            await self.limiter.wait()
        response = await self.client.request(
            self.method,
            self.url,
            headers=self.headers,
            data=self.data,
            json=self.json,
            auth=self.auth,
            follow_redirects=True,
        )
        if self.limiter is not None:
            self.limiter.update(response.headers)
        status = response.status_code
        if status == 429 or status >= 500:
            raise _RetryableStatus(response)
        if status >= 400:
            raise SourceError(self._refusal(response))
        return response

    def _refusal(self, response: httpx.Response) -> str:
        status, reason, shown = response.status_code, response.reason_phrase, redact_url(self.url)
        if self.platform is not None:
            return self.platform.explain(status, reason, shown)
        meaning = CLIENT_ERRORS.get(status, "the server refused the request; check the URL")
        return f"{status} {reason} from {shown}: {meaning}."


def redact_url(url: str) -> str:
    """The URL with the values of credential-like query parameters replaced by ***."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    masked = [(k, "***" if SECRET_PARAMETER.search(k) else v) for k, v in pairs]
    return urlunsplit(parts._replace(query=urlencode(masked, safe="*")))


def _retry_delay(
    policy: RetryPolicy, state: RetryCallState, limiter: RateLimiter | None = None
) -> float:
    """Seconds to wait: Retry-After, else the rate window's reset, else jittered back-off."""
    failure = state.outcome.exception() if state.outcome else None
    if isinstance(failure, _RetryableStatus):
        wanted = retry_after_seconds(failure.response.headers.get("retry-after"), _now())
        if wanted is None and failure.response.status_code == 429 and limiter is not None:
            wanted = limiter.seconds_to_reset()
        if wanted is not None:
            return min(wanted, policy.max_delay)
    backoff = wait_random_exponential(multiplier=policy.base_delay, max=policy.max_delay)
    return backoff(state)


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Parse a Retry-After header (delay in seconds or an HTTP-date); None if absent or bad."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT even when the zone is missing
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _now() -> datetime:
    return datetime.now(UTC)


def _log_retry(url: str, policy: RetryPolicy, state: RetryCallState) -> None:
    failure = state.outcome.exception() if state.outcome else None
    wait = state.next_action.sleep if state.next_action else 0.0
    log.warning(
        "%s from %s; retrying in %.2f s (attempt %d of %d)",
        failure,
        url,
        wait,
        state.attempt_number + 1,
        policy.attempts,
    )


def _status_advice(response: httpx.Response) -> str:
    if response.status_code == 429:
        return "the server is rate-limiting this client; poll less often or try again later"
    return "the server is failing or overloaded; try again later"


def _gave_up(url: str, policy: RetryPolicy, last: str, advice: str) -> str:
    return (
        f"Gave up on {url} after {policy.attempts} attempts; the last one ended with {last}: "
        f"{advice}."
    )
