"""Reading an import file: format detection, batches of good posts, a rejects file."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import BinaryIO

from horchposten.errors import InputError
from horchposten.models import Post
from horchposten.sources.records import Record, Reject, read_csv, read_jsonl

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".tsv": "csv"}


@dataclass(frozen=True)
class ImportOptions:
    fmt: str | None = None
    mapping: Mapping[str, str] | None = None
    zone: tzinfo | None = None
    source: str = "files"
    encoding: str = "utf-8-sig"
    rejects_path: Path | None = None
    # Prepare in a worker process: None decides (pipeline.driver.open_bus).
    parallel: bool | None = None


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
    """Writes rejects next to the input, created only when the first one arrives.

    ``read`` counts every record read, good or rejected, so that the summary's
    accepted, duplicate and rejected records add up to it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self.read = 0
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


def read_batches(
    path: Path, fmt: str, options: ImportOptions, rejects: RejectsFile, batch_size: int
) -> Iterator[tuple[list[Post], int]]:
    """Good posts in batches, each with the bytes of the file it consumed; rejects go aside."""
    with path.open("rb") as handle:
        posts: list[Post] = []
        position = 0
        try:
            for _line, record in _records(handle, fmt, options):
                rejects.read += 1
                if isinstance(record, Reject):
                    rejects.write(record)
                    continue
                posts.append(record)
                if len(posts) >= batch_size:
                    now = handle.tell()
                    yield posts, now - position
                    posts, position = [], now
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path.name} is not valid {options.encoding} text near byte {exc.start}; "
                f"everything before that was stored. Save it as UTF-8, or pass "
                f"--encoding (e.g. cp1252 for files from German Excel)."
            ) from exc
        yield posts, handle.tell() - position


def rejects_path(path: Path, options: ImportOptions) -> Path:
    """Where rejected records go: ``--rejects``, else beside the input file."""
    return options.rejects_path or path.with_name(path.name + ".rejects.jsonl")


def rejects_file(path: Path, options: ImportOptions) -> RejectsFile:
    return RejectsFile(rejects_path(path, options))
