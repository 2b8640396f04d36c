"""``horchposten import``: load a JSONL or CSV file through the pipeline.

Every good record is stored; every bad one goes to a rejects file with its
line number and reason, and the report says how many of each there were.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import BinaryIO

from horchposten.errors import InputError
from horchposten.models import Post
from horchposten.pipeline import Batch, Pipeline, run_embedded
from horchposten.sources.records import Record, Reject, read_csv, read_jsonl
from horchposten.store.posts import StoreResult

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".tsv": "csv"}


@dataclass
class ImportReport:
    path: Path
    stored: StoreResult
    rejected: int
    rejects_path: Path | None

    @property
    def accepted(self) -> int:
        return self.stored.new + self.stored.updated


@dataclass(frozen=True)
class ImportOptions:
    fmt: str | None = None
    mapping: Mapping[str, str] | None = None
    zone: tzinfo | None = None
    source: str = "files"
    encoding: str = "utf-8-sig"
    rejects_path: Path | None = None


def detect_format(path: Path, fmt: str | None) -> str:
    if fmt:
        return fmt
    if path.suffix.lower() in FORMATS:
        return FORMATS[path.suffix.lower()]
    raise InputError(
        f"Cannot tell the format of {path.name} from its extension. "
        f"Pass --format jsonl or --format csv."
    )


class RejectsFile:
    """Writes rejects next to the input, created only when the first one arrives."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._handle: io.TextIOWrapper | None = None

    def write(self, reject: Reject) -> None:
        if self._handle is None:
            self._handle = self.path.open("w", encoding="utf-8")
        self._handle.write(reject.to_json() + "\n")
        self.count += 1

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()


def _records(handle: BinaryIO, fmt: str, options: ImportOptions) -> Iterator[Record]:
    if fmt == "jsonl":
        yield from read_jsonl(handle, options.source)
        return
    text = io.TextIOWrapper(handle, encoding=options.encoding, newline="")
    try:
        yield from read_csv(text, options.mapping or {}, source=options.source, zone=options.zone)
    finally:
        text.detach()  # the caller still reads the byte position for progress


async def _batches(
    handle: BinaryIO,
    records: Iterator[Record],
    rejects: RejectsFile,
    batch_size: int,
) -> AsyncIterator[Batch]:
    posts: list[Post] = []
    position = 0
    for _line, record in records:
        if isinstance(record, Reject):
            rejects.write(record)
            continue
        posts.append(record)
        if len(posts) >= batch_size:
            now = handle.tell()
            yield Batch(posts, size_hint=now - position)
            posts, position = [], now
            await asyncio.sleep(0)  # let the store stage run while we read on
    yield Batch(posts, size_hint=handle.tell() - position)


def import_file(
    pipeline: Pipeline,
    path: Path,
    options: ImportOptions,
    *,
    batch_size: int = 1000,
    queue_size: int = 4,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import one file; raises InputError when the file cannot be read at all."""
    fmt = detect_format(path, options.fmt)
    if not path.is_file():
        raise InputError(f"There is no file at {path}. Check the path and try again.")
    rejects = RejectsFile(options.rejects_path or path.with_name(path.name + ".rejects.jsonl"))

    def stored(batch: Batch, _result: StoreResult) -> None:
        if on_progress is not None:
            on_progress(batch.size_hint)

    try:
        with path.open("rb") as handle:
            records = _records(handle, fmt, options)
            try:
                total = asyncio.run(
                    run_embedded(
                        pipeline,
                        [_batches(handle, records, rejects, batch_size)],
                        queue_size=queue_size,
                        on_stored=stored,
                        store_in_thread=False,
                    )
                )
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{path.name} is not valid {options.encoding} text near byte {exc.start}; "
                    f"everything before that was stored. Save it as UTF-8, or pass "
                    f"--encoding (e.g. cp1252 for files from German Excel)."
                ) from exc
    finally:
        rejects.close()
    return ImportReport(path, total, rejects.count, rejects.path if rejects.count else None)
