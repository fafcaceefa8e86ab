"""The weekly digest of overdue actions, as its people notice it: who is told on Monday morning
(in the community's time zone), once a week, of which actions, and never of one they cannot see
when it is sent. It goes through the committee's outbox, which knows of it only through the
occasion `workplans` registers. Planning and the sweep are called directly, with the moment they
run at; beat runs them."""

import re
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import formats, timezone, translation

from committee import services as committee_services
from committee.models import Notification, NotificationKind
from committee.services import notifications as outbox
from lic.celery import app
from stakeholders.models import Visibility
from stakeholders.services import save_visible_record
from tests.conftest import make_person
from workplans import notifications as digests
from workplans import services, tasks
from workplans.models import Action

from .conftest import community_today

SLUG = "riverside"
KIND = NotificationKind.ACTIONS_OVERDUE
VANCOUVER = ZoneInfo("America/Vancouver")


def next_monday(at: time = time(9, 0)) -> datetime:
    """The next Monday after today in Riverside, at `at` there. The plan's actions (due a few
    days before today) are overdue then."""
    today = community_today()
    monday = today + timedelta(days=7 - today.weekday())
    return datetime.combine(monday, at, tzinfo=VANCOUVER)


MONDAY = next_monday()
WEEK = digests.week_of(MONDAY.date())


def plan_at(moment: datetime = MONDAY) -> int:
    return digests.plan_overdue_digests(now=moment)


def sweep(moment: datetime = MONDAY) -> int:
    return committee_services.send_due_notifications(now=moment)


def digest_rows(**lookup):
    return Notification.objects.filter(kind=KIND, **lookup)


def recipients(**lookup) -> set[str]:
    return set(digest_rows(**lookup).values_list("recipient__display_name", flat=True))


def digests_to(person) -> list:
    """The digest emails sent to `person` (the plan fixture's proposals send others)."""
    ids = {
        f"<notification.{pk}@" for pk in digest_rows(recipient=person).values_list("pk", flat=True)
    }
    return [
        message
        for message in mail.outbox
        if message.to == [person.email]
        and any(message.extra_headers["Message-ID"].startswith(prefix) for prefix in ids)
    ]


def html_of(message) -> str:
    [(html, _mimetype)] = message.alternatives
    return html


