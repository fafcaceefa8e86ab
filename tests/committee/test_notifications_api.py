"""In-app notifications through the REST API: each caller gets their own, about what they may
still see (one about a proposal hidden since leaves the list, the count and every address),
marks one or all read, and chooses a channel per kind; someone else's notification is a 404
like a missing one; the list does not grow in queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from committee import selectors, services
from committee.models import Notification, NotificationKind, NotificationPreference, Proposal
from committee.services import notifications
from stakeholders.models import Person, Visibility
from stakeholders.services import save_visible_record
from tests.committee.test_meetings import schedule
from tests.conftest import make_proposal

MISSING = 999_999
KINDS = NotificationKind


def api_as(person: Person) -> APIClient:
    client = APIClient()
    client.force_login(person.user)
    return client


def sweep() -> int:
    return services.send_due_notifications(now=timezone.now())


def listed(client: APIClient, query: str = "") -> list[dict]:
    response = client.get(f"/api/v1/notifications/{query}")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def unread(client: APIClient) -> int:
    response = client.get("/api/v1/notifications/unread-count/")
    assert response.status_code == 200
    return response.json()["unread"]


def opened(author: Person, title: str, **options) -> Proposal:
    """A proposal opened for positions: its readers are told at the next sweep."""
    return make_proposal(author, title, status="decision", **options)


# --- the list ----------------------------------------------------------------------------------


def test_the_list_shows_what_was_sent_to_me_newest_first(personas, seated):
    p = personas
    first = opened(p.coordinator, "Night van")
    sweep()
    second = opened(p.coordinator, "Day centre")
    sweep()

    rows = listed(api_as(p.police))

    assert [row["proposal"] for row in rows] == [
        {"id": second.pk, "title": "Day centre"},
        {"id": first.pk, "title": "Night van"},
    ]
    newest = rows[0]
    assert (newest["kind"], newest["meeting"], newest["read"]) == ("proposal_opened", None, False)
    assert newest["closes_at"] is not None and newest["sent_at"] is not None
    assert (
        newest["id"]
        == Notification.objects.get(
            recipient=p.police, proposal=second, kind=KINDS.PROPOSAL_OPENED
        ).pk
    )


def test_a_moved_meeting_carries_its_old_and_new_start(personas, seated):
    p = personas
    meeting = schedule(p.coordinator, "Monthly meeting")
    old_start = meeting.starts_at
    new_start = old_start + timedelta(days=1)
    services.reschedule_meeting(
        actor=p.coordinator,
        meeting=meeting,
        starts_at=new_start,
        ends_at=new_start + timedelta(hours=2),
        place=meeting.place,
        online_link="",
    )
    sweep()

    [row] = listed(api_as(p.police))

    assert row["kind"] == "meeting_changed"
    assert row["meeting"] == {"id": meeting.pk, "title": "Monthly meeting"}
    assert row["proposal"] is None
    assert row["starts_at"] == new_start.isoformat().replace("+00:00", "Z")
    assert row["old_starts_at"] == old_start.isoformat().replace("+00:00", "Z")


def test_a_caucus_proposal_is_announced_only_to_its_caucus(personas, seated):
    p = personas
    opened(p.experiential, "Caucus only", visibility="sectors", sectors=[p.sector("experiential")])
    sweep()

    assert [row["proposal"]["title"] for row in listed(api_as(p.experiential_peer))] == [
        "Caucus only"
    ]
    for person in (p.police, p.coordinator, p.resident):
        assert listed(api_as(person)) == []
        assert unread(api_as(person)) == 0


@pytest.mark.parametrize("who", ["admin", "outsider"])
def test_administrators_and_other_communities_get_no_notifications(personas, seated, who):
    opened(personas.coordinator, "Night van")
    sweep()
    client = api_as(getattr(personas, who))

    assert listed(client) == []
    assert unread(client) == 0


def test_the_list_filters_unread_and_refuses_anything_but_true_or_false(personas, seated):
    p = personas
    opened(p.coordinator, "Night van")
    opened(p.coordinator, "Day centre")
    sweep()
    read = selectors.notifications_for(p.police.user).get(proposal__title="Night van")
    services.mark_read(person=p.police, notification=read)
    client = api_as(p.police)

    assert [row["proposal"]["title"] for row in listed(client, "?unread=true")] == ["Day centre"]
    assert [row["proposal"]["title"] for row in listed(client, "?unread=false")] == ["Night van"]
    response = client.get("/api/v1/notifications/?unread=yes")
    assert response.status_code == 400
    assert response.json() == {"unread": "Give true or false."}


# --- reading -----------------------------------------------------------------------------------


def test_marking_one_and_then_all_read(personas, seated):
    p = personas
    opened(p.coordinator, "Night van")
    opened(p.coordinator, "Day centre")
    sweep()
    client = api_as(p.police)
    one = listed(client)[0]
    assert unread(client) == 2

    response = client.post(f"/api/v1/notifications/{one['id']}/read/")

    assert response.status_code == 200
    assert response.json()["read"] is True
    assert response.json()["read_at"] is not None
    assert unread(client) == 1
    assert unread(api_as(p.health)) == 2  # theirs are theirs
    everything = client.post("/api/v1/notifications/read-all/")
    assert everything.status_code == 200
    assert everything.json() == {"unread": 0}
    assert unread(client) == 0
    assert unread(api_as(p.health)) == 2


def test_someone_elses_notification_does_not_exist_for_me(personas, seated):
    p = personas
    opened(p.coordinator, "Night van")
    sweep()
    theirs = Notification.objects.get(recipient=p.health, kind=KINDS.PROPOSAL_OPENED)
    client = api_as(p.police)

    for suffix, method in (("", client.get), ("read/", client.post)):
        hidden = method(f"/api/v1/notifications/{theirs.pk}/{suffix}")
        missing = method(f"/api/v1/notifications/{MISSING}/{suffix}")
        assert hidden.status_code == missing.status_code == 404, suffix
        assert hidden.content == missing.content, suffix
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_proposal_made_coordinators_only_after_it_was_announced_leaves_a_members_list(
    personas, seated
):
    p = personas
    proposal = opened(p.coordinator, "Night van")
    sweep()
    client = api_as(p.police)
    [row] = listed(client)
    assert unread(client) == 1
    # Narrowed behind the service's back, as a later change of visibility would.
    save_visible_record(
        record=Proposal.objects.get(pk=proposal.pk),
        author=p.coordinator,
        visibility=Visibility.COORDINATORS,
        sectors=[],
    )

    assert listed(client) == []
    assert unread(client) == 0
    missing = client.get(f"/api/v1/notifications/{MISSING}/")
    for response in (
        client.get(f"/api/v1/notifications/{row['id']}/"),
        client.post(f"/api/v1/notifications/{row['id']}/read/"),
    ):
        assert response.status_code == 404
        assert response.content == missing.content
    assert "Night van" not in client.get("/api/v1/notifications/").content.decode()
    assert [r["proposal"]["title"] for r in listed(api_as(p.coordinator))] == ["Night van"]
    assert unread(api_as(p.coordinator)) == 1


def test_a_meeting_made_caucus_only_after_it_was_announced_leaves_the_polices_list(
    personas, seated
):
    p = personas
    meeting = schedule(p.coordinator, "Monthly meeting")
    services.cancel_meeting(actor=p.coordinator, meeting=meeting)
    sweep()
    client = api_as(p.police)
    assert [row["kind"] for row in listed(client)] == ["meeting_cancelled"]
    experiential_coordinator = p.coordinator
    experiential_coordinator.sectors.add(p.sector("experiential"))
    save_visible_record(
        record=meeting,
        author=experiential_coordinator,
        visibility=Visibility.SECTORS,
        sectors=[p.sector("experiential")],
    )

    assert listed(client) == []
    assert unread(client) == 0
    assert [row["kind"] for row in listed(api_as(p.experiential))] == ["meeting_cancelled"]


# --- preferences -------------------------------------------------------------------------------


def test_a_member_reads_a_channel_for_each_kind_offered_to_them(personas, seated):
    NotificationPreference.objects.create(
        person=personas.police, kind=KINDS.PROPOSAL_OUTCOME, channel="off"
    )

    member = api_as(personas.police).get("/api/v1/notification-preferences/")
    coordinator = api_as(personas.coordinator).get("/api/v1/notification-preferences/")

    assert member.status_code == coordinator.status_code == 200
    expected = {kind: "email" for kind in KINDS.values if kind != KINDS.MINUTES_DUE}
    assert member.json() == expected | {KINDS.PROPOSAL_OUTCOME: "off"}
    assert coordinator.json() == expected | {KINDS.MINUTES_DUE: "email"}


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_member_chooses_channels_for_the_kinds_given_and_keeps_the_others(
    personas, seated, method
):
    p = personas
    NotificationPreference.objects.create(
        person=p.police, kind=KINDS.PROPOSAL_OPENED, channel="off"
    )
    client = api_as(p.police)

    response = getattr(client, method)(
        "/api/v1/notification-preferences/",
        {KINDS.MEETING_REMINDER: "in_app", KINDS.PROPOSAL_OUTCOME: "off"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()[KINDS.MEETING_REMINDER] == "in_app"
    assert notifications.channel_for(p.police, KINDS.MEETING_REMINDER) == "in_app"
    assert notifications.channel_for(p.police, KINDS.PROPOSAL_OUTCOME) == "off"
    assert notifications.channel_for(p.police, KINDS.PROPOSAL_OPENED) == "off"
    assert notifications.channel_for(p.police, KINDS.MEETING_CHANGED) == "email"


@pytest.mark.parametrize(
    "body, errors",
    [
        (
            {"meeting_reminder": "in_app", "birthday": "email"},
            {"birthday": ["Choose one of the kinds of notification."]},
        ),
        (
            {"meeting_reminder": "in_app", "proposal_outcome": "pigeon"},
            {"proposal_outcome": ["Choose email, in the app only, or off."]},
        ),
        (
            {"meeting_reminder": "in_app", "minutes_due": "off"},
            {"minutes_due": ["Choose one of the kinds of notification."]},
        ),
    ],
)
def test_an_unknown_kind_or_channel_is_refused_and_nothing_is_saved(personas, seated, body, errors):
    response = api_as(personas.police).patch(
        "/api/v1/notification-preferences/", body, format="json"
    )

    assert response.status_code == 400
    assert response.json() == errors
    assert not NotificationPreference.objects.exists()


def test_preferences_do_not_exist_for_an_administrator(personas):
    client = api_as(personas.admin)
    missing = client.get(f"/api/v1/notifications/{MISSING}/")

    for response in (
        client.get("/api/v1/notification-preferences/"),
        client.patch(
            "/api/v1/notification-preferences/", {"meeting_reminder": "off"}, format="json"
        ),
    ):
        assert response.status_code == 404
        assert response.content == missing.content
    assert not NotificationPreference.objects.exists()


# --- query counts ------------------------------------------------------------------------------

# What listing notifications costs, however many there are: the session, the user and their
# two-step devices (2), the caller's person, the count for the page, and the page with its
# meetings and proposals.
LIST_QUERY_BUDGET = 7


def _list_queries(client: APIClient, expected_rows: int) -> int:
    client.get("/api/v1/notifications/")  # warm per-process caches before counting
    with CaptureQueriesContext(connection) as queries:
        rows = listed(client)
    assert len(rows) == expected_rows
    return len(queries)


def test_the_notification_list_costs_the_same_queries_for_one_and_for_ten(personas, seated):
    p = personas
    opened(p.coordinator, "Proposal 0")
    sweep()
    one = _list_queries(api_as(p.police), 1)

    for number in range(1, 5):
        opened(p.coordinator, f"Proposal {number}")
    for number in range(5, 10):
        services.cancel_meeting(
            actor=p.coordinator, meeting=schedule(p.coordinator, f"Meeting {number}", days=number)
        )
    sweep()
    ten = _list_queries(api_as(p.police), 10)

    assert ten == one <= LIST_QUERY_BUDGET


def test_the_schema_documents_the_meeting_and_notification_endpoints(db):
    import yaml

    response = APIClient().get("/api/schema/")

    assert response.status_code == 200
    paths = yaml.safe_load(response.content)["paths"]
    for path in [
        "/api/v1/meetings/",
        "/api/v1/meetings/{id}/",
        "/api/v1/meetings/{id}/rsvp/",
        "/api/v1/meetings/{id}/attendance/",
        "/api/v1/meetings/{id}/reschedule/",
        "/api/v1/meetings/{id}/cancel/",
        "/api/v1/meetings/{id}/agenda/",
        "/api/v1/notifications/",
        "/api/v1/notifications/{id}/read/",
        "/api/v1/notifications/read-all/",
        "/api/v1/notifications/unread-count/",
        "/api/v1/notification-preferences/",
    ]:
        assert path in paths, path
    assert {"get", "put", "patch"} <= set(paths["/api/v1/notification-preferences/"])
    assert "post" in paths["/api/v1/meetings/{id}/attendance/"]
    parameters = {param["name"] for param in paths["/api/v1/notifications/"]["get"]["parameters"]}
    assert "unread" in parameters
