"""A community's day is the date where it is, for seats and roles, whoever asks: a page (which
runs in the community's time zone), the API, a task or the seed (which run in UTC). Riverside is
in Vancouver: in the evening there, it is already tomorrow in UTC. A seat given that evening
counts from that day, and shows at once on every page and in the API."""

from datetime import UTC, date, datetime
from unittest import mock

import pytest
from django.test import Client
from rest_framework.test import APIClient

from committee import selectors, services
from committee.models import CommitteeMember
from tests.conftest import build_personas, build_seated, make_person

# 18:00 on 25 November in Vancouver, 02:00 on the 26th in UTC.
EVENING_IN_RIVERSIDE = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
RIVERSIDE_DAY = date(2026, 11, 25)


@pytest.fixture
def evening():
    with mock.patch("django.utils.timezone.now", return_value=EVENING_IN_RIVERSIDE):
        yield


@pytest.fixture
def world(db, evening):
    personas = build_personas()
    return personas, build_seated(personas)


def test_the_community_says_which_day_it_is(world):
    personas, _seated = world
    assert personas.community.today() == RIVERSIDE_DAY


def test_seats_and_roles_given_in_the_evening_start_that_day(world):
    _personas, seated = world
    seats = seated.seats.values()
    assert {seat.started_on for seat in seats} == {RIVERSIDE_DAY}
    roles = CommitteeMember.objects.filter(committee=seated.committee, ended_on__isnull=True)
    assert {member.started_on for member in roles} == {RIVERSIDE_DAY}


def test_a_seat_given_this_evening_is_on_the_committee_page_at_once(world):
    personas, seated = world
    client = Client()
    client.force_login(personas.health.user)

    html = client.get("/c/riverside/committee/").content.decode()

    police = html.split('id="sector-law-enforcement"', 1)[1].split('id="sector-', 1)[0]
    assert seated.seats["law-enforcement"].primary.display_name in police
    assert "this voice is missing" not in police


def test_a_seat_given_this_evening_is_in_the_api_and_the_stakeholder_map(world):
    personas, seated = world
    client = APIClient()
    client.force_authenticate(personas.health.user)

    [committee] = client.get("/api/v1/committees/").json()["results"]

    assert len(committee["seats"]) == len(seated.seats)
    assert selectors.seat_holdings(personas.community).seats_by_sector == {
        seat.sector_id: 1 for seat in seated.seats.values()
    }


def test_a_seat_cannot_start_on_the_communitys_tomorrow(world):
    personas, seated = world
    with pytest.raises(Exception, match="starts today or on a past day"):
        services.create_seat(
            actor=None,
            committee=seated.committee,
            sector=personas.sector("residents"),
            primary=make_person(personas.community, "yuki", sector_keys=("youth",)),
            started_on=date(2026, 11, 26),  # already the 26th in UTC, not yet in Riverside
        )
    assert seated.committee.seats.count() == len(seated.seats)
