"""Django admin for platform operators: the committee's structure, read only. Seats, roles and
the rule change through the committee's own pages (services), so that their checks and the audit
trail hold; proposals, positions and comments are not here at all (they carry visibility)."""

from django.contrib import admin

from stakeholders.admin import ReadOnlyAdmin

from .models import Committee, CommitteeMember, Seat


@admin.register(Committee)
class CommitteeAdmin(ReadOnlyAdmin):
    list_display = ["name", "community", "minimum_participation"]


@admin.register(Seat)
class SeatAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "committee",
        "sector",
        "primary",
        "alternate",
        "started_on",
        "ended_on",
    ]
    list_filter = ["committee"]


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(ReadOnlyAdmin):
    list_display = ["person", "committee", "role", "started_on", "ended_on"]
    list_filter = ["committee", "role"]
