"""Messages that can be shown in more than one language.

A ``Text`` is a message id (the English text, with ``%(name)s`` placeholders)
and its parameters. ``str()`` gives the English text, so the CLI, logs and the
API stay English; the web UI translates the id through its gettext catalogs
and fills in the same parameters. ``Text("…")`` with a literal first argument
is what the catalog extraction (tests/test_ui_i18n.py) looks for, so a new
message without a German translation fails that test.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

Param = str | int | float


@dataclass(frozen=True, init=False)
class Text:
    template: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def __init__(self, template: str, /, **params: Param) -> None:
        object.__setattr__(self, "template", template)
        object.__setattr__(self, "params", params)

    def __str__(self) -> str:
        return self.template % dict(self.params)

    def translated(self, gettext: Callable[[str], str]) -> str:
        """The text in the language of ``gettext``, with the same parameters."""
        return gettext(self.template) % dict(self.params)

    def but(self, **params: Param) -> Text:
        """The same message with (more) parameters filled in."""
        return Text(self.template, **{**self.params, **params})

    @classmethod
    def verbatim(cls, text: str) -> Text:
        """``text`` as it is (a ``%`` in it stays); nothing to translate."""
        return cls("%(text)s", text=text)
