"""The proposal list reads a page part by part (`selectors.ProposalListing`): whatever window a
page is, it holds the same proposals in the same order as sorting everything the viewer may see
would give: awaiting the viewer's position, then open, in discussion, drafts, closed,
withdrawn, newest first within each."""

from committee import selectors, services
from committee.models import ProposalStatus
from tests.conftest import make_proposal


def everything_sorted(user, community_id, status=""):
    proposals = selectors.awaiting_my_position(
        user, selectors.proposals_for(user).filter(community_id=community_id)
    )
    if status:
        proposals = proposals.filter(status=status)
    return sorted(
        proposals,
        key=lambda p: (
            not p.awaits_me,
            selectors.LIST_ORDER.index(p.status),
            -p.created_at.timestamp(),
            -p.pk,
        ),
    )


def test_every_window_of_the_listing_is_that_window_of_the_whole_order(personas, seated):
    p = personas
    for number in range(3):
        make_proposal(p.police, f"Discussion {number}", status="discussion")
        make_proposal(p.coordinator, f"Draft {number}")
        make_proposal(p.police, f"Awaiting {number}", status="decision")
        answered = make_proposal(p.police, f"Answered {number}", status="decision")
        services.cast_position(person=p.coordinator, proposal=answered, stance="agree")
    closed = make_proposal(p.police, "Closed", status="decision")
    services.close_proposal(actor=p.police, proposal=closed)
    withdrawn = make_proposal(p.police, "Withdrawn", status="discussion")
    services.withdraw_proposal(actor=p.police, proposal=withdrawn)
    make_proposal(p.police, "Someone else's draft")  # the coordinator may see it, as a draft
    user, community_id = p.coordinator.user, p.community.pk

    expected = [proposal.pk for proposal in everything_sorted(user, community_id)]
    listing = selectors.ProposalListing(user, community_id)

    assert listing.count() == len(expected) == 15
    assert [proposal.title for proposal in listing[0:3]] == [
        "Awaiting 2",
        "Awaiting 1",
        "Awaiting 0",
    ]
    for start in range(len(expected)):
        for stop in {start + 1, min(start + 4, len(expected)), len(expected)}:
            window = selectors.ProposalListing(user, community_id)[start:stop]
            assert [proposal.pk for proposal in window] == expected[start:stop]
    awaiting = {proposal.pk for proposal in listing[0:3]}
    assert all(proposal.awaits_me == (proposal.pk in awaiting) for proposal in listing[0:15])


def test_one_status_and_what_a_member_may_not_see(personas, seated):
    p = personas
    make_proposal(p.police, "Open", status="decision")
    make_proposal(p.police, "In discussion", status="discussion")
    make_proposal(p.coordinator, "The coordinator's draft")
    make_proposal(
        p.coordinator, "Coordinators only", status="discussion", visibility="coordinators"
    )
    user, community_id = p.resident.user, p.community.pk

    everything = selectors.ProposalListing(user, community_id)
    in_discussion = selectors.ProposalListing(user, community_id, status=ProposalStatus.DISCUSSION)

    assert [proposal.title for proposal in everything[0:10]] == ["Open", "In discussion"]
    assert everything.count() == 2
    assert [proposal.title for proposal in in_discussion[0:10]] == ["In discussion"]
    assert [pk for pk in (proposal.pk for proposal in everything[0:10])] == [
        proposal.pk for proposal in everything_sorted(user, community_id)
    ]
