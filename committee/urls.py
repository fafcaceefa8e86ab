from django.urls import path

from .views import calendar, charter, meetings, members, notifications, proposals

urlpatterns = [
    # c/<slug>/ (the community's home) is routed by the `public` app: outsiders get the
    # community's public page there.
    # the committee: who sits on it, and its rule
    path("c/<slug:slug>/committee/", members.committee_page, name="committee"),
    path(
        "c/<slug:slug>/committee/settings/", members.committee_settings, name="committee-settings"
    ),
    path("c/<slug:slug>/committee/seats/", members.seat_admin, name="committee-seats"),
    path("c/<slug:slug>/committee/seats/<int:pk>/end/", members.seat_end, name="seat-end"),
    path("c/<slug:slug>/committee/roles/", members.role_set, name="committee-role"),
    # the charter and the trust agreement
    path("c/<slug:slug>/charter/", charter.charter_page, name="charter"),
    path("c/<slug:slug>/charter/propose/", charter.charter_propose, name="charter-propose"),
    path(
        "c/<slug:slug>/charter/versions/<int:number>/",
        charter.charter_version,
        name="charter-version",
    ),
    path("c/<slug:slug>/agreement/", charter.agreement_page, name="agreement"),
    path("c/<slug:slug>/agreement/accept/", charter.agreement_accept, name="agreement-accept"),
    path("c/<slug:slug>/agreement/propose/", charter.agreement_propose, name="agreement-propose"),
    path(
        "c/<slug:slug>/agreement/acceptances/",
        charter.agreement_acceptances,
        name="agreement-acceptances",
    ),
    # proposals
    path("c/<slug:slug>/proposals/", proposals.proposal_list, name="proposal-list"),
    path("c/<slug:slug>/proposals/new/", proposals.proposal_create, name="proposal-create"),
    path("c/<slug:slug>/proposals/<int:pk>/", proposals.proposal_detail, name="proposal-detail"),
    path("c/<slug:slug>/proposals/<int:pk>/edit/", proposals.proposal_edit, name="proposal-edit"),
    path("c/<slug:slug>/proposals/<int:pk>/move/", proposals.proposal_move, name="proposal-move"),
    path(
        "c/<slug:slug>/proposals/<int:pk>/change/",
        charter.amendment_edit,
        name="proposal-amendment-edit",
    ),
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
    # notifications
    path(
        "c/<slug:slug>/notifications/",
        notifications.notification_list,
        name="notification-list",
    ),
    path(
        "c/<slug:slug>/notifications/read/",
        notifications.notification_read,
        name="notification-read",
    ),
    path(
        "c/<slug:slug>/notifications/settings/",
        notifications.notification_settings,
        name="notification-settings",
    ),
    # meetings
    path("c/<slug:slug>/meetings/", meetings.meeting_list, name="meeting-list"),
    path("c/<slug:slug>/meetings/new/", meetings.meeting_create, name="meeting-create"),
    path("c/<slug:slug>/meetings/<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("c/<slug:slug>/meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting-edit"),
    path("c/<slug:slug>/meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting-cancel"),
    path("c/<slug:slug>/meetings/<int:pk>/held/", meetings.meeting_held, name="meeting-held"),
    path("c/<slug:slug>/meetings/<int:pk>/rsvp/", meetings.meeting_rsvp, name="meeting-rsvp"),
    path(
        "c/<slug:slug>/meetings/<int:pk>/attendance/",
        meetings.meeting_attendance,
        name="meeting-attendance",
    ),
    path("c/<slug:slug>/meetings/<int:pk>/agenda/", meetings.agenda_add, name="agenda-add"),
    path(
        "c/<slug:slug>/meetings/<int:pk>/agenda/suggest/",
        meetings.agenda_suggest,
        name="agenda-suggest",
    ),
    path(
        "c/<slug:slug>/meetings/<int:pk>/agenda/<int:item_pk>/",
        meetings.agenda_item,
        name="agenda-item",
    ),
    path("c/<slug:slug>/meetings/<int:pk>/minutes/", meetings.minutes_edit, name="minutes-edit"),
    path(
        "c/<slug:slug>/meetings/<int:pk>/minutes/approve/",
        meetings.minutes_approve,
        name="minutes-approve",
    ),
    # calendars: a member's private feed (the token is the credential), one meeting as .ics
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar-feed"),
    path(
        "c/<slug:slug>/meetings/<int:pk>/calendar.ics",
        calendar.meeting_calendar,
        name="meeting-calendar",
    ),
    path("c/<slug:slug>/me/calendar/", calendar.my_calendar, name="my-calendar"),
]
