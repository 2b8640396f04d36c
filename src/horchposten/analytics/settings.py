"""The ``[analytics]`` settings: how reach becomes impressions and what they would cost as ads."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class AnalyticsSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Share of an author's followers that sees a post, where the platform gives no views.
    reach_factor: float = Field(default=0.1, ge=0, le=10)
    reach_factors: dict[str, float] = Field(default_factory=dict)  # per source, overrides
    # What a thousand ad impressions cost (in the workspace's currency).
    cpm: float = Field(default=5.0, ge=0)
    cpms: dict[str, float] = Field(default_factory=dict)  # per source, overrides
    currency: str = "EUR"

    def factor(self, source: str) -> float:
        return self.reach_factors.get(source, self.reach_factor)

    def cpm_of(self, source: str) -> float:
        return self.cpms.get(source, self.cpm)
