"""Query errors and warnings in the page's language.

The API answers a query problem in English and adds each message's template and
parameters (``horchposten.texts.Text``); the catalogs translate the template
(``locales/<locale>/query.po``), and the parameters (the user's own words,
field names, numbers) go in unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from horchposten.texts import Text
from horchposten.web.ui.auth import Page
from horchposten.web.ui.routes.apicall import Answer


def localized(page: Page, problem: Mapping[str, Any]) -> dict[str, Any]:
    """The API's ``QueryProblem`` with ``message`` and ``hint`` in the page's language."""
    gettext = page.translations.gettext
    message, hint = problem.get("message", ""), problem.get("hint", "")
    if problem.get("template"):
        message = Text(problem["template"], **problem.get("params", {})).translated(gettext)
    if problem.get("hint_template"):
        hint = Text(problem["hint_template"], **problem.get("hint_params", {})).translated(gettext)
    return {**problem, "message": message, "hint": hint}


def explained(page: Page, answer: Answer) -> str:
    """The API's error message; a query error's in the page's language, with position and fix."""
    details = answer.body["error"].get("details", []) if isinstance(answer.body, dict) else []
    if not details or "template" not in details[0]:
        return answer.message
    problem = localized(page, details[0])
    where = page.gettext(
        "Error at line %(line)s, column %(column)s:", line=problem["line"], column=problem["column"]
    )
    text = f"{where} {problem['message']}"
    if problem["hint"]:
        text += f" {page.gettext('Suggested fix:')} {problem['hint']}"
    return text
