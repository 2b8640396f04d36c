"""Schemathesis against our own OpenAPI document: no server error, no response off its schema.

Runs on SQLite with a few known posts and an admin token, so the generated requests
reach the endpoints' own code instead of stopping at the token check.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import positive_data_acceptance

from analytics_posts import labelled, post, store, topics
from horchposten.config import Settings
from horchposten.store.database import Database, open_database
from horchposten.store.tokens import create_token
from horchposten.web.app import create_app

TOKEN: dict[str, str] = {}


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    database: Database = open_database(f"sqlite:///{tmp_path_factory.mktemp('api') / 'h.db'}")
    with database.begin() as conn:
        TOKEN["admin"] = create_token(conn, "schemathesis", "admin")[0]
    brand, rival = topics(database, "Nordlicht", "Bergquell")
    store(
        database,
        [
            labelled(
                post(
                    "1",
                    "2026-10-24T21:30",
                    handle="anna",
                    followers=100,
                    text="Nordlicht Akku top, @ben",
                ),
                "positive",
                [brand],
            ),
            labelled(
                post(
                    "2",
                    "2026-10-25T22:30",
                    handle="ben",
                    parent="1",
                    text="Nordlicht Versand langsam",
                ),
                "negative",
                [brand, rival],
            ),
        ],
    )
    yield schemathesis.openapi.from_asgi("/openapi.json", create_app(database, Settings()))
    database.close()


def test_api_conforms_to_its_openapi_document(api_schema: Any) -> None:
    # Operation by operation with Hypothesis directly: schemathesis' pytest plugin reads
    # a private pytest attribute that pytest 9 no longer has.
    headers = {"Authorization": f"Bearer {TOKEN['admin']}"}
    checked = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=12,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            phases=[Phase.explicit, Phase.generate],
        )
        def conforms(case: Any) -> None:
            # A schema-valid query string may still not parse (422): no JSON schema can
            # describe the query language, so that one check is left out.
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        conforms()
        checked.append(operation.label)
    assert len(checked) >= 15


def test_every_operation_is_documented_with_a_summary_and_example(api_schema: Any) -> None:
    document = api_schema.raw_schema
    assert document["info"]["title"] == "Horchposten"
    for path, operations in document["paths"].items():
        assert path.startswith("/api/v1/")
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"
            label = f"{method.upper()} {path}"
            assert operation.get("description"), f"{label} has no description"
            if operation.get("parameters") or operation.get("requestBody"):
                assert '"example' in json.dumps(operation), f"{label} has no example"
