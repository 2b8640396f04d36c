"""Pure Bluesky handling: post views, records and Jetstream events to Posts.

Three shapes reach ``to_post``: a post view (``searchPosts``, ``getPostThread``:
``uri``, ``author``, ``record``, counts), a stored record (``getRecord``:
``uri``, ``value``) and a Jetstream commit event (``did``, ``time_us``,
``commit`` with ``collection``, ``rkey``, ``record``). The post id is the
``at://`` URI, the same in all three, so a post seen by search and by the
firehose is stored once, and reply links (``record.reply``) are URIs too.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from horchposten.errors import SourceError
from horchposten.models import Author, Metrics, Post

KIND = "bluesky"
POST_COLLECTION = "app.bsky.feed.post"
WEB = "https://bsky.app/profile/"


def to_post(raw: Mapping[str, Any]) -> Post:
    """Map a post view, a record or a Jetstream commit; pure."""
    if isinstance(raw.get("commit"), Mapping):
        return _from_event(raw)
    record = raw.get("record") if isinstance(raw.get("record"), Mapping) else raw.get("value")
    if not isinstance(record, Mapping) or not isinstance(raw.get("uri"), str):
        raise SourceError("A Bluesky item without 'uri' and 'record' is no post; it was skipped.")
    author = raw.get("author") or {}
    return _post(
        raw["uri"],
        record,
        Author(
            handle=author.get("handle") or _did(raw["uri"]),
            name=author.get("displayName") or None,
            followers=_count(author.get("followersCount")),
            url=WEB + (author.get("handle") or _did(raw["uri"])),
        ),
        Metrics(
            likes=_count(raw.get("likeCount")),
            reposts=_count(raw.get("repostCount")),
            replies=_count(raw.get("replyCount")),
        ),
    )


def deleted_key(event: Mapping[str, Any]) -> str | None:
    """The key of the post a Jetstream ``delete`` commit removes; None for other events."""
    commit = event.get("commit")
    if (
        event.get("kind") != "commit"
        or not isinstance(commit, Mapping)
        or commit.get("operation") != "delete"
        or commit.get("collection") != POST_COLLECTION
        or not event.get("did")
        or not commit.get("rkey")
    ):
        return None
    return f"{KIND}:at://{event['did']}/{POST_COLLECTION}/{commit['rkey']}"


def _from_event(event: Mapping[str, Any]) -> Post:
    commit = event["commit"]
    if commit.get("collection") != POST_COLLECTION or not isinstance(commit.get("record"), Mapping):
        raise SourceError("A Jetstream event that creates or edits no post; it was skipped.")
    did = str(event["did"])
    uri = f"at://{did}/{POST_COLLECTION}/{commit['rkey']}"
    # Jetstream names the author only by DID; the handle needs a lookup per author.
    return _post(uri, commit["record"], Author(handle=did, url=WEB + did), Metrics())


def _post(uri: str, record: Mapping[str, Any], author: Author, metrics: Metrics) -> Post:
    reply = record.get("reply")
    links: Mapping[str, Any] = reply if isinstance(reply, Mapping) else {}
    parent, root = (links.get(k) or {} for k in ("parent", "root"))
    langs = record.get("langs")
    quoted = _quoted(record.get("embed"))
    kind = "reply" if parent.get("uri") else ("quote" if quoted else None)
    return Post(
        id=uri,
        source=KIND,
        text=_text(record),
        created_at=_created(record["createdAt"]),
        url=f"{WEB}{_did(uri)}/post/{uri.rsplit('/', 1)[1]}",
        lang=langs[0] if isinstance(langs, list) and langs else None,
        author=author,
        parent_id=parent.get("uri") or quoted,
        root_id=root.get("uri"),
        engagement_type=kind,
        metrics=metrics,
    )


def _created(value: Any) -> datetime:
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    # The lexicon wants a zone; some clients wrote none, and UTC is what they meant.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _text(record: Mapping[str, Any]) -> str | None:
    """The post's words, else the alt texts of its images (many posts are pictures)."""
    text = record.get("text")
    if isinstance(text, str) and text.strip():
        return text.strip()
    embed = record.get("embed") or {}
    media = embed.get("media") if isinstance(embed.get("media"), Mapping) else embed
    alts = [i.get("alt", "").strip() for i in (media or {}).get("images") or []]
    return "\n".join(a for a in alts if a) or None


def _quoted(embed: Any) -> str | None:
    """The URI of the post a quote post embeds."""
    if not isinstance(embed, Mapping):
        return None
    record = embed.get("record")
    if isinstance(record, Mapping) and isinstance(record.get("record"), Mapping):
        record = record["record"]  # recordWithMedia wraps the record once more
    uri = record.get("uri") if isinstance(record, Mapping) else None
    return uri if isinstance(uri, str) and f"/{POST_COLLECTION}/" in uri else None


def _did(uri: str) -> str:
    return uri.removeprefix("at://").split("/", 1)[0]


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and value >= 0 else None


def thread_posts(thread: Any) -> list[dict[str, Any]]:
    """Post views of a ``getPostThread`` answer's thread: parents, the post, all replies."""
    found: list[dict[str, Any]] = []
    parents = []
    node = thread.get("parent") if isinstance(thread, dict) else None
    while isinstance(node, dict) and isinstance(node.get("post"), dict):
        parents.append(node["post"])
        node = node.get("parent")
    found += reversed(parents)
    stack = [thread] if isinstance(thread, dict) else []
    while stack:
        node = stack.pop()
        if isinstance(node.get("post"), dict):  # blocked or missing posts have none
            found.append(node["post"])
        stack.extend(reversed([r for r in node.get("replies") or [] if isinstance(r, dict)]))
    return found
