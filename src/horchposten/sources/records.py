"""Reading interchange records from JSONL and CSV, one verdict per line or row.

Each reader yields ``(line, Post)`` for good records and ``(line, Reject)`` for
bad ones, so the caller stores every good record and reports every bad one.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from pydantic import ValidationError

from horchposten.errors import InputError
from horchposten.import_hints import check_required, naive_time_hint
from horchposten.models import MAX_SOURCE, SOURCE_NAME, Author, Metrics, Post, ahead_of_clock

# Interchange fields a CSV column can fill, as dotted paths.
CSV_FIELDS = (
    *(name for name in Post.model_fields if name not in ("author", "metrics", "raw")),
    *(f"author.{name}" for name in Author.model_fields),
    *(f"metrics.{name}" for name in Metrics.model_fields),
)


@dataclass(frozen=True)
class Reject:
    """A record that was not stored, with where and why."""

    line: int
    reason: str
    input: str

    def to_json(self) -> str:
        return json.dumps({"line": self.line, "reason": self.reason, "input": self.input})


Record = tuple[int, Post | Reject]


def explain(error: ValidationError) -> str:
    """One sentence per failing field: 'field author.followers: … (got 'abc')'."""
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "(record)"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "json_invalid":
            parts.append(f"invalid JSON: {item['ctx']['error']}")
        elif item["type"] == "model_type" and not item["loc"]:
            parts.append("expected a JSON object")
        elif not item["loc"]:
            parts.append(message)
        elif item["type"] == "missing":
            parts.append(f"field {where} is required but missing")
        elif item["type"] == "extra_forbidden":
            parts.append(f"field {where} is not part of the interchange format")
        else:
            parts.append(f"field {where}: {message} (got {_short(item['input'])})")
    return "; ".join(parts)


def _short(value: object) -> str:
    # An overlong value (a 10,000-character id) would drown the reason it was refused for.
    shown = repr(value)
    return shown if len(shown) <= 80 else f"{shown[:60]}… ({len(shown):,} characters)"


def validate(data: Any, line: int, source: str, text: str) -> Post | Reject:
    if not isinstance(data, dict):
        return Reject(line, f"expected a JSON object, got {type(data).__name__}", text)
    data.setdefault("source", source)
    try:
        post = Post.model_validate(data)
    except ValidationError as exc:
        return Reject(line, explain(exc), text)
    return in_time(post, line, text)


def in_time(post: Post, line: int, text: str) -> Post | Reject:
    """The post, or its Reject when it is dated in the future (docs/interchange.md)."""
    future = ahead_of_clock(post, datetime.now(UTC))
    return post if future is None else Reject(line, future, text)


def read_jsonl(lines: Iterable[bytes], source: str = "files") -> Iterator[Record]:
    """Parse JSON Lines; blank lines are skipped, bad lines become Rejects."""
    if not SOURCE_NAME.match(source) or len(source) > MAX_SOURCE:
        # Given once for every line without one: refuse it here, not on every line.
        raise InputError(
            f"--source {source!r} is no source name: use at most {MAX_SOURCE} lowercase "
            f"letters, digits, '-' or '_', like 'files'."
        )
    for number, raw_line in enumerate(lines, start=1):
        line = raw_line.strip()
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark
        if not line:
            continue
        try:
            # Parsing and validating in one step (in pydantic-core) is the fast path.
            post = Post.model_validate_json(line)
        except ValidationError as exc:
            shown = line.decode("utf-8", "replace")
            lenient = _lenient(line) if exc.errors()[0]["type"] == "json_invalid" else None
            if lenient is not None:
                yield number, validate(lenient[0], number, source, shown)
            else:
                yield number, Reject(number, explain(exc), shown)
            continue
        if "source" not in post.model_fields_set:
            post.source = source
        yield number, in_time(post, number, line.decode("utf-8", "replace"))


def _lenient(line: bytes) -> tuple[Any] | None:
    """The line parsed by Python's JSON reader, which pydantic-core's is stricter than.

    It accepts a lone surrogate escape (half of an emoji cut by a broken exporter),
    which the model then replaces; None when the line is no JSON for it either.
    """
    try:
        return (json.loads(line),)
    except (ValueError, RecursionError):
        return None


def csv_columns(header: Iterable[str], mapping: Mapping[str, str]) -> dict[str, str]:
    """Field path -> column name, from explicit mapping plus columns named like fields."""
    header = list(header)
    for field, column in mapping.items():
        if field not in CSV_FIELDS:
            raise InputError(
                f"'--map {field}={column}' names no interchange field. "
                f"Fields that can be mapped: {', '.join(CSV_FIELDS)}."
            )
        if column not in header:
            raise InputError(
                f"'--map {field}={column}' names the column '{column}', which is not in the "
                f"header. The header has: {', '.join(header)}."
            )
    columns = {name: name for name in header if name in CSV_FIELDS}
    columns.update(mapping)
    check_required(header, columns)
    return columns


def _nest(flat: Mapping[str, str], zone: tzinfo | None) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for path, value in flat.items():
        if value == "":
            continue  # an empty cell means 'not given', not an empty string or 0
        head, _, tail = path.partition(".")
        if tail:
            data.setdefault(head, {})[tail] = value
        else:
            data[head] = value
    if zone is not None and "created_at" in data:
        data["created_at"] = _with_zone(data["created_at"], zone)
    return data


def _with_zone(value: str, zone: tzinfo) -> str | datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value  # let validation explain the format problem
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def read_csv(
    text: io.TextIOBase,
    mapping: Mapping[str, str],
    *,
    source: str = "files",
    zone: tzinfo | None = None,
) -> Iterator[Record]:
    """Parse CSV with a header row; ``mapping`` maps field paths to column names."""
    sample = text.read(8192)
    text.seek(0)
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(text, dialect=dialect)
    columns = csv_columns(reader.fieldnames or [], mapping)
    for row in reader:
        line = reader.line_num
        shown = json.dumps(row, ensure_ascii=False)
        if None in row:
            yield line, Reject(line, "the row has more cells than the header", shown)
            continue
        flat = {field: row.get(column) or "" for field, column in columns.items()}
        yield line, _verdict(_nest(flat, zone), line, source, shown)


def _verdict(data: dict[str, Any], line: int, source: str, shown: str) -> Post | Reject:
    """Validate a row; a time without a zone is reported with the ``--timezone`` hint."""
    written = data.get("created_at")
    if not isinstance(written, str) or not _naive(written):
        return validate(data, line, source, shown)
    # Read as UTC once, only to report the row's other problems along with this one.
    other = validate({**data, "created_at": _with_zone(written, UTC)}, line, source, shown)
    reasons = [naive_time_hint(written), *([other.reason] if isinstance(other, Reject) else [])]
    return Reject(line, "; ".join(reasons), shown)


def _naive(value: str) -> bool:
    try:
        return datetime.fromisoformat(value).tzinfo is None
    except ValueError:
        return False
