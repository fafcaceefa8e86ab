from django.urls import path

from .views import home, members, proposals

urlpatterns = [
    path("c/<slug:slug>/", home.community_home, name="community-home"),
    # the committee: who sits on it, and its rule
    path("c/<slug:slug>/committee/", members.committee_page, name="committee"),
    path(
        "c/<slug:slug>/committee/settings/", members.committee_settings, name="committee-settings"
    ),
    path("c/<slug:slug>/committee/seats/", members.seat_admin, name="committee-seats"),
    path("c/<slug:slug>/committee/seats/<int:pk>/end/", members.seat_end, name="seat-end"),
    path("c/<slug:slug>/committee/roles/", members.role_set, name="committee-role"),
    # proposals
    path("c/<slug:slug>/proposals/", proposals.proposal_list, name="proposal-list"),
    path("c/<slug:slug>/proposals/new/", proposals.proposal_create, name="proposal-create"),
    path("c/<slug:slug>/proposals/<int:pk>/", proposals.proposal_detail, name="proposal-detail"),
    path("c/<slug:slug>/proposals/<int:pk>/edit/", proposals.proposal_edit, name="proposal-edit"),
    path("c/<slug:slug>/proposals/<int:pk>/move/", proposals.proposal_move, name="proposal-move"),
    path(
        "c/<slug:slug>/proposals/<int:pk>/revise/",
        proposals.proposal_revise,
        name="proposal-revise",
    ),
    path(
        "c/<slug:slug>/proposals/<int:pk>/statement/",
        proposals.outcome_statement,
        name="proposal-statement",
    ),
    path(
        "c/<slug:slug>/proposals/<int:pk>/position/",
        proposals.position_form,
        name="proposal-position",
    ),
    path(
        "c/<slug:slug>/proposals/<int:pk>/versions/<int:number>/",
        proposals.proposal_version,
        name="proposal-version",
    ),
    path(
        "c/<slug:slug>/proposals/<int:pk>/comments/",
        proposals.comment_create,
        name="comment-create",
    ),
    path(
        "c/<slug:slug>/proposals/<int:pk>/comments/<int:comment_pk>/edit/",
        proposals.comment_edit,
        name="comment-edit",
    ),
    path(
        "c/<slug:slug>/proposals/<int:pk>/comments/<int:comment_pk>/delete/",
        proposals.comment_delete,
        name="comment-delete",
    ),
]
