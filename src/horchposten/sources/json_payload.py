"""Reading a platform's JSON answer, with an error that says where it broke."""

from __future__ import annotations

import json
from typing import Any

from horchposten.errors import SourceError


def load_json(data: bytes, origin: str) -> Any:
    """Parse ``data``; ``SourceError`` names the origin, line and column when it is not JSON."""
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise SourceError(
            f"{origin} answered with something that is not JSON (line {exc.lineno}, "
            f"column {exc.colno}: {exc.msg}); nothing from this page was stored. If it keeps "
            f"happening, the service may be down or the address may point at a web page."
        ) from exc
    except UnicodeDecodeError as exc:
        raise SourceError(f"{origin} answered with JSON that is not UTF-8 ({exc.reason}).") from exc
    except RecursionError as exc:
        raise SourceError(too_deep(origin)) from exc


def too_deep(origin: str) -> str:
    """The message for JSON nested deeper than Python's parser can follow."""
    return (
        f"{origin} answered with JSON nested too deeply to read; nothing from this page "
        f"was stored. No platform nests its answers like this: check the address."
    )


def expect_list(document: Any, key: str, origin: str) -> list[dict[str, Any]]:
    """``document[key]`` as a list of objects; ``SourceError`` when the shape is wrong."""
    found = document.get(key) if isinstance(document, dict) else None
    if not isinstance(found, list) or not all(isinstance(item, dict) for item in found):
        raise SourceError(
            f"{origin} answered with JSON that has no '{key}' list of objects; "
            f"nothing from this page was stored. The API may have changed."
        )
    return found


def expect_object(document: Any, origin: str) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise SourceError(
            f"{origin} answered with JSON that is not an object; nothing from this page was stored."
        )
    return document
