"""Enrichment stage: each enricher adds its own fields to a batch of posts."""
