"""Opening the database: engine, SQLite pragmas, and migrations to the latest schema."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DataError, IntegrityError, SQLAlchemyError

from horchposten.errors import StorageError

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers (search, the web UI) work while a pipeline writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    # 64 MiB of page cache keeps the key and full-text indexes of a busy workspace in memory.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def refusal(exc: SQLAlchemyError) -> str:
    """What the database refused, and what to do; never its address or credentials.

    Messages reach the web UI and the API, so they name the setting, not its value.
    """
    if isinstance(exc, DataError | IntegrityError):
        # The database refused a value: the bounds of models.py missed one.
        advice = (
            "a value did not fit the database; please report this with the record that caused it"
        )
    else:
        advice = "check that the database is reachable and not full, then try again"
    return (
        f"The database refused the operation ({_reason(exc)}). Nothing of this batch was "
        f"stored; {advice}."
    )


def _reason(exc: SQLAlchemyError) -> str:
    # The driver's own message, without the SQL statement and parameters SQLAlchemy adds.
    origin = getattr(exc, "orig", None) or exc
    first = str(origin).strip().splitlines()[0] if str(origin).strip() else ""
    return f"{type(origin).__name__}: {first}" if first else type(origin).__name__


class Database:
    """One workspace database; SQLite or PostgreSQL by URL."""

    def __init__(self, url: str) -> None:
        self.url = url
        connect_args: dict[str, Any] = {}
        if url.startswith("postgresql"):
            # psycopg prepares a statement on the server after five runs, and PostgreSQL
            # may then plan 'key IN (500 parameters)' generically, as a scan of the
            # whole table: duplicate checks got 8 times slower. Plan every query afresh
            # (this also keeps connection poolers in transaction mode working).
            connect_args["prepare_threshold"] = None
        self.engine: Engine = create_engine(url, connect_args=connect_args)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A connection in a transaction; commits on success, rolls back on error."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StorageError(refusal(exc)) from exc

    def migrate(self) -> None:
        """Bring the schema to the newest revision (a no-op when it is current)."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    def is_current(self) -> bool:
        head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
        with self.begin() as conn:
            return MigrationContext.configure(conn).get_current_revision() == head

    def close(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, migrate: bool = True) -> Database:
    """Open the database and, by default, migrate it to the newest schema."""
    database = Database(url)
    try:
        if migrate:
            database.migrate()
    except StorageError:
        database.close()
        raise
    except SQLAlchemyError as exc:
        database.close()
        raise StorageError(
            f"Could not open the database: {_reason(exc)}. "
            f"Check the setting database.url and that the server is running."
        ) from exc
    return database
