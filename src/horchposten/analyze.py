"""``horchposten analyze``: enrich text from a file or stdin without a workspace.

Each input line is a JSON object with at least ``text`` (``id``, ``lang`` and
``title`` are used when given) or, when it does not start with ``{``, plain
text. Each gives one JSON object out, in input order: the line's ``id`` when it
had one, then every enrichment's fields by name; a line that cannot be read
gives ``{"line": N, "error": "…"}``. Blank lines are skipped.

Lines are enriched in batches of what has arrived so far, so results of a slow
producer (a pipe that writes a line now and then) appear as its lines do.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import IO, Any

from pydantic import ValidationError

from horchposten.enrich.base import Enricher
from horchposten.models import Post
from horchposten.prepare import enrich, order_enrichers
from horchposten.sources.records import explain

MAX_BATCH = 256
OUTPUT_ORDER = ("language", "sentiment", "emotion", "toxicity", "entities", "disclosure")
_END = None


def read_available(stream: IO[str], max_batch: int = MAX_BATCH) -> Iterator[list[tuple[int, str]]]:
    """Numbered lines in batches: whatever has arrived, at least one line, at most ``max_batch``.

    A reader thread fills a queue, so a batch never waits for input that has
    not been written yet.
    """
    lines: queue.Queue[tuple[int, str] | None] = queue.Queue(maxsize=4 * max_batch)

    def read() -> None:
        for number, line in enumerate(stream, 1):
            lines.put((number, line))
        lines.put(_END)

    threading.Thread(target=read, daemon=True, name="analyze-reader").start()
    while True:
        first = lines.get()
        if first is _END:
            return
        batch = [first]
        while len(batch) < max_batch:
            try:
                item = lines.get_nowait()
            except queue.Empty:
                break
            if item is _END:
                yield batch
                return
            batch.append(item)
        yield batch


def analyze_batch(
    enrichers: Sequence[Enricher], lines: Sequence[tuple[int, str]]
) -> list[tuple[str, bool]]:
    """One JSON line out per non-blank input line, in order, and whether the line was read."""
    read = [(number, _post(number, line)) for number, line in lines if line.strip()]
    posts = [found[0] for _, found in read if not isinstance(found, str)]
    results = iter(enrich(order_enrichers(enrichers), posts))
    out: list[tuple[str, bool]] = []
    for number, found in read:
        if isinstance(found, str):
            out.append((json.dumps({"line": number, "error": found}, ensure_ascii=False), False))
            continue
        post, has_id = found
        fields: dict[str, Any] = {"id": post.id} if has_id else {}
        enriched = next(results)
        fields |= {name: enriched[name][1] for name in sorted(enriched, key=_output_rank)}
        out.append((json.dumps(fields, ensure_ascii=False), True))
    return out


def _output_rank(name: str) -> tuple[int, str]:
    """What the text is, then how it reads, then what it names, then where it comes from."""
    return (OUTPUT_ORDER.index(name) if name in OUTPUT_ORDER else len(OUTPUT_ORDER), name)


def _post(number: int, line: str) -> tuple[Post, bool] | str:
    """The line as a post and whether it named its id, or why it cannot be a post."""
    now = datetime.now(UTC)
    if not line.lstrip().startswith("{"):
        return Post(id=f"line-{number}", text=line.rstrip("\r\n"), created_at=now), False
    try:
        data = json.loads(line.rstrip("\r\n"))  # it starts with "{": an object, when valid
    except json.JSONDecodeError as exc:
        return f"line {number}, column {exc.colno}: invalid JSON: {exc.msg}"
    known = {key: data[key] for key in ("id", "text", "title", "lang") if key in data}
    has_id = "id" in known
    known.setdefault("id", f"line-{number}")
    try:
        return Post.model_validate(known | {"created_at": now}), has_id
    except ValidationError as exc:
        return f"line {number}: {explain(exc)}"
