"""The one tokeniser shared by the topic matcher and the full-text index.

Decisions, each made so that matcher and index see the same words:

* Text is split into tokens first, in Unicode NFC: words (runs of letters and
  digits), ``#hashtags``, ``@mentions`` and symbols (emoji and other characters
  of category "Symbol, other", one token each). Everything else separates
  tokens, so ``don't`` is ``don`` + ``t`` and ``e-mail`` is ``e`` + ``mail``.
  Combining marks left over after NFC (variation selectors, marks without a
  precomposed letter) are dropped; skin-tone modifiers separate, so ``👍🏽`` is ``👍``.
* ``#Tag`` and ``@Handle`` need a sign that does not follow a letter, digit or
  ``_`` (``C#`` and ``me@example.com`` are plain words); their bodies may hold ``_``.
* Links (``http://…``, ``https://…``, ``www.…`` up to the next space) give no
  tokens at all, so a URL never floods a post with words.
* Each token then has several forms (``Token``): as written, lower case, and
  ``loose`` (case-folded, accents stripped, ``ß`` as ``ss``), plus the German
  transliteration (``ä`` as ``ae``) where it differs. Plain query terms look at
  the loose and transliterated forms, terms with accents at the lower-case form,
  ``{Terms}`` in braces at the form as written.
* The index stores loose words only, without signs: ``#Foo_Bar`` is ``foo bar``.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from typing import TypeVar

# A link starts where no word character precedes it; the lookbehind comes after
# the first letter so that re can skip quickly to candidate letters.
_LINK = re.compile(r"[hw](?<!\w[hw])(?:ttps?://|ww\.)\S+")
_PLAIN_WORD = re.compile(r"[^\W_]+")
# The sign must not follow a word character: ``C#`` is no hashtag.
_ASCII_TOKEN = re.compile(r"[^\W_]+|[#@](?<!\w[#@])\w+")
_ASCII_SPLIT = re.compile(f"({_ASCII_TOKEN.pattern})")  # keeps what lies between tokens
_NOT_WORD = re.compile(r"[^\w]")
_TO_PLAIN = str.maketrans({"#": None, "@": None, "_": " "})
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})
_HIGHEST_SYMBOL = 0x1FFFF  # emoji and pictographs all live in the first two planes
_CACHE_LIMIT = 500_000


@dataclass(frozen=True, slots=True)
class Token:
    """One token of a text in the forms the matcher compares."""

    kind: str  # "word", "hashtag", "mention" or "symbol"
    cased: str  # as written (NFC)
    lower: str  # lower case, accents kept
    loose: str  # case-folded, accents stripped; hashtags and mentions keep their sign
    translit: str | None  # German transliteration of ``lower`` where it differs from loose
    keys: tuple[str, ...]  # what plain lookups find: loose forms, plus a hashtag's body


def lower_case(s: str) -> str:
    """``s`` in lower case, accents kept: a token's ``lower`` form."""
    # "İ" is the one letter whose lower case adds a combining mark (U+0307); the token
    # pattern would not read that mark back as part of a word, so a query's canonical
    # form would parse differently.
    return s.lower().replace("i\u0307", "i")


def normalise(s: str) -> str:
    """Case-fold and strip diacritics: ``"Café Straße"`` -> ``"cafe strasse"``."""
    if s.isascii():
        return s.lower()
    # NFKD again after case-folding: folding can yield composed letters.
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", s).casefold())
    return _strip_marks(folded)


def has_accents(s: str) -> bool:
    """Whether ``s`` has a letter with a diacritic (``ß`` is a letter of its own)."""
    if s.isascii():
        return False
    decomposed = unicodedata.normalize("NFD", s)
    return _strip_marks(decomposed) != decomposed


def transliterate(s: str) -> str:
    """German transliteration of a lower-case string: ``"müller"`` -> ``"mueller"``."""
    return normalise(s.translate(_GERMAN))


def tokenize(s: str) -> list[Token]:
    """The tokens of ``s`` in order (the list is shared: do not change it)."""
    found = _RECENT_TOKENS.get(s)
    if found is None:
        text = composed(s)
        # An already composed text is cut once, with the offsets the entities enricher reads.
        found = token_spans(s)[0] if text == s else _remember(_RECENT_TOKENS, s, _tokenize(text))
    return found


