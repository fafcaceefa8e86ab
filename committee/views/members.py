"""Placeholder while this module is being written: every route answers 404."""

from django.http import Http404


def committee_page(request, *args, **kwargs):
    raise Http404


def committee_settings(request, *args, **kwargs):
    raise Http404


def role_set(request, *args, **kwargs):
    raise Http404


def seat_admin(request, *args, **kwargs):
    raise Http404


def seat_end(request, *args, **kwargs):
    raise Http404
