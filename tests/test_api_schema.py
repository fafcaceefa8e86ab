"""What the API fuzzing (`.ci/fuzz-api`, schemathesis against /api/schema/) found, each kept
fixed here: odd ids and pages answer 404 (never 500 or a quiet first page), unrouted API
addresses answer the API's own JSON 404, OPTIONS works on the preferences document, and the
schema documents what the API really answers (errors, nullable dates, unpaginated lists, the
token endpoint)."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.committee.test_api import api_as


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def component(schema, ref: str) -> dict:
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


# --- answers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/sectors/1.8416054685901701e-28/",  # was a 500: the database refused the id
        "/api/v1/proposals/-1/",
        "/api/v1/notifications/abc/read/",
        "/api/v1/sectors/%C2%84/",  # was Django's HTML 404 page
        "/api/v1/no-such-thing/",
    ],
)
def test_an_address_that_names_no_record_answers_the_apis_own_404(personas, path):
    client = api_as(personas.experiential)
    missing = client.get("/api/v1/sectors/999999/")
    method = client.post if path.endswith("/read/") else client.get

    response = method(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.content == missing.content


def test_an_empty_page_number_is_no_page_rather_than_the_first(personas):
    client = api_as(personas.experiential)

    assert client.get("/api/v1/sectors/?page=1").status_code == 200
    response = client.get("/api/v1/sectors/?page=")

    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


def test_options_on_the_notification_preferences_describes_them(personas, seated):
    # Was a 500: DRF's OPTIONS answer looks the document up to describe PUT.
    response = api_as(personas.experiential).options("/api/v1/notification-preferences/")

    assert response.status_code == 200
    assert "PUT" in response.json()["actions"]


def test_a_proposals_positions_come_as_the_plain_list_the_schema_says(personas, seated, schema):
    from tests.conftest import make_proposal

    proposal = make_proposal(personas.coordinator, status="decision")
    response = api_as(personas.experiential).get(
        f"/api/v1/proposals/{proposal.pk}/positions/?page=2"
    )

    assert response.status_code == 200
    assert response.json() == []
    documented = schema["paths"]["/api/v1/proposals/{id}/positions/"]["get"]
    body = documented["responses"]["200"]["content"]["application/json"]["schema"]
    assert body["type"] == "array"
    assert "page" not in {parameter["name"] for parameter in documented.get("parameters", [])}


# --- the schema -----------------------------------------------------------------------------


def test_every_unpaginated_list_under_a_record_is_documented_as_a_plain_list(schema):
    for path, method, operation in operations(schema):
        if method != "get" or "{id}" not in path or path.endswith("{id}/"):
            continue
        body = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert "Paginated" not in body.get("$ref", ""), f"GET {path}"


def test_every_operation_documents_its_errors(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        name = f"{method.upper()} {path}"
        if path != "/api/v1/auth/token/":
            assert "403" in responses, name
        if "{id}" in path:
            assert "404" in responses, name
        if method in {"post", "put", "patch"}:
            assert "400" in responses, name


def test_the_token_endpoint_is_documented_as_it_answers(schema):
    operation = schema["paths"]["/api/v1/auth/token/"]["post"]

    assert "security" not in operation  # anyone may ask
    token = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(component(schema, token["$ref"])["properties"]) == {"token"}
    assert operation["responses"]["429"]["headers"]["Retry-After"]["required"] is True


@pytest.mark.parametrize(
    "serializer, field", [("Action", "approved_at"), ("ActionArea", "agreed_at")]
)
def test_dates_that_may_be_hidden_are_documented_as_nullable(schema, serializer, field):
    assert schema["components"]["schemas"][serializer]["properties"][field]["nullable"] is True