def token_spans(s: str) -> tuple[list[Token], list[int], list[int]]:
    """``tokenize(s)`` with the start and the end of each token in ``s`` as given.

    Where NFC or dropped marks change the text (``❤️`` loses its variation
    selector, a decomposed ``ü`` is composed), each character is composed with
    the marks that follow it, and a token's span covers those marks. NFC
    composing two such pieces (conjoining Hangul jamo) is left out, the only
    way these tokens can differ from ``tokenize(s)``. The lists are shared: do
    not change them.
    """
    found = _RECENT_SPANS.get(s)
    if found is None:
        found = _remember(_RECENT_SPANS, s, _token_spans(s))
    return found


# The matcher, the entities, the language and near-duplicate enrichers and the
# index all read a post's tokens: each text is cut once per batch, not once per
# reader. Up to 10,000 texts are kept (a few batches; about 10 MB of token lists
# at most for posts of typical length); then they are forgotten at once.
_RECENT_LIMIT = 10_000
_RECENT_TOKENS: dict[str, list[Token]] = {}
_RECENT_SPANS: dict[str, tuple[list[Token], list[int], list[int]]] = {}
_T = TypeVar("_T")


def _remember(recent: dict[str, _T], s: str, value: _T) -> _T:
    if len(recent) >= _RECENT_LIMIT:
        recent.clear()
    recent[s] = value
    return value


def _tokenize(text: str) -> list[Token]:
    """The tokens of a ``composed`` text."""
    if len(_TOKENS) >= _CACHE_LIMIT:
        _TOKENS.clear()
    # Plain ASCII has no symbols: a smaller pattern is a third faster.
    pattern = _ASCII_TOKEN if text.isascii() else _token_pattern()
    known = _TOKENS.get
    return [known(raw) or _new_token(raw) for raw in pattern.findall(without_links(text))]


def _token_spans(s: str) -> tuple[list[Token], list[int], list[int]]:
    if len(_TOKENS) >= _CACHE_LIMIT:
        _TOKENS.clear()
    text = composed(s)
    pieces = None if text == s else _pieces(s)
    if pieces is not None:
        text = "".join(piece for _, piece in pieces)
    # Split keeps the separators: the running sum of all lengths gives every
    # offset at C speed, where finditer's match objects cost twice as much.
    parts = (_ASCII_SPLIT if s.isascii() else _token_split()).split(blank_links(text))
    offsets = list(accumulate(map(len, parts)))
    known = _TOKENS.get
    found = [known(raw) or _new_token(raw) for raw in parts[1::2]]
    starts, ends = offsets[:-1:2], offsets[1::2]
    if pieces is not None:
        starts, ends = _in_original(starts, ends, pieces, len(s))
    else:  # the text was composed already: these are exactly tokenize(s)
        _remember(_RECENT_TOKENS, s, found)
    return found, starts, ends


def _pieces(s: str) -> list[tuple[int, str]]:
    """Each character of ``s`` with the marks after it: where it starts, and composed."""
    return [(found.start(), composed(found.group())) for found in _piece_pattern().finditer(s)]


def _in_original(
    starts: list[int], ends: list[int], pieces: list[tuple[int, str]], length: int
) -> tuple[list[int], list[int]]:
    """Offsets in the composed pieces as offsets in the text they came from."""
    composed_starts = list(accumulate((len(piece) for _, piece in pieces[:-1]), initial=0))
    piece_ends = [start for start, _ in pieces[1:]] + [length]
    return (
        [pieces[bisect_right(composed_starts, start) - 1][0] for start in starts],
        [piece_ends[bisect_right(composed_starts, end - 1) - 1] for end in ends],
    )


def composed(s: str) -> str:
    """``s`` in NFC without stray combining marks: the text tokens are cut from."""
    return s if s.isascii() else _strip_marks(unicodedata.normalize("NFC", s))


def without_links(s: str) -> str:
    """``s`` with every link replaced by a space."""
    if "http" in s or "www." in s:  # far cheaper than the regex on link-free text
        return _LINK.sub(" ", s)
    return s


