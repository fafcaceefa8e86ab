"""An anonymous proposal shows sectors, never who answered: not in names, and not in anything
that could be matched to the seat list."""

from datetime import timedelta

from django.utils import timezone

from committee import selectors, services


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
