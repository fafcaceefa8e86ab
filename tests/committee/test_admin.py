"""Operators can look at the committee's structure in the Django admin, but not change it there,
and proposals are not in the admin at all."""

from django.contrib import admin

from committee.models import Comment, Committee, CommitteeMember, Position, Proposal, Seat


def test_the_admin_shows_the_structure_read_only_and_no_proposals(rf, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user
    for model in (Committee, Seat, CommitteeMember):
        model_admin = admin.site._registry[model]
        assert model_admin.has_view_permission(request)
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
    for model in (Proposal, Position, Comment):
        assert model not in admin.site._registry


def test_the_seat_list_opens_for_an_operator(admin_client, seated):
    response = admin_client.get("/admin/committee/seat/")
    assert response.status_code == 200
    assert "Peers Riverside" in response.content.decode()
