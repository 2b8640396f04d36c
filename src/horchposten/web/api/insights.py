"""Insights read from the posts: authors and authority, themes, voice of the customer, reach."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from horchposten.analytics.aspects import voice_of_customer
from horchposten.analytics.authors import (
    AuthorStats,
    Rank,
    author_stats,
    author_trend,
    top_authors,
)
from horchposten.analytics.facts import Filters
from horchposten.analytics.influence import authority
from horchposten.analytics.period import Granularity, Period
from horchposten.analytics.reach import ReachChange, SourceReach, earned_media
from horchposten.analytics.sample import SampleInfo
from horchposten.analytics.settings import AnalyticsSettings
from horchposten.analytics.themes import Doc, clusters, documents, rising_terms, top_terms
from horchposten.analytics.volume import check_granularity
from horchposten.errors import NotFound
from horchposten.store.topics import topic_at
from horchposten.web.api.answers import answer
from horchposten.web.api.changes import ChangeOut, RateChangeOut
from horchposten.web.api.params import FILTERS, PERIOD, TopicRef
from horchposten.web.deps import CONN, CTX, READ, Context
from horchposten.web.errors import ERROR_RESPONSES

router = APIRouter(tags=["insights"], responses=ERROR_RESPONSES)
LIMIT = Query(ge=1, le=100, description="How many to list.", examples=[10])
INCLUDE_OWN = Query(description="Also rank the topic's own accounts (left out by default).")


class AuthorOut(BaseModel):
    author: str = Field(examples=["mastodon:anna@example.social"])
    name: str | None = None
    followers: int = Field(
        description="From the author's stored profile (the latest seen); 0 when unknown.",
        examples=[5200],
    )
    posts: int = Field(examples=[7])
    engagement: int = Field(examples=[140])
    stance: str = Field(description="advocate, detractor or neutral", examples=["advocate"])
    sentiments: dict[str, int] = Field(examples=[{"positive": 5, "neutral": 2}])
    reach: int = Field(
        description="Followers summed over the author's posts in the period (what by=reach ranks).",
        examples=[36400],
    )


class TrendPoint(BaseModel):
    start: datetime = Field(examples=["2026-10-24T22:00:00Z"])
    posts: int = Field(examples=[3])


class AuthorProfileOut(AuthorOut):
    trend: list[TrendPoint] = Field(description="The author's posts in the topic per bucket.")


class SampleOut(BaseModel):
    """Which of the period's posts an answer read: text and graph insights read a bounded,
    deterministic sample (every n-th post by id) of a busy period (docs/analytics.md)."""

    read: int = Field(description="Posts the answer was computed from.", examples=[5000])
    posts: int = Field(description="The topic's posts in the period.", examples=[23020])
    every: int = Field(
        description="1: every post was read; n: every n-th post (by id) was read.", examples=[5]
    )

    @classmethod
    def of(cls, info: SampleInfo) -> SampleOut:
        return cls(read=info.read, posts=info.posts, every=info.every)


class AuthorityOut(BaseModel):
    author: str = Field(examples=["mastodon:anna@example.social"])
    score: float = Field(
        description="PageRank over replies, mentions and reposts.", examples=[0.21]
    )
    in_links: int = Field(examples=[12])


class AuthorityAnswer(BaseModel):
    authors: list[AuthorityOut]
    sample: SampleOut = Field(description="The posts whose replies and mentions made the graph.")


class ExampleOut(BaseModel):
    post_id: int
    text: str
    engagement: int


class ThemeOut(BaseModel):
    label: str = Field(examples=["Kundenservice"])
    size: int = Field(examples=[42])
    examples: list[ExampleOut]


class TermOut(BaseModel):
    label: str = Field(examples=["battery life"])
    posts: int


class RisingOut(TermOut):
    previous: int = Field(description="Posts with the term in the period before.")
    burst: float = Field(description="log2 of the share now against before.", examples=[2.6])


class ThemesOut(BaseModel):
    themes: list[ThemeOut]
    terms: list[TermOut]
    rising: list[RisingOut]
    sample: SampleOut = Field(description="The posts sizes and counts are taken from.")
    previous_sample: SampleOut = Field(description="The same for the period just before.")


class QuoteOut(BaseModel):
    post_id: int
    polarity: str
    quote: str


class AspectOut(BaseModel):
    name: str = Field(examples=["delivery"])
    mentions: int
    counts: dict[str, int] = Field(examples=[{"positive": 3, "neutral": 4, "negative": 9}])
    net: float | None
    quotes: list[QuoteOut]


class VoiceOut(BaseModel):
    aspects: list[AspectOut]
    praised: list[str] = Field(examples=[["price"]])
    criticised: list[str] = Field(examples=[["delivery"]])
    surfaced: list[str] = Field(description="Opinion targets no aspect names.", examples=[["akku"]])
    sample: SampleOut = Field(description="The posts mentions and counts are taken from.")


class ReachOut(BaseModel):
    posts: int
    followers: int
    impressions: float = Field(description="Views where given, else followers x reach factor.")
    viewed_posts: int
    value: float = Field(description="impressions / 1000 x CPM")

    @classmethod
    def of(cls, part: SourceReach) -> ReachOut:
        return cls(**part.__dict__)


class ReachChangeOut(BaseModel):
    posts: ChangeOut
    followers: ChangeOut = Field(examples=[{"previous": 48000, "absolute": 6000, "percent": 12.5}])
    impressions: RateChangeOut = Field(
        examples=[{"previous": 20000.0, "absolute": 530.0, "percent": 2.65}]
    )
    value: RateChangeOut = Field(examples=[{"previous": 100.0, "absolute": 2.65, "percent": 2.65}])


class EarnedMediaOut(BaseModel):
    currency: str = Field(examples=["EUR"])
    total: ReachOut
    by_source: dict[str, ReachOut]
    change: ReachChangeOut = Field(
        description="The totals against the period of the same length just before."
    )


def _author(found: AuthorStats) -> AuthorOut:
    return AuthorOut(
        author=found.key,
        name=found.name,
        followers=found.followers,
        posts=found.posts,
        engagement=found.engagement,
        stance=found.stance,
        sentiments=dict(found.sentiments),
        reach=found.reach,
    )


@router.get("/topics/{ref}/authors", summary="Top authors")
def topic_authors(
    ref: TopicRef,
    request: Request,
    by: Annotated[Rank, Query(description="Rank by reach, engagement or posts.")] = "reach",
    limit: Annotated[int, LIMIT] = 10,
    include_own: Annotated[bool, INCLUDE_OWN] = False,
    period: Period = PERIOD,
    _: object = READ,
    conn: Connection = CONN,
) -> list[AuthorOut]:
    """The topic's top authors, each marked advocate, detractor or neutral."""
    topic = topic_at(conn, ref)
    own = () if include_own else topic.own_accounts
    return answer(
        request,
        conn,
        lambda: [
            _author(a)
            for a in top_authors(conn, topic.id or 0, period, by=by, limit=limit, leave_out=own)
        ],
    )


