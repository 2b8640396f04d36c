"""Response parts for a figure against the period of the same length just before."""

from __future__ import annotations

from pydantic import BaseModel, Field

from horchposten.analytics.change import Change, RateChange


class ChangeOut(BaseModel):
    previous: int = Field(description="Posts in the period just before.", examples=[100])
    absolute: int = Field(examples=[20])
    percent: float | None = Field(
        description="Null when the period before had none.", examples=[20.0]
    )

    @classmethod
    def of(cls, found: Change) -> ChangeOut:
        return cls(**found.__dict__)


class RateChangeOut(BaseModel):
    previous: float | None = Field(
        description="The value in the period just before; null when it had none.",
        examples=[0.25],
    )
    absolute: float | None = Field(
        description="Now minus before; null when either period has no value.", examples=[0.1]
    )
    percent: float | None = Field(
        description="The absolute change in % of the previous value's size; null when that "
        "was 0 or missing.",
        examples=[40.0],
    )

    @classmethod
    def of(cls, found: RateChange) -> RateChangeOut:
        return cls(**found.__dict__)
