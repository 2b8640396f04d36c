"""Readable plain text from the HTML that feeds and platforms send (sanitised or not)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

BREAKS = {"br": "\n", "li": "\n", "tr": "\n", "dt": "\n", "dd": "\n"}
PARAGRAPHS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "table"}
)
INVISIBLE = frozenset({"script", "style", "svg", "template", "head"})


def html_to_text(html: str) -> str:
    """Readable text from (sanitised) HTML: block elements become paragraph breaks."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = (" ".join(line.split()) for line in "".join(extractor.parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in INVISIBLE:
            self._hidden += 1
        self.parts.append("\n\n" if tag in PARAGRAPHS else BREAKS.get(tag, ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(BREAKS.get(tag, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in INVISIBLE:
            self._hidden = max(0, self._hidden - 1)
        if tag in PARAGRAPHS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            # Source line breaks are only layout; breaks come from the elements.
            self.parts.append(data.replace("\n", " "))
