"""The web side: the FastAPI app (``app.py``) and the JSON API under ``/api/v1`` (``api/``)."""