def blank_links(s: str) -> str:
    """``s`` with every link replaced by spaces of the same length."""
    if "http" in s or "www." in s:
        return _LINK.sub(lambda link: " " * len(link.group()), s)
    return s


def links(s: str) -> list[str]:
    """The links in ``s``, as written."""
    return _LINK.findall(s) if "http" in s or "www." in s else []


def symbol_class() -> str:
    """The body of a regex character class matching symbol tokens (emoji and the like)."""
    return _symbols()


def tokens(s: str) -> list[str]:
    """The loose forms of the tokens of ``s``: ``"Hallo #Nivea!"`` -> ``["hallo", "#nivea"]``."""
    return [token.loose for token in tokenize(s)]


def plain_words(s: str) -> list[str]:
    """The index words of ``s``: loose word tokens, hashtag and mention bodies split at ``_``."""
    return document_of_tokens(tokens(s)).split()


def search_document(title: str | None, text: str | None) -> str:
    """What the full-text index stores for a post: its plain words, space-joined.

    Title and text are joined the way ``Post.content`` joins them, so a phrase
    spanning both matches in the index exactly when it matches in the matcher.
    """
    content = "\n".join(part for part in (title, text) if part)
    return document_of_tokens(tokens(content))


def document_of_tokens(loose: list[str]) -> str:
    """``search_document`` from loose token forms (saves tokenising twice)."""
    # Symbols are not indexed; sigils only start tokens, "_" only occurs in their bodies.
    words = " ".join(token for token in loose if token[0].isalnum() or token[0] in "#@_")
    return " ".join(words.translate(_TO_PLAIN).split())


def _make_token(raw: str) -> Token:
    sign = raw[0] if raw[0] in "#@" else ""
    if not sign and not raw[0].isalnum():
        return Token("symbol", raw, raw, raw, None, (raw,))
    kind = {"#": "hashtag", "@": "mention", "": "word"}[sign]
    lower = lower_case(raw)
    if raw.isascii():
        loose, translit = lower, None
    else:
        # Compatibility forms can bring punctuation ("½" has a fraction slash); the token stays.
        loose = sign + _NOT_WORD.sub("", normalise(raw[len(sign) :]))
        translit = sign + _NOT_WORD.sub("", transliterate(lower[len(sign) :]))
        translit = None if translit == loose else translit
    keys = [loose] if translit is None else [loose, translit]
    if kind == "hashtag":
        keys += [key[1:] for key in keys]
    return Token(kind, raw, lower, loose, translit, tuple(keys))


_TOKENS: dict[str, Token] = {}  # tokens by their text: words repeat, forms cost


def _new_token(raw: str) -> Token:
    token = _TOKENS[raw] = _make_token(raw)
    return token


def _strip_marks(s: str) -> str:
    s = _basic_plane_marks().sub("", s)
    # re cannot test characters beyond the basic plane against a class in
    # constant time; they are rare (mostly emoji), so check them one by one.
    for char in set(_ASTRAL.findall(s)):
        if unicodedata.category(char)[0] == "M":
            s = s.replace(char, "")
    return s


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@cache
def _symbols() -> str:
    return _class_of(lambda category: category == "So", _HIGHEST_SYMBOL)


@cache
def _token_pattern() -> re.Pattern[str]:
    return re.compile(rf"{_ASCII_TOKEN.pattern}|[{_symbols()}]")


@cache
def _token_split() -> re.Pattern[str]:
    return re.compile(f"({_token_pattern().pattern})")


@cache
def _piece_pattern() -> re.Pattern[str]:
    return re.compile(f"(?s).[{_basic_plane_mark_class()}]*")


@cache
def _basic_plane_marks() -> re.Pattern[str]:
    # re compiles a class of basic-plane characters into a bitmap: constant-time tests.
    return re.compile(f"[{_basic_plane_mark_class()}]")


@cache
def _basic_plane_mark_class() -> str:
    return _class_of(lambda category: category[0] == "M", 0xFFFF)


def _class_of(wanted: Callable[[str], bool], highest: int) -> str:
    """A regex character class body: the code points up to ``highest`` of wanted categories."""
    ranges: list[tuple[int, int]] = []
    for cp in range(highest + 1):
        if not wanted(unicodedata.category(chr(cp))):
            continue
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
