"""Cross-cutting API pieces: one error shape, and 404s that never say why."""

from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    # Every "not found" reads the same, whether the record is missing or hidden from the caller.
    if isinstance(exc, Http404 | exceptions.NotFound):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
