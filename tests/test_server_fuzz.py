"""Schemathesis over the service's own OpenAPI schema, in process (ASGI).

Every operation gets generated requests, valid and invalid; the checks are
schemathesis's defaults plus "no 5xx": a response must be documented (status
code, content type, body schema). The suite runs a small number of examples
per operation; the full-size run (≥ 1,000 cases) is a documented command:

    REPLYLINT_FUZZ_EXAMPLES=300 PYTHONPATH=. python -m pytest -q tests/test_server_fuzz.py
    # or against a live server:
    replylint serve --port 8750 &
    schemathesis run http://127.0.0.1:8750/openapi.json --max-examples 300 --checks all \
        --exclude-checks positive_data_acceptance,missing_required_header,unsupported_method
"""

from __future__ import annotations

import os

import pytest

pytest.importorskip("fastapi")
schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import negative_data_rejection, positive_data_acceptance  # noqa: E402

import replylint  # noqa: E402
from replylint import Config  # noqa: E402
from replylint.service.server import create_app  # noqa: E402

EXAMPLES = int(os.environ.get("REPLYLINT_FUZZ_EXAMPLES", "12"))

replylint.load()  # the engine loads once here, not inside the first (timed) request
TOKEN = "fuzz-token"
app = create_app(Config.model_validate({"server": {"token": TOKEN}}), warm_up=False)
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
CASES: list[int] = []


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_fuzz(case):
    CASES.append(1)
    response = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code < 500, f"{case.method} {case.path}: {response.status_code} {response.text[:300]}"
    excluded = [positive_data_acceptance]  # the schema cannot say "not only whitespace" or "a known payload shape"
    if case.path.startswith("/v2/") or response.status_code == 413:
        # form fields are strings ("schema-invalid" is not expressible); 413 is a rejection the check does not list
        excluded.append(negative_data_rejection)
    case.validate_response(response, excluded_checks=excluded)


def test_fuzz_ran_every_operation():
    """Runs after the parametrized cases (file order): the fuzzer really generated requests."""
    operations = len(list(schema.get_all_operations()))
    assert operations >= 8
    assert len(CASES) >= operations * 2, len(CASES)
    print(f"\nschemathesis: {len(CASES)} generated cases over {operations} operations, no 5xx")
