"""Alembic environment: always runs on the connection ``database.migrate`` hands in."""

from __future__ import annotations

from alembic import context

from horchposten.store.fulltext import include_name
from horchposten.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    include_name=include_name,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
