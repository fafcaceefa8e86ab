from django.urls import path

from . import views

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
    path("c/<slug:slug>/me/", views.my_profile, name="my-profile"),
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
