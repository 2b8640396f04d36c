"""Storage: one schema for SQLite and PostgreSQL, migrated by Alembic."""
