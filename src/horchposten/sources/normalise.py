"""The first stage: a source's raw items mapped to posts (``pipeline.stages`` runs it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from pydantic import ValidationError

from horchposten.errors import HorchpostenError
from horchposten.models import Post
from horchposten.sources.records import explain


class Mapper(Protocol):
    def to_post(self, raw: Mapping[str, Any]) -> Post: ...


def normalise(source: Mapper, items: Sequence[dict[str, Any]]) -> tuple[list[Post], list[str]]:
    """Map raw items to posts; an item that cannot be mapped is a problem, not a crash."""
    posts = []
    problems = []
    for raw in items:
        try:
            post = source.to_post(raw)
        except HorchpostenError as exc:
            problems.append(str(exc))
            continue
        except ValidationError as exc:
            problems.append(explain(exc))
            continue
        post.raw = dict(raw)
        posts.append(post)
    return posts, problems
