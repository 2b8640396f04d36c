"""The workspace at a glance: every topic's volume line, sentiment split and change against
the period before, and the sources that need attention."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from horchposten.analytics.facts import Filters
from horchposten.analytics.period import Granularity, Period, buckets
from horchposten.analytics.sentiment import Distribution
from horchposten.analytics.volume import check_granularity, volume
from horchposten.store.sources import list_sources
from horchposten.store.topics import list_topics
from horchposten.web.api.changes import ChangeOut
from horchposten.web.api.charts import Totals
from horchposten.web.api.params import FILTERS, PERIOD
from horchposten.web.api.topics import TopicOut
from horchposten.web.deps import CONN, CTX, READ, Context
from horchposten.web.errors import ERROR_RESPONSES

router = APIRouter(tags=["analytics"], responses=ERROR_RESPONSES)


class TopicSummary(BaseModel):
    topic: TopicOut
    totals: Totals
    change: ChangeOut
    sparkline: list[int] = Field(
        description="Posts per bucket, one per entry of `starts`.", examples=[[3, 5, 2]]
    )
    sentiment: dict[str, int] = Field(
        examples=[{"negative": 10, "neutral": 50, "positive": 30, "none": 5}]
    )
    net: float | None = Field(description="(pos - neg) / (pos + neg)", examples=[0.5])


class SourceAttention(BaseModel):
    name: str = Field(examples=["kaffeesatz"])
    kind: str = Field(examples=["feeds"])
    enabled: bool
    healthy: bool
    last_error: str | None = Field(examples=["The feed answered 404 Not Found."])
    consecutive_failures: int = Field(examples=[4])
    last_fetch_at: datetime | None
    last_success_at: datetime | None


class OverviewOut(BaseModel):
    timezone: str = Field(examples=["Europe/Berlin"])
    granularity: Granularity
    starts: list[datetime] = Field(description="The sparklines' bucket starts.")
    topics: list[TopicSummary]
    unhealthy_sources: list[SourceAttention] = Field(
        description="Enabled sources that failed their last passes in a row."
    )


@router.get("/overview", summary="Workspace overview")
def workspace_overview(
    granularity: Annotated[
        Granularity, Query(description="Sparkline bucket size.", examples=["day"])
    ] = "day",
    period: Period = PERIOD,
    filters: Filters = FILTERS,
    _: object = READ,
    conn: Connection = CONN,
    ctx: Context = CTX,
) -> OverviewOut:
    """Every topic with its posts per bucket, sentiment split and change against the period
    of the same length just before (from the rollups); and the unhealthy sources."""
    check_granularity(period, granularity)
    zone = ctx.zone_in(conn)  # the config's zone, or the one saved on the settings page
    summaries = []
    for topic in list_topics(conn):
        found = volume(
            conn,
            topic.id or 0,
            period,
            granularity=granularity,
            zone=zone,
            split="sentiment",
            filters=filters,
        )
        split = Distribution()
        for bucket in found.buckets:
            for label, n in bucket.split.items():
                split.counts[label] = split.counts.get(label, 0) + n
        summaries.append(
            TopicSummary(
                topic=TopicOut.of(topic),
                totals=Totals(**found.totals.__dict__),
                change=ChangeOut.of(found.change),
                sparkline=[bucket.totals.posts for bucket in found.buckets],
                sentiment=split.counts,
                net=split.net,
            )
        )
    attention = [
        SourceAttention(**source.model_dump(include=set(SourceAttention.model_fields)))
        for source in list_sources(conn)
        if source.enabled and not source.healthy
    ]
    return OverviewOut(
        timezone=zone.key,
        granularity=granularity,
        starts=list(buckets(period, granularity, zone)),
        topics=summaries,
        unhealthy_sources=attention,
    )
