"""The one text normalisation shared by the topic matcher and the full-text index.

Decisions, each made so that matcher and index see the same words:

* ``normalise`` case-folds (``ß`` becomes ``ss``), decomposes with NFKD and drops
  every combining mark (Unicode category M). That strips accents; in scripts that
  write vowels as marks (Devanagari, Thai) it drops those too, which is lossy but
  identical on both sides of a match.
* A word is a run of letters and digits. Everything else separates words, so
  ``don't`` is ``don`` + ``t``, ``e-mail`` is ``e`` + ``mail`` and ``snake_case``
  is ``snake`` + ``case``.
* ``#Tag`` is the token ``#tag`` and ``@Handle`` the token ``@handle`` when the sign
  does not follow a letter, digit or ``_`` (``C#`` and ``me@example.com`` are plain
  words). Their bodies may contain ``_``, as handles on most platforms do.
* Links (``http://…``, ``https://…``, ``www.…`` up to the next space) are skipped:
  they give no tokens at all, so a URL never floods a post with word tokens.
* The index stores plain words only: ``#Foo_Bar`` is indexed as ``foo bar``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# A link starts where no word character precedes it; the lookbehind comes after
# the first letter so that re can skip quickly to candidate letters.
_LINK = re.compile(r"[hw](?<!\w[hw])(?:ttps?://|ww\.)\S+")
# The sign must not follow a word character: ``C#`` is no hashtag.
_TOKEN = re.compile(r"[^\W_]+|[#@](?<!\w[#@])\w+")
_PLAIN_WORD = re.compile(r"[^\W_]+")
_TO_PLAIN = str.maketrans({"#": None, "@": None, "_": " "})
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def normalise(s: str) -> str:
    """Case-fold and strip diacritics: ``"Café Straße"`` -> ``"cafe strasse"``."""
    if s.isascii():
        return s.lower()
    # NFKD again after case-folding: folding can yield composed letters.
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", s).casefold())
    folded = _basic_plane_marks().sub("", folded)
    # Characters beyond the basic plane are rare (mostly emoji) and re cannot
    # test them against a class in constant time, so they are checked one by one.
    for char in set(_ASTRAL.findall(folded)):
        if unicodedata.category(char)[0] == "M":
            folded = folded.replace(char, "")
    return folded


def tokens(s: str) -> list[str]:
    """The normalised tokens of ``s`` in order: words, ``#tags`` and ``@handles``."""
    return _TOKEN.findall(_without_links(normalise(s)))


def plain_words(s: str) -> list[str]:
    """The index words of ``s``: its tokens without sigils, split at underscores."""
    return _PLAIN_WORD.findall(_without_links(normalise(s)))


def search_document(title: str | None, text: str | None) -> str:
    """What the full-text index stores for a post: its plain words, space-joined.

    Title and text are joined the way ``Post.content`` joins them, so a phrase
    spanning both matches in the index exactly when it matches in the matcher.
    """
    content = "\n".join(part for part in (title, text) if part)
    return " ".join(plain_words(content))


def document_of_tokens(tokens: list[str]) -> str:
    """``search_document`` from the post's ``tokens`` (saves tokenising twice)."""
    # Sigils only start tokens and "_" only occurs inside #tags and @handles.
    return " ".join(tokens).translate(_TO_PLAIN)


def _without_links(s: str) -> str:
    # The substring test is far cheaper than the regex on the common link-free post.
    if "http" in s or "www." in s:
        return _LINK.sub(" ", s)
    return s


@cache
def _basic_plane_marks() -> re.Pattern[str]:
    # Built on first use (a few milliseconds), not at import. re compiles a class
    # of basic-plane characters into a bitmap, so each test is constant-time.
    ranges: list[tuple[int, int]] = []
    for cp in range(0x10000):
        if unicodedata.category(chr(cp))[0] != "M":
            continue
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    body = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[{body}]")
