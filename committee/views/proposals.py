"""Placeholder while this module is being written: every route answers 404."""

from django.http import Http404


def comment_create(request, *args, **kwargs):
    raise Http404


def comment_delete(request, *args, **kwargs):
    raise Http404


def comment_edit(request, *args, **kwargs):
    raise Http404


def outcome_statement(request, *args, **kwargs):
    raise Http404


def position_form(request, *args, **kwargs):
    raise Http404


def proposal_create(request, *args, **kwargs):
    raise Http404


def proposal_detail(request, *args, **kwargs):
    raise Http404


def proposal_edit(request, *args, **kwargs):
    raise Http404


def proposal_list(request, *args, **kwargs):
    raise Http404


def proposal_move(request, *args, **kwargs):
    raise Http404


def proposal_revise(request, *args, **kwargs):
    raise Http404


def proposal_version(request, *args, **kwargs):
    raise Http404
