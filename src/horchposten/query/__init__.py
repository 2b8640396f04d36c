"""Topic queries: parse the query language, match posts, prefilter the index.

The language is documented in docs/query-language.md.
"""

from horchposten.query.ast import And, Field, Near, Node, Not, Or, Phrase, Range, Title, Word
from horchposten.query.check import Checked, canonical, check
from horchposten.query.match import CompiledQuery, TopicMatcher, compile_query
from horchposten.query.parse import QueryWarning, parse
from horchposten.query.sql import fts5_match, search_words_fts5, search_words_tsquery, tsquery
from horchposten.query.subject import Subject

__all__ = [
    "And",
    "Checked",
    "CompiledQuery",
    "Field",
    "Near",
    "Node",
    "Not",
    "Or",
    "Phrase",
    "QueryWarning",
    "Range",
    "Subject",
    "Title",
    "TopicMatcher",
    "Word",
    "canonical",
    "check",
    "compile_query",
    "fts5_match",
    "parse",
    "search_words_fts5",
    "search_words_tsquery",
    "tsquery",
]
