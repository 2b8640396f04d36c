"""Click parameter types shared by several commands."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import click
from pydantic import ValidationError

from horchposten.models import EntityKind, EntityTerm

_RELATIVE = re.compile(r"^(\d+)\s*([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(value: str, now: datetime | None = None) -> datetime:
    """'7d', '12h', '30m', '2w' back from now, or an ISO date/time (UTC if no zone)."""
    now = now or datetime.now(UTC)
    match = _RELATIVE.match(value.strip())
    if match:
        return now - timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Since(click.ParamType[datetime]):
    name = "since"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, datetime):
            return value
        try:
            return parse_since(str(value))
        except ValueError:
            self.fail(
                f"{value!r} is neither a span like 7d, 12h, 30m, 2w nor a date like 2026-11-01",
                param,
                ctx,
            )


class KeyValue(click.ParamType[tuple[str, Any]]):
    """``key=value``; the value is read as JSON when it parses, else kept as text."""

    name = "key=value"

    def __init__(self, json_values: bool = True) -> None:
        self.json_values = json_values

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        key, sep, text = str(value).partition("=")
        if not sep or not key:
            self.fail(f"{value!r} is not of the form key=value", param, ctx)
        return key.strip(), _json_or_text(text) if self.json_values else text


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


class Entity(click.ParamType[EntityTerm]):
    """``'Canonical name|alias|alias'``: one entry of a topic's entity dictionary."""

    name = "name|alias"

    def __init__(self, kind: EntityKind) -> None:
        self.kind: EntityKind = kind

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, EntityTerm):
            return value
        name, *aliases = str(value).split("|")
        try:
            return EntityTerm(name=name, kind=self.kind, aliases=aliases)
        except ValidationError as exc:
            reason = exc.errors()[0]["msg"].removeprefix("Value error, ")
            self.fail(f"{value!r}: {reason}", param, ctx)
