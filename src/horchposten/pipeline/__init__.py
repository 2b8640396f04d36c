"""The pipeline: stages over batches, connected by a bus.

    producer ─Batch─▶ prepare (dedup, enrich, match) ─PreparedBatch─▶ store ─Stored─▶ consumers

``messages.py`` holds the messages and their wire format, ``stages.py`` the
stages, ``bus/`` the seam between them (in memory, or with the prepare stage in
a worker process), ``driver.py`` the one driver every way in uses, and
``scheduler.py`` the passes over the sources.
"""

from horchposten.pipeline.messages import Batch, PreparedBatch, Stored
from horchposten.pipeline.stages import Pipeline

__all__ = ["Batch", "Pipeline", "PreparedBatch", "Stored"]
