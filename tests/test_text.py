"""The shared tokeniser: where each token stands in the text it came from."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from horchposten.text import composed, token_spans, tokenize


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
    assert tokens == tokenize(s)
    assert [composed(s[start:end]) for start, end in zip(starts, ends, strict=True)] == [
        token.cased for token in tokens
    ]
