from django.urls import path

from . import data_views, views

urlpatterns = [
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("c/<slug:slug>/map/", views.stakeholder_map, name="stakeholder-map"),
    path(
        "c/<slug:slug>/organizations/<int:pk>/",
        views.organization_detail,
        name="organization-detail",
    ),
    path("c/<slug:slug>/notes/", views.note_list, name="note-list"),
    path("c/<slug:slug>/notes/<int:pk>/", views.note_detail, name="note-detail"),
    path("c/<slug:slug>/people/", views.people_list, name="people-list"),
    path("c/<slug:slug>/people/<int:pk>/", views.person_detail, name="person-detail"),
    path("c/<slug:slug>/people/<int:pk>/unpause/", views.person_unpause, name="person-unpause"),
    path("c/<slug:slug>/people/<int:pk>/reopen/", views.person_reopen, name="person-reopen"),
    path(
        "c/<slug:slug>/people/<int:pk>/membership/",
        views.person_membership,
        name="person-membership",
    ),
    path("c/<slug:slug>/me/", views.my_profile, name="my-profile"),
    path("c/<slug:slug>/me/password/", views.my_password, name="my-password"),
    path("c/<slug:slug>/me/sessions/", views.my_sessions, name="my-sessions"),
    path("c/<slug:slug>/me/sessions/<int:pk>/end/", views.my_session_end, name="my-session-end"),
    path(
        "c/<slug:slug>/me/sessions/end-others/",
        views.my_sessions_end_others,
        name="my-sessions-end-others",
    ),
    path(
        "c/<slug:slug>/me/sessions/end-all/", views.my_sessions_end_all, name="my-sessions-end-all"
    ),
    # a member's data rights, and the audit trail (coordinators)
    path("c/<slug:slug>/me/data/", data_views.my_data, name="my-data"),
    path("c/<slug:slug>/me/data.json", data_views.my_data_json, name="my-data-json"),
    path("c/<slug:slug>/me/leave/", data_views.my_leave, name="my-leave"),
    path("c/<slug:slug>/audit/", data_views.audit_trail_page, name="audit-trail"),
    # two-step sign-in: the code after the password, setting it up, and managing it
    path("accounts/two-factor/", views.two_factor_verify, name="two-factor-verify"),
    path("accounts/two-factor/setup/", views.two_factor_setup, name="two-factor-setup"),
    path(
        "accounts/two-factor/recovery-codes/",
        views.two_factor_recovery_codes,
        name="two-factor-recovery-codes",
    ),
    path("accounts/two-factor/off/", views.two_factor_off, name="two-factor-off"),
    path("c/<slug:slug>/sectors/", views.sector_list, name="sector-list"),
    path("c/<slug:slug>/onboarding/", views.onboarding, name="onboarding"),
    path(
        "c/<slug:slug>/onboarding/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path(
        "c/<slug:slug>/onboarding/invitations/<int:pk>/resend/",
        views.invitation_resend,
        name="invitation-resend",
    ),
]
