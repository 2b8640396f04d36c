"""The access report (GDPR Art. 15): everything stored about one author, as JSON or a ZIP.

Posts with their raw platform payloads, enrichments and the names of the topics
they matched; the author's profiles; their per-author rollup rows. Read in one
transaction, so the report is one consistent picture.
"""

from __future__ import annotations

import json
import zipfile
import zlib
from collections.abc import Sequence
from datetime import datetime
from typing import IO, Any

from sqlalchemy import Connection, Table, select
from sqlalchemy.sql import ColumnElement

from horchposten.privacy.person import Subject, of_handles, stored_handles
from horchposten.store.dialect import chunks
from horchposten.store.rows import stored_post
from horchposten.store.schema import (
    authors,
    enrichments,
    post_topics,
    posts,
    rollups_authors,
    topics,
)

REPORT_NAME = "access-report.json"
README = """Access report (GDPR Art. 15) from a Horchposten workspace.

access-report.json holds everything stored about the author named in "subject":
- "posts": each public post as stored, with the platform's raw payload ("raw"),
  the results of the automatic analyses ("enrichments") and the topics it matched;
- "author_profiles": the profile details copied from the posts (name, followers, link);
- "author_rollups": counts per topic and day or month that the top-author lists read.
"""


def access_report(conn: Connection, subject: Subject, now: datetime) -> dict[str, Any]:
    """Everything stored about ``subject``, as JSON-ready data."""
    pairs = stored_handles(conn, subject)
    return {
        "generated_at": now.isoformat(),
        "subject": {"handle": subject.handle, "source": subject.source},
        "handles": [{"source": source, "handle": handle} for source, handle in pairs],
        "posts": _posts(conn, pairs),
        "author_profiles": _rows(conn, authors, authors.c.source, authors.c.handle, pairs),
        "author_rollups": _author_rollups(conn, pairs),
    }


def _posts(conn: Connection, pairs: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    names = {row[0]: row[1] for row in conn.execute(select(topics.c.id, topics.c.name))}
    found: list[dict[str, Any]] = []
    for part in chunks(pairs):
        where = of_handles(posts.c.source, posts.c.author_handle, part)
        rows = conn.execute(select(posts).where(where).order_by(posts.c.created_at)).all()
        ids = [row.id for row in rows]
        extra = _enrichments(conn, ids)
        matched = _topics(conn, ids, names)
        for row in rows:
            item = stored_post(row._mapping).model_dump(mode="json")
            item.update(
                key=row.key,
                first_seen_at=row.first_seen_at.isoformat(),
                updated_at=row.updated_at.isoformat(),
                raw=json.loads(zlib.decompress(row.raw)) if row.raw is not None else None,
                enrichments=extra.get(row.id, {}),
                topics=sorted(matched.get(row.id, [])),
            )
            found.append(item)
    return found


def _enrichments(conn: Connection, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for part in chunks(ids):
        query = select(enrichments).where(enrichments.c.post_id.in_(part))
        for row in conn.execute(query):
            found.setdefault(row.post_id, {})[row.enricher] = {
                "version": row.version,
                "data": row.data,
            }
    return found


def _topics(conn: Connection, ids: Sequence[int], names: dict[int, str]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for part in chunks(ids):
        query = select(post_topics.c.post_id, post_topics.c.topic_id).where(
            post_topics.c.post_id.in_(part)
        )
        for post_id, topic_id in conn.execute(query):
            found.setdefault(post_id, []).append(names[topic_id])
    return found


def _rows(
    conn: Connection,
    table: Table,
    source: ColumnElement[str],
    handle: ColumnElement[str],
    pairs: Sequence[tuple[str, str]],
) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for part in chunks(pairs):
        for row in conn.execute(select(table).where(of_handles(source, handle, part))):
            found.append({k: _json(v) for k, v in row._mapping.items()})
    return found


def _author_rollups(conn: Connection, pairs: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    names = {row[0]: row[1] for row in conn.execute(select(topics.c.id, topics.c.name))}
    table = rollups_authors
    rows = _rows(conn, table, table.c.source, table.c.handle, pairs)
    for row in rows:
        row["topic"] = names.get(row.pop("topic_id"))
    return sorted(rows, key=lambda r: (r["topic"] or "", r["span"], r["start"]))


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def write_json(report: dict[str, Any], out: IO[str]) -> None:
    json.dump(report, out, ensure_ascii=False, indent=2)


def write_bundle(report: dict[str, Any], out: IO[bytes]) -> None:
    """A ZIP with the report as JSON and a short explanation for the person receiving it."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(REPORT_NAME, json.dumps(report, ensure_ascii=False, indent=2))
        bundle.writestr("README.txt", README)
