"""Topics: list, create, read, change, remove; and checking a query before saving it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from horchposten.backfill import backfill_topic
from horchposten.errors import QueryError
from horchposten.models import Topic
from horchposten.query import QueryWarning
from horchposten.query.check import check
from horchposten.store.topics import add_topic, list_topics, remove_topic, topic_at, update_topic
from horchposten.texts import Param, Text
from horchposten.web.api.params import TopicRef
from horchposten.web.deps import CONN, READ, WRITE
from horchposten.web.errors import ERROR_RESPONSES, ErrorBody

router = APIRouter(tags=["topics"], responses=ERROR_RESPONSES)
TAKEN: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorBody, "description": "conflict: the name is taken"}
}

EXAMPLE = {"name": "Nordlicht", "query": 'nordlicht OR "nord licht"', "langs": ["de"]}


class TopicOut(BaseModel):
    id: int = Field(examples=[1])
    name: str = Field(examples=["Nordlicht"])
    query: str = Field(examples=['nordlicht OR "nord licht"'])
    langs: list[str] = Field(examples=[["de", "en"]])
    sources: list[str] = Field(examples=[["mastodon"]])
    own_accounts: list[str] = Field(
        description="The brand's own accounts; influencer rankings leave them out.",
        examples=[["bluesky:nordlichtkaffee.bsky.social", "mastodon:nordlichtkaffee"]],
    )

    @classmethod
    def of(cls, topic: Topic) -> TopicOut:
        return cls(
            id=topic.id or 0,
            name=topic.name,
            query=topic.query,
            langs=list(topic.langs),
            sources=list(topic.sources),
            own_accounts=list(topic.own_accounts),
        )


Lang = Annotated[str, Field(pattern=r"^(?:[a-z]{2}|und)$")]
SourceName = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
Account = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*:@?[^\s@:]\S*$", max_length=320)]


class TopicIn(BaseModel):
    name: str = Field(min_length=1, max_length=200, examples=["Nordlicht"])
    query: str = Field(min_length=1, examples=["nordlicht"])
    langs: list[Lang] = Field(default_factory=list, examples=[["de"]])
    sources: list[SourceName] = Field(default_factory=list, examples=[[]])
    own_accounts: list[Account] = Field(
        default_factory=list, examples=[["bluesky:nordlichtkaffee.bsky.social"]]
    )


class TopicChange(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    query: str | None = Field(default=None, min_length=1, examples=["nordlicht AND lang:de"])
    langs: list[Lang] | None = None
    sources: list[SourceName] | None = None
    own_accounts: list[Account] | None = None


class QueryIn(BaseModel):
    query: str = Field(examples=["nordlicht AND (preis OR kosten"])


TEMPLATE = (
    "The English message with %(name)s placeholders, to translate (docs/api.md): "
    "the message is the template with `params` filled in."
)


class QueryProblem(BaseModel):
    message: str = Field(examples=["This '(' is never closed."])
    line: int
    column: int
    offset: int
    hint: str = Field(default="", examples=["Add a ')'."])
    template: str = Field(default="", description=TEMPLATE)
    params: dict[str, Param] = Field(default_factory=dict)
    hint_template: str = Field(default="", description="`hint`'s template, like `template`.")
    hint_params: dict[str, Param] = Field(default_factory=dict)

    @classmethod
    def of(cls, found: QueryError | QueryWarning) -> QueryProblem:
        text: Text | None = found.text
        hint, hint_text = found.hint, found.hint_text
        message = found.reason if isinstance(found, QueryError) else found.message
        return cls(
            message=message,
            line=found.line,
            column=found.column,
            offset=found.offset,
            hint=hint,
            template=text.template if text else "",
            params=dict(text.params) if text else {},
            hint_template=hint_text.template if hint_text else "",
            hint_params=dict(hint_text.params) if hint_text else {},
        )


class QueryCheck(BaseModel):
    valid: bool = Field(examples=[False])
    canonical: str | None = Field(default=None, examples=["nordlicht AND (preis OR kosten)"])
    warnings: list[str] = Field(default_factory=list)
    warning_details: list[QueryProblem] = Field(
        default_factory=list, description="Each warning with its position and suggested fix."
    )
    error: QueryProblem | None = None


@router.get("/topics", summary="List topics")
def topics_list(_: object = READ, conn: Connection = CONN) -> list[TopicOut]:
    """Every saved topic, by name."""
    return [TopicOut.of(t) for t in list_topics(conn)]


@router.post("/topics", status_code=201, summary="Create a topic", responses=TAKEN)
def topics_create(
    topic: Annotated[TopicIn, Body(examples=[EXAMPLE])],
    _: object = WRITE,
    conn: Connection = CONN,
) -> TopicOut:
    """Save a topic and match it against the stored posts. A bad query is a 422 with its
    line and column in ``details``; a taken name is a 409."""
    check(topic.query)
    saved = add_topic(conn, Topic(**topic.model_dump()))
    backfill_topic(conn, saved)
    return TopicOut.of(saved)


@router.get("/topics/{ref}", summary="Read a topic")
def topics_get(ref: TopicRef, _: object = READ, conn: Connection = CONN) -> TopicOut:
    """The topic's query and filters."""
    return TopicOut.of(topic_at(conn, ref))


@router.patch("/topics/{ref}", summary="Change a topic", responses=TAKEN)
def topics_change(
    ref: TopicRef,
    change: Annotated[TopicChange, Body(examples=[{"query": "nordlicht AND lang:de"}])],
    _: object = WRITE,
    conn: Connection = CONN,
) -> TopicOut:
    """Change the given fields; a new query or filter re-matches the stored posts."""
    if change.query is not None:
        check(change.query)
    updated = update_topic(
        conn,
        topic_at(conn, ref).name,
        query=change.query,
        langs=change.langs,
        sources=change.sources,
        new_name=change.name,
        own_accounts=change.own_accounts,
    )
    if change.query is not None or change.langs is not None or change.sources is not None:
        backfill_topic(conn, updated)
    return TopicOut.of(updated)


@router.delete("/topics/{ref}", status_code=204, summary="Remove a topic")
def topics_remove(ref: TopicRef, _: object = WRITE, conn: Connection = CONN) -> Response:
    """Remove the topic with its matches and rollups."""
    remove_topic(conn, topic_at(conn, ref).name)
    return Response(status_code=204)


@router.post("/query/check", summary="Check a query")
def query_check(
    body: Annotated[QueryIn, Body(examples=[{"query": "nordlicht AND (preis OR kosten"}])],
    _: object = READ,
) -> QueryCheck:
    """Parse a query: its canonical form and warnings, or where it goes wrong."""
    try:
        checked = check(body.query)
    except QueryError as exc:
        return QueryCheck(valid=False, error=QueryProblem.of(exc))
    return QueryCheck(
        valid=True,
        canonical=checked.canonical,
        warnings=[w.message for w in checked.warnings],
        warning_details=[QueryProblem.of(w) for w in checked.warnings],
    )
