"""Reddit OAuth for a script app: a bearer token from the client id and secret.

With a username and password the token acts for that account ("password"
grant, as Reddit's script apps do); without, it is an application-only token
("client_credentials"), which reads public subreddits just as well.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx
from pydantic import SecretStr

from horchposten.errors import NotConfigured, SourceError
from horchposten.sources.credentials import CredentialedSettings
from horchposten.sources.http import Platform, RetryPolicy, request
from horchposten.sources.json_payload import expect_object, load_json

# Renew this many seconds before Reddit says the token expires.
EARLY = 60


@dataclass
class Token:
    value: str
    expires_at: float


class RedditAuth:
    """Fetches and renews the bearer token of one source."""

    def __init__(
        self,
        settings: CredentialedSettings,
        client_id: SecretStr | None,
        client_secret: SecretStr | None,
        username: SecretStr | None,
        password: SecretStr | None,
        token_url: str,
    ) -> None:
        if client_id is None or client_secret is None:
            raise NotConfigured("A reddit source needs a client id and a client secret.")
        self._id, self._secret = client_id, client_secret
        self._user, self._password = username, password
        self._url = token_url
        self._token: Token | None = None
        self.platform = Platform(
            "reddit",
            {
                401: f"the client secret was rejected; check {settings.origin('client_secret')} "
                f"and the client id in {settings.origin('client_id')}",
                403: "Reddit refuses this client; check that the app is a 'script' app "
                "and that the account is not suspended",
            },
        )
        self._settings = settings

    async def header(self, client: httpx.AsyncClient, policy: RetryPolicy) -> dict[str, str]:
        if self._token is None or time.monotonic() >= self._token.expires_at:
            self._token = await self._fetch(client, policy)
        return {"Authorization": f"bearer {self._token.value}"}

    async def _fetch(self, client: httpx.AsyncClient, policy: RetryPolicy) -> Token:
        form = {"grant_type": "client_credentials"}
        if self._user is not None and self._password is not None:
            form = {
                "grant_type": "password",
                "username": self._user.get_secret_value(),
                "password": self._password.get_secret_value(),
            }
        response = await request(
            client,
            "POST",
            self._url,
            data=form,
            auth=(self._id.get_secret_value(), self._secret.get_secret_value()),
            policy=policy,
            platform=self.platform,
        )
        answer = expect_object(load_json(response.content, "reddit"), "reddit")
        if "access_token" not in answer:
            raise SourceError(self._refusal(str(answer.get("error", "no access_token"))))
        lifetime = float(answer.get("expires_in") or 3600)
        return Token(str(answer["access_token"]), time.monotonic() + lifetime - EARLY)

    def _refusal(self, error: str) -> str:
        if error == "invalid_grant":
            return (
                f"reddit refused the username or password (invalid_grant); check "
                f"{self._settings.origin('username')} and {self._settings.origin('password')}."
            )
        return f"reddit gave no token ({error}); check the app's type and credentials."
