"""Topic queries: parse the query language, match posts, prefilter the index.

The language today is a subset of the full one (docs/query-language.md); the
full language extends these same entry points.
"""

from horchposten.query.ast import And, Node, Not, Or, Phrase, Term
from horchposten.query.match import CompiledQuery, PostTokens, TopicMatcher, compile_query
from horchposten.query.parse import parse
from horchposten.query.sql import fts5_match, search_words_fts5, search_words_tsquery, tsquery

__all__ = [
    "And",
    "CompiledQuery",
    "Node",
    "Not",
    "Or",
    "Phrase",
    "PostTokens",
    "Term",
    "TopicMatcher",
    "compile_query",
    "fts5_match",
    "parse",
    "search_words_fts5",
    "search_words_tsquery",
    "tsquery",
]
