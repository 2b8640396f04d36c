"""Links to a post's original are http(s) only, even for a post that bypassed the model.

The model refuses other schemes (test_import_bounds.py); the template checks again,
so a ``javascript:`` link stored by an older version never becomes clickable.
"""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from horchposten.models import Author, Post
from horchposten.web.ui import current
from horchposten.web.ui.auth import Page
from horchposten.web.ui.templating import ENVIRONMENT

MENTION = ENVIRONMENT.from_string(
    '{% from "pages/_mention.html" import mention %}{{ mention(entry, thread_link=False) }}'
)


def rendered(url: str) -> str:
    # model_construct skips validation, as a row written before the model checked links.
    post = Post.model_construct(
        id="1", source="files", text="Nordlicht", created_at=datetime(2026, 11, 1, tzinfo=UTC),
        url=url, author=Author(), lang=None, title=None,
    )  # fmt: skip
    entry = SimpleNamespace(
        post=post, post_id=1, sentiment="neutral", when=post.created_at, topics=[]
    )
    page = Page(None, None, "", "en", ZoneInfo("UTC"))  # type: ignore[arg-type]
    token = current.rendering.set(page)
    try:
        return MENTION.render(entry=entry)
    finally:
        current.rendering.reset(token)


@pytest.mark.parametrize(
    "url", ["javascript:alert(document.cookie)", " JavaScript:alert(1)", "data:text/html,x"]
)
def test_a_link_of_another_scheme_is_not_rendered(url: str) -> None:
    html = rendered(url)
    assert "Nordlicht" in html
    assert 'class="original"' not in html and "alert" not in html


def test_an_http_link_is_rendered() -> None:
    assert 'href="https://social.example/1"' in rendered("https://social.example/1")
