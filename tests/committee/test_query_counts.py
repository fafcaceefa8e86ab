"""The proposal pages cost the same number of queries for one proposal as for many (no N+1)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committee import services


def open_proposals(personas, how_many: int) -> None:
    for number in range(how_many):
        proposal = services.create_proposal(
            author=personas.coordinator,
            title=f"Proposal {number}",
            body="Text",
            visibility="committee",
            anonymous=number % 2 == 0,
        )
        services.open_for_positions(
            actor=personas.coordinator,
            proposal=proposal,
            closes_at=timezone.now() + timedelta(days=1),
        )
        services.cast_position(person=personas.police, proposal=proposal, stance="agree")
        services.add_comment(author=personas.police, proposal=proposal, body="Fine by us.")


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["/c/riverside/", "/c/riverside/proposals/"])
def test_a_page_of_proposals_costs_the_same_queries_for_1_and_for_10(personas, seated, page):
    client = Client()
    client.force_login(personas.experiential.user)
    open_proposals(personas, 1)
    client.get(page)  # warm the per-process caches (content types, sessions)
    with_one = queries_for(client, page)
    open_proposals(personas, 9)
    assert queries_for(client, page) == with_one
