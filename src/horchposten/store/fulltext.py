"""The full-text index, one per dialect, over ``text.search_document`` strings.

SQLite: an FTS5 table whose rowid is ``posts.id``. PostgreSQL: a ``tsvector``
table with a GIN index, built with the language-neutral ``simple`` config
because the document is already normalised (lower case, no diacritics) in
Python, the same way the topic matcher sees it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, bindparam, column, select, table, text
from sqlalchemy.sql.expression import ColumnClause

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE posts_fts USING fts5(doc, tokenize='unicode61 remove_diacritics 2')",
)
POSTGRES_CREATE = (
    "CREATE TABLE posts_fts (post_id BIGINT PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,"
    " doc TSVECTOR NOT NULL)",
    "CREATE INDEX ix_posts_fts_doc ON posts_fts USING GIN (doc)",
)


def create_statements(dialect: str) -> tuple[str, ...]:
    return SQLITE_CREATE if dialect == "sqlite" else POSTGRES_CREATE


def drop_statements(dialect: str) -> tuple[str, ...]:
    return ("DROP TABLE posts_fts",)


def write(conn: Connection, docs: Sequence[tuple[int, str]], *, replace: bool = False) -> None:
    """Index the documents of the given post ids; ``replace`` for posts indexed before."""
    if not docs:
        return
    if conn.dialect.name == "sqlite":
        if replace:
            conn.exec_driver_sql("DELETE FROM posts_fts WHERE rowid = ?", [(i,) for i, _ in docs])
        conn.exec_driver_sql("INSERT INTO posts_fts (rowid, doc) VALUES (?, ?)", list(docs))
    else:
        conn.exec_driver_sql(
            "INSERT INTO posts_fts (post_id, doc) VALUES (%s, to_tsvector('simple', %s))"
            " ON CONFLICT (post_id) DO UPDATE SET doc = excluded.doc",
            list(docs),
        )


def remove(conn: Connection, post_ids: Sequence[int]) -> None:
    """Drop the documents of these post ids (PostgreSQL would cascade; FTS5 never does)."""
    if not post_ids:
        return
    table_id = "rowid" if conn.dialect.name == "sqlite" else "post_id"
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    sql = f"DELETE FROM posts_fts WHERE {table_id} = {mark}"
    conn.exec_driver_sql(sql, [(post_id,) for post_id in post_ids])


def matching_post_ids(dialect: str, expression: str) -> ColumnElement[bool]:
    """A clause on ``posts.id`` keeping posts whose document matches the expression.

    The expression is an FTS5 MATCH string on SQLite and a ``to_tsquery`` string
    on PostgreSQL; ``query.sql`` builds both from the same query AST.
    """
    if dialect == "sqlite":
        id_column, condition = "rowid", "posts_fts MATCH :fts_expression"
    else:
        id_column, condition = "post_id", "doc @@ to_tsquery('simple', :fts_expression)"
    ids: Select[Any] = (
        select(column(id_column))
        .select_from(table("posts_fts"))
        .where(text(condition).bindparams(bindparam("fts_expression", expression, unique=True)))
    )
    post_id: ColumnClause[Any] = column("id")
    return post_id.in_(ids.scalar_subquery())


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic filter: the index tables are managed here, not by the declared metadata."""
    return not (type_ in ("table", "index") and name is not None and name.startswith("posts_fts"))
