"""Every operation of the OpenAPI document, called with inputs generated from its schemas.

Schemathesis builds Hypothesis strategies from ``/api/v1/openapi.json`` (the document the API
serves) and calls the Django application in process (WSGI), as a visitor and with a read-write
token of an organisation's owner, against a small network. Whatever the input, the answer is never
a 5xx and conforms to the document: a documented status, content type, headers and body.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tansiq.accounts import services as account_services
from tansiq.api import api

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
OPERATIONS = sorted(
    (result.ok().method.upper(), result.ok().path) for result in SCHEMA.get_all_operations() if result.ok()
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Examples per operation and caller: enough to try each parameter's edges (empty, huge, odd text),
# few enough that the 38 operations × 2 callers run in well under a minute.
EXAMPLES = 8


def test_every_operation_documents_the_error_responses_with_the_one_schema():
    assert len(OPERATIONS) >= 38
    for path, operations in SCHEMA.raw_schema["paths"].items():
        for method, operation in operations.items():
            for status in (401, 403, 404, 409, 422, 429):
                response = operation["responses"].get(status) or operation["responses"].get(str(status))
                assert response, (method, path, status)
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)
    too_many = SCHEMA.raw_schema["paths"]["/api/v1/networks"]["get"]["responses"]
    assert "Retry-After" in (too_many.get(429) or too_many["429"])["headers"]


@pytest.fixture
def known(org, owner, network, unit):
    """Path parameters that name real objects, so that cases also reach past the lookups."""
    from tansiq.core import certificates
    from tests.workflow_app.apps import PARTICIPATION

    membership = org.network_memberships.get()
    certificate = certificates.issue(kind=PARTICIPATION, holder=owner, organisation_name=org.name, facts={"hours": 3})
    return {
        "code": [certificate.code, certificates.format_code(certificate.code)],
        "slug": ["ours", "uniw"],
        "unit": [unit.slug],
        "uuid": [str(membership.uuid)],
        "membership": [str(membership.uuid)],
    }


@pytest.mark.parametrize("caller", ["visitor", "token"])
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_answers_within_its_document(method, path, caller, owner, known, settings_override):
    headers = {"Accept-Language": "ar"}
    if caller == "token":
        raw = account_services.create_token(owner, by=owner, name="properties", scope="write")[1]
        headers["Authorization"] = f"Bearer {raw}"
    operation = SCHEMA[path][method]
    app = get_wsgi_application()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), real=st.booleans(), pick=st.integers(min_value=0, max_value=5))
    def run(case, real, pick):
        for name, values in known.items():
            if real and name in (case.path_parameters or {}):
                case.path_parameters[name] = values[pick % len(values)]
        response = case.call(app=app, headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()


@pytest.fixture
def settings_override(settings):
    """Generous budgets, and the test's database connection kept open across the WSGI calls (as
    Django's test client keeps it: the handler would otherwise close it when a request ends)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield _budgets(settings)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _budgets(settings):
    # The budgets are tested elsewhere; here every example should reach the operation.
    settings.TANSIQ_API_RATE_ANON = "100000/min"
    settings.TANSIQ_API_RATE_USER = "100000/min"