def client_for(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def make_caucus_only(action: Action, caucus_member, sector) -> None:
    """Narrowed behind the services' back (the responsible person may not see it any more), as a
    later change of visibility or of someone's sectors would leave it."""
    save_visible_record(
        record=Action.objects.get(pk=action.pk),
        author=caucus_member,
        visibility=Visibility.SECTORS,
        sectors=[sector],
    )


# --- who gets a row ----------------------------------------------------------------------------


def test_the_responsible_people_and_the_coordinators_each_get_one_row_for_the_week(personas, plan):
    p = personas

    assert plan_at() == 3

    # Omar is responsible for the committee action, Rosa for the caucus action, Sam coordinates
    # (and sees the committee action). Nobody else has an overdue action to hear of; the other
    # community's coordinator hears nothing of Riverside.
    assert recipients() == {"Omar", "Rosa", "Sam"}
    row = digest_rows(recipient=p.health).get()
    assert row.key == f"actions_overdue:{WEEK}:{p.health.pk}"
    assert (row.state, row.due_at, row.context) == ("pending", MONDAY, {"week": WEEK})


def test_a_second_run_in_the_same_week_adds_nothing_and_the_next_week_plans_again(personas, plan):
    plan_at()

    assert plan_at(MONDAY + timedelta(hours=1)) == 0
    assert plan_at(MONDAY + timedelta(hours=14)) == 0
    assert digest_rows().count() == 3
    next_week = MONDAY + timedelta(days=7)
    assert plan_at(next_week) == 3
    assert digest_rows().count() == 6
    assert digest_rows(key__contains=digests.week_of(next_week.date())).count() == 3


def test_digests_are_planned_only_on_monday_from_eight_in_the_community_time_zone(personas, plan):
    # Monday 08:30 UTC is still Monday 00:30 in Vancouver.
    assert plan_at(datetime.combine(MONDAY.date(), time(8, 30), tzinfo=ZoneInfo("UTC"))) == 0
    assert plan_at(next_monday(time(7, 59))) == 0
    assert plan_at(MONDAY - timedelta(days=1)) == 0  # Sunday
    assert plan_at(MONDAY + timedelta(days=1)) == 0  # Tuesday
    assert not digest_rows().exists()

    assert plan_at(next_monday(time(8, 0))) == 3


def test_someone_responsible_for_a_caucus_action_they_cannot_see_gets_no_row(personas, plan):
    p = personas
    Action.objects.filter(pk=plan.caucus_action.pk).update(responsible=p.police)

    plan_at()

    assert recipients() == {"Omar", "Sam"}
    assert not digest_rows(recipient=p.police).exists()


def test_nobody_gets_a_row_when_nothing_is_overdue(personas, plan):
    Action.objects.filter(pk=plan.action.pk).update(due_on=MONDAY.date())  # due that day
    Action.objects.exclude(pk=plan.action.pk).update(due_on=None)

    assert plan_at() == 0
    assert not digest_rows().exists()


def test_done_and_dropped_actions_are_not_overdue(personas, plan):
    p = personas
    services.set_action_status(actor=p.health, action=plan.action, status="done")
    services.set_action_status(
        actor=p.experiential_peer, action=plan.caucus_action, status="dropped"
    )

    assert plan_at() == 0
    assert not digest_rows().exists()


# --- what is sent ------------------------------------------------------------------------------


def test_the_digest_lists_each_overdue_action_with_its_due_date_status_progress_and_link(
    personas, plan
):
    p = personas
    plan_at()

    sweep()

    [message] = digests_to(p.health)
    action = plan.action
    due = formats.date_format(action.due_on, "DATE_FORMAT")
    link = f"{settings.SITE_URL}/c/{SLUG}/workplan/actions/{action.pk}/"
    assert message.subject == "1 overdue action to follow up"
    assert "action:committee" in message.body
    assert f"Due {due} · In progress · 40% done" in message.body
    assert link in message.body
    assert f'<a href="{link}">action:committee</a>' in html_of(message)
    assert f"{settings.SITE_URL}/c/{SLUG}/workplan/" in message.body
    assert "action:caucus" not in message.body  # Rosa's, in the caucus
    assert "action:in-caucus-area" not in message.body
    assert digest_rows(recipient=p.health).get().state == "sent"


def test_a_coordinator_hears_of_every_overdue_action_they_may_see_most_overdue_first(
    personas, plan
):
    p = personas
    older = services.create_action(
        actor=p.coordinator,
        objective=plan.objective,
        title="action:long-overdue",
        visibility=Visibility.COMMITTEE,
        due_on=community_today() - timedelta(days=30),
    )
    plan_at()

    sweep()

    [message] = digests_to(p.coordinator)
    assert message.subject == "2 overdue actions to follow up"
    assert message.body.index(older.title) < message.body.index("action:committee")
    assert "action:caucus" not in message.body
    assert "action:in-caucus-area" not in message.body
    [rosa] = digests_to(p.experiential_peer)
    assert "action:caucus" in rosa.body and "action:committee" not in rosa.body


def second_coordinator(p):
    """A coordinator from the health sector, outside the caucus, who wrote none of the plan."""
    return make_person(p.community, "lee", sector_keys=("health",), role="coordinator")


def test_an_action_hidden_after_planning_is_not_listed_for_a_coordinator_outside_the_caucus(
    personas, plan
):
    p = personas
    lee = second_coordinator(p)
    services.create_action(
        actor=p.coordinator,
        objective=plan.objective,
        title="action:still-visible",
        visibility=Visibility.COMMITTEE,
        due_on=community_today() - timedelta(days=10),
    )
    plan_at()
    assert recipients() == {"Lee", "Omar", "Rosa", "Sam"}
    make_caucus_only(plan.action, p.experiential, p.sector("experiential"))

    sweep()

    [message] = digests_to(lee)
    assert "action:still-visible" in message.body
    assert "action:committee" not in message.body
    assert "action:committee" not in html_of(message)
    assert message.subject == "1 overdue action to follow up"
    # Omar's only overdue action is in the caucus now: nothing to tell him.
    assert digests_to(p.health) == []
    assert digest_rows(recipient=p.health).get().state == "skipped"


def test_a_digest_emptied_by_a_change_of_visibility_is_not_sent(personas, plan):
    p = personas
    lee = second_coordinator(p)
    plan_at()
    assert digest_rows(recipient=lee).exists()
    make_caucus_only(plan.action, p.experiential, p.sector("experiential"))

    sweep()

    assert digests_to(lee) == []
    assert digest_rows(recipient=lee).get().state == "skipped"
    assert not [n for n in mail.outbox if "action:committee" in n.body and n.to == [lee.email]]
    assert len(digests_to(p.coordinator)) == 1  # Sam wrote it: he still sees it


def test_an_action_done_after_planning_is_not_listed(personas, plan):
    p = personas
    plan_at()
    services.set_action_status(actor=p.health, action=plan.action, status="done")

    sweep()

    assert digests_to(p.health) == [] and digests_to(p.coordinator) == []
    assert set(digest_rows(state="skipped").values_list("recipient__display_name", flat=True)) == {
        "Omar",
        "Sam",
    }
    assert len(digests_to(p.experiential_peer)) == 1


def test_a_digest_not_sent_by_the_end_of_its_week_is_dropped(personas, plan):
    plan_at()

    sweep(MONDAY + timedelta(days=7))

    assert set(digest_rows().values_list("state", flat=True)) == {"skipped"}
    assert digests_to(personas.health) == []


def test_turned_off_means_no_digest(personas, plan):
    p = personas
    committee_services.set_preference(person=p.health, kind=KIND, channel="off")
    plan_at()

    sweep()

    assert digests_to(p.health) == []
    assert digest_rows(recipient=p.health).get().state == "skipped"
    assert len(digests_to(p.coordinator)) == 1


def test_a_french_speaker_gets_the_digest_in_french(personas, plan):
    p = personas
    p.health.preferred_language = "fr"
    p.health.save(update_fields=["preferred_language"])
    plan_at()

    sweep()

    [message] = digests_to(p.health)
    with translation.override("fr"):
        due = formats.date_format(plan.action.due_on, "DATE_FORMAT")
    assert '<html lang="fr">' in html_of(message)
    assert message.extra_headers["Content-Language"] == "fr"
    assert "Bonjour Omar" in message.body
    assert due in message.body
    [english] = digests_to(p.coordinator)
    assert '<html lang="en">' in html_of(english)


# --- in the app and the settings ---------------------------------------------------------------


def test_the_in_app_entry_links_to_the_work_plan(personas, plan):
    p = personas
    plan_at()
    sweep()

    page = client_for(p.health).get(f"/c/{SLUG}/notifications/").content.decode()

    assert "Overdue actions to follow up this week" in page
    assert f'href="/c/{SLUG}/workplan/"' in page
    assert "Open the work plan" in page


def test_the_settings_page_offers_the_digest_to_every_member_emailed_by_default(personas, seated):
    p = personas
    assert committee_services.channel_for(p.police, KIND) == "email"
    client = client_for(p.police)

    page = client.get(f"/c/{SLUG}/notifications/settings/").content.decode()

    assert "Overdue actions I am responsible for or coordinate (weekly)" in page
    assert 'value="email" required id="id_actions_overdue_0" checked' in page
    choices = {kind: "email" for kind in NotificationKind.values}
    del choices[NotificationKind.MINUTES_DUE]
    choices[KIND] = "in_app"
    assert client.post(f"/c/{SLUG}/notifications/settings/", choices).status_code == 302
    assert committee_services.channel_for(p.police, KIND) == "in_app"


# --- beat and the seam -------------------------------------------------------------------------


def test_beat_runs_the_planning_every_hour_and_the_task_plans(personas, plan, monkeypatch):
    entry = settings.CELERY_BEAT_SCHEDULE["plan-overdue-digests"]
    assert entry["schedule"] <= 3600
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    monkeypatch.setattr(timezone, "now", lambda: MONDAY)

    assert tasks.plan_overdue_digests.delay().get() == 3
    assert tasks.plan_overdue_digests.delay().get() == 0


def test_committee_does_not_import_workplans():
    committee = Path(settings.BASE_DIR) / "committee"
    importing = re.compile(
        r"^\s*(from|import)\s+workplans\b|import_module\(\s*['\"]workplans", re.M
    )

    offenders = [
        str(path.relative_to(committee))
        for path in committee.rglob("*.py")
        if importing.search(path.read_text())
    ]

    assert offenders == []
    assert list(committee.rglob("*.py"))


def test_the_outbox_sends_the_digest_only_through_the_registered_occasion(
    personas, plan, monkeypatch
):
    plan_at()
    monkeypatch.setattr(outbox, "_occasions", {})

    sweep()

    assert set(digest_rows().values_list("state", flat=True)) == {"skipped"}
    assert digests_to(personas.health) == []
