"""HTTP endpoints. So far only the push endpoint of ``webhook`` sources (ingest.py)."""
