"""Operators can look at the guided path's committee-wide structure in the Django admin, read
only; needs, the work plan and its progress are not in the admin at all (they carry
visibility)."""

from django.contrib import admin

from workplans.models import (
    Action,
    ActionArea,
    Indicator,
    IntendedOutcome,
    Need,
    NeedVote,
    Objective,
    Prioritization,
    ProgressUpdate,
)


def test_the_admin_shows_the_structure_read_only_and_no_work_plan_record(rf, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user
    for model in (IntendedOutcome, Prioritization):
        model_admin = admin.site._registry[model]
        assert model_admin.has_view_permission(request)
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
    for model in (Need, NeedVote, ActionArea, Objective, Action, Indicator, ProgressUpdate):
        assert model not in admin.site._registry


def test_the_outcome_list_opens_for_an_operator(admin_client, personas):
    from workplans import services

    services.choose_model_outcome(actor=personas.coordinator, key="youth-exploitation")
    response = admin_client.get("/admin/workplans/intendedoutcome/")
    assert response.status_code == 200
    assert "Reduce sexual exploitation of youth" in response.content.decode()
