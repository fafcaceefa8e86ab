"""An anonymous proposal shows sectors, never who answered: not in names, and not in anything
that could be matched to the seat list."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from committee import selectors, services
from committee.models import Position
from stakeholders import selectors as stakeholder_selectors
from tests.conftest import make_proposal


def outcome_when(personas, seated, blocker, agreer):
    proposal = services.create_proposal(
        author=personas.coordinator,
        title="Caucus first",
        body="Ask the caucus first.",
        visibility="committee",
        anonymous=True,
    )
    services.open_for_positions(
        actor=personas.coordinator, proposal=proposal, closes_at=timezone.now() + timedelta(days=1)
    )
    services.cast_position(person=blocker, proposal=proposal, stance="block", reason="Not yet.")
    services.cast_position(person=agreer, proposal=proposal, stance="agree")
    return selectors.outcome_of(proposal).to_dict()


def test_which_seat_of_a_sector_blocked_cannot_be_told_from_the_outcome(personas, seated):
    p = personas
    services.create_seat(
        actor=None,
        committee=seated.committee,
        sector=p.sector("experiential"),
        primary=p.experiential_peer,
    )

    jade_blocks = outcome_when(p, seated, blocker=p.experiential, agreer=p.experiential_peer)
    rosa_blocks = outcome_when(p, seated, blocker=p.experiential_peer, agreer=p.experiential)

    assert jade_blocks == rosa_blocks
    assert jade_blocks["blocks"][0]["sector_name"] == p.sector("experiential").name
    assert p.experiential.display_name not in str(jade_blocks)


def test_the_audit_trail_does_not_say_who_answered_an_anonymous_proposal(personas, seated):
    """Coordinators read the audit trail; on an anonymous proposal it must not name who gave a
    position (nor its stance), while a named proposal's positions stay in the trail. Whoever
    gave it still finds it among the entries about them."""
    p = personas
    hidden = make_proposal(p.coordinator, "Hidden names", status="decision", anonymous=True)
    named = make_proposal(p.coordinator, "Names shown", status="decision")
    for proposal in (hidden, named):
        services.cast_position(person=p.police, proposal=proposal, stance="block", reason="No.")
    hidden_ids = {
        str(pk) for pk in Position.objects.filter(proposal=hidden).values_list("pk", flat=True)
    }
    named_ids = {
        str(pk) for pk in Position.objects.filter(proposal=named).values_list("pk", flat=True)
    }

    trail = list(stakeholder_selectors.audit_entries_for(p.coordinator.user, group="position"))
    assert {entry.target_id for entry in trail} == named_ids
    client = Client()
    client.force_login(p.coordinator.user)
    html = client.get("/c/riverside/audit/", {"group": "position"}).content.decode()
    assert "Names shown" in html and "Hidden names" not in html

    mine = stakeholder_selectors.audit_entries_about_me(p.police.user)
    assert hidden_ids <= {entry.target_id for entry in mine}
