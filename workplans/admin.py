"""Django admin for platform operators: the structural, committee-wide bits of the guided path,
read only. Needs, action areas, objectives, actions, indicators, progress updates and dots are
not here at all: they carry visibility (or hang from a record that does), and the admin would
show them to an operator whatever it is."""

from django.contrib import admin

from stakeholders.admin import ReadOnlyAdmin

from .models import IntendedOutcome, Prioritization


@admin.register(IntendedOutcome)
class IntendedOutcomeAdmin(ReadOnlyAdmin):
    list_display = ["title", "community", "key", "chosen"]
    list_filter = ["community", "chosen"]


@admin.register(Prioritization)
class PrioritizationAdmin(ReadOnlyAdmin):
    list_display = ["title", "community", "dots_per_member", "status", "opened_at", "closed_at"]
    list_filter = ["community", "status"]