@router.get("/topics/{ref}/authors/{author}", summary="An author's profile")
def topic_author(
    ref: TopicRef,
    author: Annotated[str, Path(description="source:handle", examples=["mastodon:anna"])],
    granularity: Annotated[Granularity, Query(description="Trend buckets.")] = "day",
    period: Period = PERIOD,
    _: object = READ,
    conn: Connection = CONN,
    ctx: Context = CTX,
) -> AuthorProfileOut:
    """One author ("source:handle") in the topic; their posts: ``GET /posts?author=…``."""
    topic = topic_at(conn, ref)
    found = author_stats(conn, topic.id or 0, period, only=author).get(author)
    if found is None:
        raise NotFound(f"'{author}' wrote no post of the topic '{topic.name}' in this period.")
    check_granularity(period, granularity)
    trend = author_trend(
        conn, topic.id or 0, period, author, granularity=granularity, zone=ctx.zone_in(conn)
    )
    return AuthorProfileOut(
        **_author(found).model_dump(),
        trend=[TrendPoint(start=start, posts=n) for start, n in trend],
    )


@router.get("/topics/{ref}/authority", summary="Authority (PageRank)")
def topic_authority(
    ref: TopicRef,
    request: Request,
    limit: Annotated[int, LIMIT] = 10,
    include_own: Annotated[bool, INCLUDE_OWN] = False,
    period: Period = PERIOD,
    _: object = READ,
    conn: Connection = CONN,
) -> AuthorityAnswer:
    """Authors ranked by PageRank over who replies to, mentions and reposts whom, in the
    graph of a bounded sample of the period's posts (``sample``)."""
    topic = topic_at(conn, ref)
    own = () if include_own else topic.own_accounts
    return answer(request, conn, lambda: _authority(conn, topic.id or 0, period, limit, own))


