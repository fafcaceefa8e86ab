"""The notification sweep checks a whole batch's visibility at once (`visible_pairs`,
`visible_proposal_pairs`): for every persona and every kind of record, its answers are exactly
those of the selectors every page uses (`visible_to`, `proposals_for`)."""

from datetime import timedelta

from django.utils import timezone

from committee import selectors, services
from committee.models import Meeting, Proposal
from stakeholders.models import Person, Visibility
from stakeholders.selectors import visible_pairs, visible_to
from tests.conftest import make_proposal


def everyone(p, seated) -> list[Person]:
    people = [
        p.experiential,
        p.experiential_peer,
        p.police,
        p.police_colleague,
        p.resident,
        p.business,
        p.health,
        p.coordinator,
        p.admin,
        p.outsider,
        seated.observer,
    ]
    return [Person.objects.get(pk=person.pk) for person in people]


def test_a_batch_sees_exactly_the_proposals_that_proposals_for_shows(personas, seated):
    p = personas
    experiential = [p.sector("experiential")]
    for author, status, visibility, sectors in [
        (p.coordinator, "decision", Visibility.COMMITTEE, ()),
        (p.coordinator, "decision", "shared", ()),
        (p.coordinator, "discussion", Visibility.COORDINATORS, ()),
        (p.experiential, "decision", Visibility.SECTORS, experiential),
        (p.experiential, "draft", Visibility.SECTORS, experiential),
        (p.police, "discussion", Visibility.ORGANIZATION, ()),
        (p.police, "draft", Visibility.COMMITTEE, ()),
        (p.coordinator, "draft", "shared", ()),
        (p.outsider, "decision", Visibility.COMMITTEE, ()),
    ]:
        shared = visibility == "shared"
        make_proposal(
            author,
            f"{status} {visibility}",
            status=status,
            visibility=Visibility.COMMITTEE if shared else visibility,
            sectors=sectors,
        )
    # Proposals are not made public yet; the layer must already handle one that is.
    Proposal.objects.filter(title__endswith=" shared").update(visibility=Visibility.PUBLIC)
    closed = Person.objects.get(pk=p.police_colleague.pk)
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    proposals = Proposal.objects.in_bulk()
    people = everyone(p, seated)

    pairs = selectors.visible_proposal_pairs(proposals, {person: proposals for person in people})

    expected = {
        (person.pk, pk)
        for person in people
        for pk in selectors.proposals_for(person.user).values_list("pk", flat=True)
    }
    assert pairs == expected
    assert len({pk for _person, pk in pairs}) == len(proposals)  # each is seen by someone
    assert (p.resident.pk, Proposal.objects.get(title="draft committee").pk) not in pairs


def test_a_batch_sees_exactly_the_meetings_that_visible_to_shows(personas, seated):
    p = personas
    starts_at = timezone.now() + timedelta(days=3)
    for visibility, sectors in [
        (Visibility.COMMITTEE, ()),
        (Visibility.COORDINATORS, ()),
        (Visibility.SECTORS, [p.sector("sex-worker-services")]),
    ]:
        services.schedule_meeting(
            actor=p.coordinator,
            title=f"Meeting {visibility}",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            place="Riverside Hall",
            visibility=visibility,
            sectors=sectors,
        )
    meetings = Meeting.objects.in_bulk()
    people = everyone(p, seated)

    pairs = visible_pairs(meetings, {person: meetings for person in people})

    expected = {
        (person.pk, pk)
        for person in people
        for pk in visible_to(person.user, Meeting.objects.all()).values_list("pk", flat=True)
    }
    assert pairs == expected
    assert {pk for _person, pk in pairs} == set(meetings)
