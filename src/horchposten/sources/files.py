"""The ``files`` source: follows a JSON Lines file that another program appends to.

(One-off imports of JSONL and CSV go through ``horchposten import`` instead.)
The cursor is the byte offset after the last stored line plus the file's
identity, so a rotated or truncated file is read again from the start.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from horchposten.errors import SourceError
from horchposten.models import Post
from horchposten.sources.base import Cursor, Page, Problem
from horchposten.sources.factory import Factory, offline
from horchposten.sources.records import explain

DESCRIPTION = "Follows a JSON Lines file in the interchange format another program appends to."


class FilesSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str = Field(min_length=1, description="JSON Lines file to follow")
    page_size: int = Field(default=1000, ge=1, le=100_000)


def _identity(path: Path) -> int:
    return path.stat().st_ino


def parse_lines(
    data: bytes, first_line: int, origin: str
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """JSON objects from complete lines; anything else becomes a Problem with its line."""
    items: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for number, raw_line in enumerate(data.splitlines(), start=first_line):
        line = raw_line.strip()
        if not line:
            continue
        try:
            item = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            problems.append(Problem(f"{origin}, line {number}", f"not a JSON object: {exc}"))
            continue
        if isinstance(item, dict):
            items.append(item | {"_line": number})
        else:
            problems.append(Problem(f"{origin}, line {number}", "expected a JSON object"))
    return items, problems


def to_post(raw: Mapping[str, Any]) -> Post:
    """Validate one interchange object; the line number travels in ``_line``."""
    data = {key: value for key, value in raw.items() if key != "_line"}
    data.setdefault("source", "files")
    try:
        return Post.model_validate(data)
    except ValidationError as exc:
        raise SourceError(f"line {raw.get('_line', '?')}: {explain(exc)}") from exc


class FileSource:
    kind = "files"

    def __init__(self, name: str, settings: FilesSettings) -> None:
        self.name = name
        self.path = Path(settings.path).expanduser()
        self.page_size = settings.page_size

    async def fetch(self, cursor: Cursor) -> AsyncIterator[Page]:
        if not self.path.is_file():
            raise SourceError(f"The file {self.path} does not exist; check the source's path.")
        identity = _identity(self.path)
        offset, line = cursor.get("offset", 0), cursor.get("line", 0)
        if cursor.get("inode") != identity or offset > self.path.stat().st_size:
            offset, line = 0, 0  # a new or truncated file starts over
        while True:
            data = await asyncio.to_thread(self._read, offset)
            if not data:
                return
            items, problems = parse_lines(data, line + 1, str(self.path))
            offset += len(data)
            line += data.count(b"\n")
            yield Page(items, {"offset": offset, "line": line, "inode": identity}, problems)

    def _read(self, offset: int) -> bytes:
        """Up to ``page_size`` complete lines from ``offset``; a partial last line waits."""
        with self.path.open("rb") as handle:
            handle.seek(offset)
            lines = [handle.readline() for _ in range(self.page_size)]
        complete = b"".join(line for line in lines if line.endswith(b"\n"))
        return complete

    def to_post(self, raw: Mapping[str, Any]) -> Post:
        return to_post(raw)


def parse_payload(data: bytes, origin: str) -> Page:
    items, problems = parse_lines(data, 1, origin)
    return Page(items, {}, problems)


FACTORY = Factory(
    "files",
    DESCRIPTION,
    FilesSettings,
    offline(FileSource),
    to_post,
    parse_payload,
)
register_sources = FACTORY.hook()