def _authority(
    conn: Connection, topic_id: int, period: Period, limit: int, own: Sequence[str]
) -> AuthorityAnswer:
    ranked, info = authority(conn, topic_id, period, limit=limit, leave_out=own)
    return AuthorityAnswer(
        authors=[AuthorityOut(**a.__dict__) for a in ranked], sample=SampleOut.of(info)
    )


@router.get("/topics/{ref}/themes", summary="Themes and rising terms")
def topic_themes(
    ref: TopicRef,
    request: Request,
    limit: Annotated[int, LIMIT] = 10,
    period: Period = PERIOD,
    _: object = READ,
    conn: Connection = CONN,
) -> ThemesOut:
    """Labelled clusters with sizes and examples, top terms and phrases, and rising terms
    with their burst score against the period just before."""
    topic_id = topic_at(conn, ref).id or 0
    return answer(request, conn, lambda: _themes(conn, topic_id, period, limit))


def _themes(conn: Connection, topic_id: int, period: Period, limit: int) -> ThemesOut:
    docs, info = documents(conn, topic_id, period)
    before, before_info = documents(conn, topic_id, period.previous())
    return ThemesOut(
        themes=[
            ThemeOut(label=t.label, size=t.size, examples=[_example(d) for d in t.examples])
            for t in clusters(docs, limit)
        ],
        terms=[TermOut(**t.__dict__) for t in top_terms(docs, limit)],
        rising=[RisingOut(**t.__dict__) for t in rising_terms(docs, before, limit)],
        sample=SampleOut.of(info),
        previous_sample=SampleOut.of(before_info),
    )


def _example(doc: Doc) -> ExampleOut:
    return ExampleOut(post_id=doc.post_id, text=doc.text[:500], engagement=doc.engagement)


@router.get("/topics/{ref}/voice-of-customer", summary="Voice of the customer")
def topic_voice(
    ref: TopicRef,
    request: Request,
    period: Period = PERIOD,
    _: object = READ,
    conn: Connection = CONN,
) -> VoiceOut:
    """Aspects (price, quality, delivery, customer service, usability) with their sentiment,
    the most praised and criticised, quotes, and opinion targets the data surfaces."""
    topic_id = topic_at(conn, ref).id or 0
    return answer(request, conn, lambda: _voice(conn, topic_id, period))


def _voice(conn: Connection, topic_id: int, period: Period) -> VoiceOut:
    docs, info = documents(conn, topic_id, period)
    voice = voice_of_customer(docs)
    return VoiceOut(
        aspects=[
            AspectOut(
                name=a.name,
                mentions=a.mentions,
                counts=a.counts,
                net=a.net,
                quotes=[
                    QuoteOut(post_id=q.post_id, polarity=q.polarity, quote=q.quote[:500])
                    for q in a.quotes
                ],
            )
            for a in voice.aspects
        ],
        praised=voice.praised,
        criticised=voice.criticised,
        surfaced=voice.surfaced,
        sample=SampleOut.of(info),
    )


@router.get("/topics/{ref}/earned-media", summary="Reach and earned media value")
def topic_earned_media(
    ref: TopicRef,
    request: Request,
    period: Period = PERIOD,
    filters: Filters = FILTERS,
    _: object = READ,
    conn: Connection = CONN,
    ctx: Context = CTX,
) -> EarnedMediaOut:
    """Impressions and what they would have cost as ads at the configured CPM per source."""
    topic_id = topic_at(conn, ref).id or 0
    return answer(
        request, conn, lambda: _earned(conn, topic_id, period, filters, ctx.settings.analytics)
    )


def _earned(
    conn: Connection, topic_id: int, period: Period, filters: Filters, settings: AnalyticsSettings
) -> EarnedMediaOut:
    report = earned_media(conn, topic_id, period, settings, filters)
    return EarnedMediaOut(
        currency=report.currency,
        total=ReachOut.of(report.total),
        by_source={k: ReachOut.of(v) for k, v in report.by_source.items()},
        change=_reach_change(report.change),
    )


def _reach_change(found: ReachChange) -> ReachChangeOut:
    return ReachChangeOut(
        posts=ChangeOut.of(found.posts),
        followers=ChangeOut.of(found.followers),
        impressions=RateChangeOut.of(found.impressions),
        value=RateChangeOut.of(found.value),
    )
