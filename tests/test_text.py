"""The shared tokeniser: where each token stands in the text it came from."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from horchposten.text import _tokenize, composed, token_spans, tokenize


def test_token_spans_point_into_the_text_as_given() -> None:
    text = "❤️ Mu\u0308llers #Nivea-Creme https://nivea.de x"  # a variation selector, a decomposed ü
    tokens, starts, ends = token_spans(text)
    assert [text[start:end] for start, end in zip(starts, ends, strict=True)] == [
        "❤️", "Mu\u0308llers", "#Nivea", "Creme", "x"
    ]  # fmt: skip
    assert [token.cased for token in tokens] == ["❤", "Müllers", "#Nivea", "Creme", "x"]


# Conjoining Hangul jamo compose across characters; token_spans leaves that out.
_TEXT = st.text(
    st.characters(
        exclude_categories=("Cs",), exclude_characters=[chr(c) for c in range(0x1100, 0x1200)]
    )
)


@given(_TEXT)
@settings(max_examples=300)
def test_token_spans_are_the_tokens_of_tokenize_and_where_they_stand(s: str) -> None:
    tokens, starts, ends = token_spans(s)
    # Both are remembered per text: compare with a fresh cut too.
    assert tokens == tokenize(s) == _tokenize(composed(s))
    assert [composed(s[start:end]) for start, end in zip(starts, ends, strict=True)] == [
        token.cased for token in tokens
    ]


def test_a_decomposed_text_keeps_its_own_tokens_after_its_spans_were_cut() -> None:
    text = "Mu\u0308ller \u1100\u1161 ❤️"  # NFC composes "ü" and the Hangul jamo pair
    token_spans(text)
    assert [token.cased for token in tokenize(text)] == ["Müller", "\uac00", "❤"]
