"""Which YouTube comment threads to look at again for new replies, kept in the cursor.

New threads are found newest first, but a reply to an old thread does not
make the thread new. The source therefore remembers its most recent threads
(``recheck_threads`` of them, across videos) with their reply count and the
time of the newest reply it stored::

    "threads": [[thread_id, video_id, reply_count, newest_reply_time | None], ...]

Each comment pass asks for those threads by id (``commentThreads.list?id=``,
50 a call, 1 quota unit each) and reads the replies of those whose count grew.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

IDS_PER_CALL = 50  # commentThreads.list takes at most 50 ids

Watched = list[Any]  # [thread_id, video_id, reply_count, newest_reply_time | None]


def reply_count(thread: Mapping[str, Any]) -> int:
    count = (thread.get("snippet") or {}).get("totalReplyCount")
    return count if isinstance(count, int) and count >= 0 else 0


def published(comment: Mapping[str, Any]) -> str:
    return str((comment.get("snippet") or {}).get("publishedAt") or "")


def watch(
    state: dict[str, Any],
    video: str,
    threads: Sequence[Mapping[str, Any]],
    replies: Sequence[Mapping[str, Any]],
    keep: int,
) -> None:
    """Put the threads just read (with the newest of their replies) in front of the watch list."""
    newest: dict[str, str] = {}
    for reply in replies:
        parent = str((reply.get("snippet") or {}).get("parentId") or "")
        newest[parent] = max(newest.get(parent, ""), published(reply))
    fresh = [[t["id"], video, reply_count(t), newest.get(t["id"])] for t in threads]
    ids = {entry[0] for entry in fresh}
    kept = [entry for entry in state.get("threads") or [] if entry[0] not in ids]
    state["threads"] = (fresh + kept)[:keep]


def batches(state: Mapping[str, Any]) -> list[list[Watched]]:
    """The watched threads in groups of one ``commentThreads.list`` call each."""
    watched = [list(entry) for entry in state.get("threads") or []]
    return [watched[i : i + IDS_PER_CALL] for i in range(0, len(watched), IDS_PER_CALL)]


def unseen(replies: Sequence[Mapping[str, Any]], since: str | None) -> list[Mapping[str, Any]]:
    """Replies at or after the newest one stored (a reply at that very second is stored once)."""
    return [r for r in replies if since is None or published(r) >= since]


def update(state: dict[str, Any], entry: Watched, thread: Mapping[str, Any] | None) -> None:
    """Record a thread's new count (and newest reply), or forget a thread that is gone."""
    listed = state.get("threads") or []
    if thread is None:
        state["threads"] = [e for e in listed if e[0] != entry[0]]
        return
    state["threads"] = [entry if e[0] == entry[0] else e for e in listed]
