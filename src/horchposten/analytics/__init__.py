"""Analytics over the rollups and stored posts."""
