"""Dashboard charts from the rollups: volume, source split, sentiment, share of voice."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from horchposten.analytics.facts import Filters
from horchposten.analytics.period import Granularity, Period
from horchposten.analytics.sentiment import Distribution, sentiment
from horchposten.analytics.share import Share, share_of_voice
from horchposten.analytics.volume import Split, volume
from horchposten.errors import InputError
from horchposten.store.topics import get_topic, topic_at
from horchposten.web.api.changes import ChangeOut, RateChangeOut
from horchposten.web.api.params import FILTERS, PERIOD, TopicRef
from horchposten.web.deps import CONN, CTX, READ, Context
from horchposten.web.errors import ERROR_RESPONSES

router = APIRouter(tags=["analytics"], responses=ERROR_RESPONSES)

GRANULARITY = Query(description="Bucket size, in the workspace's time zone.", examples=["day"])


class Totals(BaseModel):
    posts: int = Field(examples=[120])
    reach: int = Field(description="Sum of the authors' followers.", examples=[54000])
    engagement: int = Field(description="Likes + reposts + replies.", examples=[310])


class VolumeBucket(Totals):
    start: datetime = Field(examples=["2026-10-24T22:00:00Z"])
    split: dict[str, int] = Field(examples=[{"mastodon": 80, "bluesky": 40}])


class VolumeOut(BaseModel):
    topic: str
    timezone: str = Field(examples=["Europe/Berlin"])
    granularity: Granularity
    totals: Totals
    change: ChangeOut
    buckets: list[VolumeBucket]


class DistributionOut(BaseModel):
    counts: dict[str, int] = Field(
        examples=[{"negative": 10, "neutral": 50, "positive": 30, "none": 5}]
    )
    net: float | None = Field(description="(pos - neg) / (pos + neg)", examples=[0.5])

    @classmethod
    def of(cls, found: Distribution) -> DistributionOut:
        return cls(counts=found.counts, net=found.net)


class SentimentPointOut(DistributionOut):
    start: datetime


class SentimentChangeOut(BaseModel):
    net: RateChangeOut = Field(
        examples=[{"previous": 0.2, "absolute": 0.3, "percent": 150.0}],
    )
    counts: dict[str, ChangeOut] = Field(
        description="Posts per label against the period before.",
        examples=[
            {
                "negative": {"previous": 12, "absolute": -2, "percent": -16.67},
                "neutral": {"previous": 40, "absolute": 10, "percent": 25.0},
                "positive": {"previous": 18, "absolute": 12, "percent": 66.67},
                "none": {"previous": 0, "absolute": 5, "percent": None},
            }
        ],
    )


class SentimentOut(BaseModel):
    topic: str
    overall: DistributionOut
    trend: list[SentimentPointOut]
    by_source: dict[str, DistributionOut] = Field(description="Only with breakdowns=true.")
    by_lang: dict[str, DistributionOut] = Field(description="Only with breakdowns=true.")
    change: SentimentChangeOut = Field(
        description="Net sentiment and posts per label against the period of the same length "
        "just before."
    )


class ShareOut(BaseModel):
    posts: int
    reach: int
    share_posts: float = Field(ge=0, le=1, examples=[0.62])
    share_reach: float = Field(ge=0, le=1, examples=[0.55])

    @classmethod
    def of(cls, share: Share) -> ShareOut:
        return cls(**share.__dict__)


class ShareBucketOut(BaseModel):
    start: datetime
    topics: dict[str, ShareOut]


class ShareChangeOut(BaseModel):
    share_posts: RateChangeOut = Field(
        examples=[{"previous": 0.5, "absolute": 0.12, "percent": 24.0}]
    )
    share_reach: RateChangeOut = Field(
        examples=[{"previous": 0.6, "absolute": -0.05, "percent": -8.33}]
    )


class ShareOfVoiceOut(BaseModel):
    overall: dict[str, ShareOut]
    buckets: list[ShareBucketOut]
    change: dict[str, ShareChangeOut] = Field(
        description="Each topic's shares against the period of the same length just before "
        "(absolute in shares of 0..1)."
    )


def _volume(
    ref: TopicRef,
    split: Split | None,
    period: Period,
    granularity: Granularity,
    filters: Filters,
    conn: Connection,
    ctx: Context,
) -> VolumeOut:
    topic = topic_at(conn, ref)
    zone = ctx.zone_in(conn)  # the config's zone, or the one saved on the settings page
    found = volume(
        conn,
        topic.id or 0,
        period,
        granularity=granularity,
        zone=zone,
        split=split,
        filters=filters,
    )
    return VolumeOut(
        topic=topic.name,
        timezone=zone.key,
        granularity=granularity,
        totals=Totals(**found.totals.__dict__),
        change=ChangeOut.of(found.change),
        buckets=[
            VolumeBucket(start=b.start, split=b.split, **b.totals.__dict__) for b in found.buckets
        ],
    )


@router.get("/topics/{ref}/volume", summary="Volume over time")
def topic_volume(
    ref: TopicRef,
    granularity: Annotated[Granularity, GRANULARITY] = "day",
    split: Annotated[Split | None, Query(description="Split each bucket's posts.")] = None,
    period: Period = PERIOD,
    filters: Filters = FILTERS,
    _: object = READ,
    conn: Connection = CONN,
    ctx: Context = CTX,
) -> VolumeOut:
    """Posts, reach and engagement per bucket (daylight-saving correct), with the change
    against the period of the same length just before."""
    return _volume(ref, split, period, granularity, filters, conn, ctx)


@router.get("/topics/{ref}/sources", summary="Source split over time")
def topic_sources(
    ref: TopicRef,
    granularity: Annotated[Granularity, GRANULARITY] = "day",
    period: Period = PERIOD,
    filters: Filters = FILTERS,
    _: object = READ,
    conn: Connection = CONN,
    ctx: Context = CTX,
) -> VolumeOut:
    """The volume chart with each bucket split by source."""
    return _volume(ref, "source", period, granularity, filters, conn, ctx)


@router.get("/topics/{ref}/sentiment", summary="Sentiment")
def topic_sentiment(
    ref: TopicRef,
    granularity: Annotated[Granularity, GRANULARITY] = "day",
    breakdowns: Annotated[
        bool, Query(description="Add the distribution per source and per language.")
    ] = False,
    period: Period = PERIOD,
    filters: Filters = FILTERS,
    _: object = READ,
    conn: Connection = CONN,
    ctx: Context = CTX,
) -> SentimentOut:
    """Distribution, trend and net sentiment, per source and language. The posts behind
    any number: ``GET /posts?topic=…&sentiment=…&source=…&since=…&until=…``."""
    topic = topic_at(conn, ref)
    found = sentiment(
        conn,
        topic.id or 0,
        period,
        granularity=granularity,
        zone=ctx.zone_in(conn),
        filters=filters,
        breakdowns=breakdowns,
    )
    return SentimentOut(
        topic=topic.name,
        overall=DistributionOut.of(found.overall),
        trend=[
            SentimentPointOut(start=p.start, **DistributionOut.of(p.distribution).__dict__)
            for p in found.trend
        ],
        by_source={k: DistributionOut.of(v) for k, v in found.by_source.items()},
        by_lang={k: DistributionOut.of(v) for k, v in found.by_lang.items()},
        change=SentimentChangeOut(
            net=RateChangeOut.of(found.change.net),
            counts={k: ChangeOut.of(v) for k, v in found.change.counts.items()},
        ),
    )


@router.get("/share-of-voice", summary="Share of voice")
def topics_share(
    topic: Annotated[
        list[str],
        Query(
            description="Two or more topics: a brand and its rivals.",
            examples=[["Nordlicht", "Bergquell"]],
        ),
    ],
    granularity: Annotated[Granularity, GRANULARITY] = "day",
    period: Period = PERIOD,
    filters: Filters = FILTERS,
    _: object = READ,
    conn: Connection = CONN,
    ctx: Context = CTX,
) -> ShareOfVoiceOut:
    """Each topic's share of the group's posts and reach, per bucket and overall."""
    if not 1 <= len(topic) <= 50:
        raise InputError("Give between 1 and 50 topics, e.g. ?topic=Nordlicht&topic=Bergquell.")
    found = {name: get_topic(conn, name) for name in topic}
    names = {t.id or 0: t.name for t in found.values()}
    share = share_of_voice(
        conn, list(names), period, granularity=granularity, zone=ctx.zone_in(conn), filters=filters
    )
    return ShareOfVoiceOut(
        overall={names[k]: ShareOut.of(v) for k, v in share.overall.items()},
        buckets=[
            ShareBucketOut(
                start=b.start, topics={names[k]: ShareOut.of(v) for k, v in b.topics.items()}
            )
            for b in share.buckets
        ],
        change={
            names[k]: ShareChangeOut(
                share_posts=RateChangeOut.of(v.share_posts),
                share_reach=RateChangeOut.of(v.share_reach),
            )
            for k, v in share.change.items()
        },
    )
