"""Mastodon reply links: an instance-local ``in_reply_to_id`` becomes the parent's ``uri``.

Posts are keyed by a status's ``uri`` (the same on every instance), but a reply
names its parent by the id the answering instance gave it. ``ThreadIndex``
remembers, for the statuses one source has seen, their local id, ``uri`` and
thread root; a reply whose parent it knows gets both links written into its
raw status under ``THREAD`` (so ``to_post`` stays pure and re-mapping the
stored raw status keeps the links). The source asks the instance for the
context of the replies left over (``GET /api/v1/statuses/{id}/context``: the
ancestors, root first), which teaches the index the whole chain at once.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

THREAD = "horchposten_thread"  # {"parent": uri, "root": uri}, added to a raw status
REMEMBERED = 20_000  # statuses the index keeps, most recently used first


class ThreadIndex:
    """Local status id → (uri, root uri) of statuses seen through one instance; bounded."""

    def __init__(self, size: int = REMEMBERED) -> None:
        self._size = size
        self._known: OrderedDict[str, tuple[str, str]] = OrderedDict()

    def link(self, items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Link every reply whose parent is known; return the statuses still unlinked.

        Oldest first, so a reply in the same page as its parent finds it.
        """
        statuses = sorted((_mutable(item) for item in items), key=_local_order)
        waiting: list[dict[str, Any]] = []
        for status in statuses:
            if not self.place(status):
                waiting.append(status)
        return waiting

    def learn_ancestors(self, ancestors: Iterable[Mapping[str, Any]]) -> None:
        """The ancestors of a context answer, root first: each one's root is the first."""
        chain = [a for a in ancestors if isinstance(a.get("uri"), str) and a.get("id")]
        if chain:
            root = str(chain[0]["uri"])
            for status in chain:
                self._remember(str(status["id"]), str(status["uri"]), root)

    def place(self, status: dict[str, Any]) -> bool:
        """Remember the status and link it if it is a reply to a known one; False if not."""
        uri, local = status.get("uri"), status.get("id")
        if not isinstance(uri, str) or not local:
            return True  # nothing to link; to_post reports a status without uri
        parent_local = status.get("in_reply_to_id")
        if not parent_local:
            self._remember(str(local), uri, uri)
            return True
        parent = self._lookup(str(parent_local))
        if parent is None:
            return False
        status[THREAD] = {"parent": parent[0], "root": parent[1]}
        self._remember(str(local), uri, parent[1])
        return True

    def _lookup(self, local: str) -> tuple[str, str] | None:
        found = self._known.get(local)
        if found is not None:
            self._known.move_to_end(local)
        return found

    def _remember(self, local: str, uri: str, root: str) -> None:
        self._known[local] = (uri, root)
        self._known.move_to_end(local)
        while len(self._known) > self._size:
            self._known.popitem(last=False)


def _mutable(item: dict[str, Any]) -> dict[str, Any]:
    # A boost's thread is the boosted status's; the link goes where to_post reads it.
    boosted = item.get("reblog")
    return boosted if isinstance(boosted, dict) else item


def _local_order(status: Mapping[str, Any]) -> int:
    local = str(status.get("id") or "")
    return int(local) if local.isdigit() else 0
