"""Fuzz the API from its own OpenAPI schema (schemathesis): for requests the
schema allows and for requests it does not, the server answers with a
documented status and a body that matches the schema; never a 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from koembed.serve import ModelCatalog, model_sources
from koembed.serve.app import create_app
from koembed.serve.routes import WORD_FORMAT

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 100  # per operation and mode: bounded, so the fuzz takes well under a minute


@pytest.fixture(scope="module")
def schema(law_model_dir, law_sif_dir):
    catalog = ModelCatalog.load(model_sources([str(law_model_dir), f"sif={law_sif_dir}"]))
    # Query words: vocabulary words (answered), their inflected forms (tokenized
    # first) and any text at all (mostly unknown: 404 with spellings).
    vocabulary = catalog.get(None).words().words
    words = st.sampled_from(vocabulary[:500])
    schemathesis.openapi.format(
        WORD_FORMAT,
        st.one_of(
            words,
            st.tuples(words, st.sampled_from(["의", "을", "에서"])).map("".join),
            st.text(max_size=30),
        ),
    )
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(catalog))


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_request_gets_a_server_error_or_an_answer_off_its_schema(schema, mode):
    # schemathesis' own pytest plugin does not run under pytest 9; its checks do.
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    calls: dict[str, dict[int, int]] = {}
    for operation in operations:
        if mode == GenerationMode.NEGATIVE and not (
            operation.query or operation.path_parameters or operation.body
        ):
            continue  # nothing to get wrong (GET /api/models)

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case):
            response = case.call_and_validate(checks=CHECKS)
            statuses = calls.setdefault(case.operation.label, {})
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        fuzz()
    print(mode, calls)
    assert all(calls.values()), calls
    if mode == GenerationMode.POSITIVE:  # valid requests reach the answers, not only errors
        unanswered = {label for label, statuses in calls.items() if 200 not in statuses}
        # A model named at random is unknown (a 404); these two take the name as text.
        assert unanswered <= {"GET /api/models/{name}", "POST /api/documents"}, calls
