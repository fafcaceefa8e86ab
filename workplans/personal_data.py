"""The work plan's part of a member's data rights (`stakeholders.personal_data`): the community
profile entries they wrote, the needs they raised, the dots they gave, the actions they are
responsible for and the progress they reported. Registered from `WorkplansConfig.ready()`.

A record the person may no longer see is never named: its title reads "a need (or action) you
can no longer see". Leaving erases nothing here: these rows are the committee's history, and
they name the person by their (now pseudonymized) row."""

from django.utils.translation import gettext as _

from stakeholders.models import Person
from stakeholders.personal_data import Section, register_exporter

from . import selectors
from .models import Action, Need, NeedVote, ProgressUpdate, RealityEntry


def register() -> None:
    register_exporter(export)


def export(person: Person) -> list[Section]:
    user = person.user
    visible_needs = dict(selectors.needs_for(user).values_list("pk", "title"))
    visible_actions = dict(selectors.actions_for(user).values_list("pk", "title"))

    def need(pk: int) -> str:
        return visible_needs.get(pk) or _("a need you can no longer see")

    def action(pk: int) -> str:
        return visible_actions.get(pk) or _("an action you can no longer see")

    visible_entries = set(selectors.reality_entries_for(user).values_list("pk", flat=True))
    reality = Section(
        key="reality_entries",
        title=_("Your entries in the community profile"),
        fields=[
            ("observed_on", _("Observed on")),
            ("kind", _("About")),
            ("entry", _("Entry")),
        ],
        rows=[
            {
                "observed_on": row.observed_on,
                "kind": row.get_kind_display(),
                "entry": row.text
                if row.pk in visible_entries
                else _("an entry you can no longer see"),
            }
            for row in RealityEntry.objects.filter(author=person).order_by("observed_on", "pk")
        ],
    )
    needs = Section(
        key="needs",
        title=_("Needs you raised"),
        fields=[("created_at", _("Raised")), ("need", _("Need")), ("status", _("Status"))],
        rows=[
            {"created_at": row.created_at, "need": need(row.pk), "status": row.get_status_display()}
            for row in Need.objects.filter(author=person).order_by("created_at", "pk")
        ],
    )
    dots = Section(
        key="dots",
        title=_("Dots you gave"),
        fields=[
            ("round", _("Prioritization round")),
            ("need", _("Need")),
            ("dots", _("Dots")),
            ("updated_at", _("When")),
        ],
        rows=[
            {
                "round": vote.prioritization.title,
                "need": need(vote.need_id),
                "dots": vote.dots,
                "updated_at": vote.updated_at,
            }
            for vote in NeedVote.objects.filter(person=person)
            .select_related("prioritization")
            .order_by("updated_at", "pk")
        ],
    )
    responsible = Section(
        key="actions_responsible",
        title=_("Actions you are responsible for"),
        fields=[("action", _("Action")), ("status", _("Status")), ("due_on", _("Due"))],
        rows=[
            {"action": action(row.pk), "status": row.get_status_display(), "due_on": row.due_on}
            for row in Action.objects.filter(responsible=person).order_by("pk")
        ],
    )
    updates = Section(
        key="progress_updates",
        title=_("Progress you reported"),
        fields=[
            ("date", _("Date")),
            ("action", _("Action")),
            ("progress", _("Progress (%)")),
            ("note", _("Note")),
        ],
        rows=[
            {
                "date": row.date,
                "action": action(row.action_id),
                "progress": row.progress,
                "note": row.note,
            }
            for row in ProgressUpdate.objects.filter(by=person).order_by("date", "pk")
        ],
    )
    return [reality, needs, dots, responsible, updates]
