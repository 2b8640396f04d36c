"""The web side: the FastAPI app (``app.py``), the JSON API under ``/api/v1`` (``api/``)
and the push endpoint of ``webhook`` sources (``ingest.py``)."""
