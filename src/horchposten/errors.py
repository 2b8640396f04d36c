"""One error tree for everything Horchposten raises on purpose.

    HorchpostenError                 base; the CLI prints its message and exits non-zero
    ├── ConfigError                  a setting is missing or has the wrong value
    ├── NotConfigured                a component is switched off for want of a setting
    ├── NotFound                     a named topic, source or workspace does not exist
    ├── AlreadyExists                a name is taken
    ├── InputError                   user-supplied data cannot be read
    │   └── RejectedInput            some records were rejected; the good ones were kept
    ├── QueryError                   a query cannot be parsed (line/column; exit code 2)
    ├── SourceError                  a source could not be fetched or parsed
    └── StorageError                 the database refused or could not be reached

Messages are full sentences: what happened, what was kept, what to do next.
"""

from __future__ import annotations

from horchposten.texts import Text


class HorchpostenError(Exception):
    """Base of every error Horchposten raises deliberately."""

    exit_code = 1


class ConfigError(HorchpostenError):
    """A setting is missing or invalid."""

    def __init__(self, key: str, value: object, expected: str, where: str = "") -> None:
        self.key = key
        self.value = value
        self.expected = expected
        place = f" in {where}" if where else ""
        super().__init__(
            f"The setting '{key}'{place} has the value {value!r}, but {expected}. "
            f"Fix it in the config file or the environment and start again."
        )


class NotConfigured(HorchpostenError):
    """A component cannot run because a setting is missing."""


class NotFound(HorchpostenError):
    """A named object does not exist."""


class AlreadyExists(HorchpostenError):
    """A name is already in use."""


class InputError(HorchpostenError):
    """User-supplied data cannot be read at all."""


class RejectedInput(InputError):
    """Some records were rejected; every good record was stored."""

    exit_code = 2


class QueryError(HorchpostenError):
    """A query does not parse; carries the 1-based line and column.

    ``reason`` and ``hint`` are English; ``text`` and ``hint_text`` are the same
    messages as ``Text`` for the web UI to translate.
    """

    exit_code = 2  # a wrong argument, like click's usage errors

    def __init__(self, message: Text, query: str, offset: int, hint: Text | None = None) -> None:
        self.query = query
        self.offset = offset
        self.line = query.count("\n", 0, offset) + 1
        self.column = offset - (query.rfind("\n", 0, offset) + 1) + 1
        self.text = message
        self.hint_text = hint
        self.hint = "" if hint is None else str(hint)
        self.reason = str(message)
        text = f"Query error at line {self.line}, column {self.column}: {self.reason}"
        if self.hint:
            text += f" {self.hint}"
        super().__init__(text)

    def pointer(self) -> str:
        """The offending line with a caret under the error position."""
        line_text = self.query.splitlines()[self.line - 1] if self.query.strip() else ""
        return f"{line_text}\n{' ' * (self.column - 1)}^"


class SourceError(HorchpostenError):
    """A source could not be fetched or its payload could not be read."""


class StorageError(HorchpostenError):
    """The database could not be reached or refused a write."""
