"""Writing posts out in the interchange format: JSON Lines or flattened CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, TextIO

from horchposten.models import Post
from horchposten.sources.records import CSV_FIELDS

FORMATS = ("jsonl", "csv")


def flatten(post: Post) -> dict[str, Any]:
    data = post.to_interchange()
    flat: dict[str, Any] = {}
    for path in CSV_FIELDS:
        head, _, tail = path.partition(".")
        value = data[head][tail] if tail else data[head]
        flat[path] = "" if value is None else value
    return flat


def write_posts(posts: Iterable[Post], out: TextIO, fmt: str, *, header: bool = True) -> int:
    """Write posts as ``jsonl`` or ``csv``; returns how many were written.

    ``header=False`` leaves out the CSV header, for the later chunks of a stream.
    """
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
        if header:
            writer.writeheader()
        for post in posts:
            writer.writerow(flatten(post))
            count += 1
        return count
    for post in posts:
        out.write(json.dumps(post.to_interchange(), ensure_ascii=False) + "\n")
        count += 1
    return count
