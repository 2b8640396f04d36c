"""Alembic migrations; ``database.migrate`` runs them programmatically."""
