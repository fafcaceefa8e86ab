"""The OpenAPI schema's error answers. drf-spectacular documents only the success of each
operation; clients (and the API fuzzing of `.ci/fuzz-api`) must also know the errors every
operation can give, in the one shape `lic.api.exception_handler` gives them:

- 400 with messages per field (`detail` or `non_field_errors` for the request as a whole) on
  every write and wherever there are query parameters;
- 403 for anyone not signed in or not allowed, on every operation that needs a signed-in person;
- 404 where the address or a query parameter names a record (hidden and missing records read
  the same) or a page (that does not exist);
- 429 with `Retry-After` only where a view declares it (rate limits, the sign-in pause).
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in the person's language.")


VALIDATION_ERROR = {
    "type": "object",
    "description": "Messages per field; `detail` or `non_field_errors` for the whole request.",
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "string"},
            {"type": "object"},
        ]
    },
}

TOO_MANY_REQUESTS = OpenApiResponse(
    response=ErrorSerializer,
    description="Too many requests: wait for the number of seconds in Retry-After.",
)


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        parameters = operation.get("parameters", [])
        in_path = any(parameter["in"] == "path" for parameter in parameters)
        in_query = any(parameter["in"] == "query" for parameter in parameters)
        if self.method in {"POST", "PUT", "PATCH"} or in_query:
            responses.setdefault("400", self._error(VALIDATION_ERROR, "Invalid input."))
        if {} not in operation.get("security", [{}]):
            forbidden = self._error(ErrorSerializer, "Not signed in, or not allowed.")
            responses.setdefault("403", forbidden)
        if in_path or in_query:
            responses.setdefault(
                "404",
                self._error(ErrorSerializer, "Not found (or not yours to see: the same)."),
            )
        if "429" in responses:
            responses["429"].setdefault("headers", {})["Retry-After"] = {
                "schema": {"type": "integer"},
                "description": "Seconds to wait before trying again.",
                "required": True,
            }
        return operation

    def _error(self, schema, description):
        return self._get_response_for_code(
            OpenApiResponse(response=schema, description=description), "400"
        )


class OneRecordSchema(AutoSchema):
    """For a viewset whose `list` answers one object (the caller's charter or agreement), not
    an array: drf-spectacular takes every `list` action for a list."""

    def _is_list_view(self, serializer=None) -> bool:
        return False
