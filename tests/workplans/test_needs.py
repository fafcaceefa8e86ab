"""The needs and issues register and the dot vote: who records a need and for which sector, who
places dots, how many, on what, and what the results show each person — a hidden need's dots
never count in what someone is shown."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from stakeholders.models import AuditEntry, Visibility
from workplans import selectors, services
from workplans.models import Need, NeedVote, Prioritization


@pytest.fixture
def spring(personas, seated) -> Prioritization:
    return services.open_prioritization(actor=personas.coordinator, title="Spring priorities")


def committee_need(p, title="Safety at night", author=None, sector_key="law-enforcement"):
    return services.record_need(
        author=author or p.police,
        title=title,
        sector=p.sector(sector_key),
        visibility=Visibility.COMMITTEE,
    )


def caucus_need(p, title="Bad dates on the Eastside"):
    return services.record_need(
        author=p.experiential,
        title=title,
        sector=p.sector("experiential"),
        visibility=Visibility.SECTORS,
        sectors=[p.sector("experiential")],
    )


def dots(person, round_, need):
    vote = NeedVote.objects.filter(prioritization=round_, need=need, person=person).first()
    return vote.dots if vote else 0


# --- recording needs ---------------------------------------------------------------------------


def test_a_member_records_a_need_for_their_own_sector_and_it_is_audited(personas):
    need = committee_need(personas)
    assert (need.title, need.sector.key, need.status, need.author) == (
        "Safety at night",
        "law-enforcement",
        "open",
        personas.police,
    )
    assert AuditEntry.objects.filter(action="need.create", target_id=str(need.pk)).exists()


def test_a_member_cannot_raise_a_need_for_another_sector_but_a_coordinator_can(personas):
    with pytest.raises(ValidationError):
        committee_need(personas, author=personas.police, sector_key="youth")
    assert not Need.objects.exists()
    need = committee_need(personas, author=personas.coordinator, sector_key="youth")
    assert need.sector.key == "youth"


def test_administrators_and_people_of_another_community_record_no_need(personas):
    with pytest.raises(ValidationError):
        committee_need(personas, author=personas.admin, sector_key="municipal-government")
    with pytest.raises(ValidationError):
        services.record_need(
            author=personas.outsider,
            title="Elsewhere",
            sector=personas.sector("experiential"),
            visibility=Visibility.COMMITTEE,
        )
    assert not Need.objects.exists()


def test_only_a_caucus_member_keeps_a_need_in_the_caucus(personas):
    with pytest.raises(ValidationError):
        services.record_need(
            author=personas.police,
            title="Not theirs",
            sector=personas.sector("law-enforcement"),
            visibility=Visibility.SECTORS,
            sectors=[personas.sector("experiential")],
        )
    with pytest.raises(ValidationError):
        services.record_need(
            author=personas.coordinator,
            title="Not public",
            sector=personas.sector("youth"),
            visibility=Visibility.PUBLIC,
        )
    assert not Need.objects.exists()


def test_its_author_or_a_coordinator_edits_a_need_and_marks_it_addressed(personas):
    need = committee_need(personas)
    with pytest.raises(ValidationError):
        services.update_need(
            actor=personas.resident,
            need=need,
            title="Changed",
            description="",
            sector=need.sector,
        )
    with pytest.raises(ValidationError):
        services.set_need_status(actor=personas.resident, need=need, status="addressed")
    need.refresh_from_db()
    assert (need.title, need.status) == ("Safety at night", "open")
    services.update_need(
        actor=personas.police,
        need=need,
        title="Safety after dark",
        description="",
        sector=need.sector,
    )
    services.set_need_status(actor=personas.coordinator, need=need, status="addressed")
    need.refresh_from_db()
    assert (need.title, need.status) == ("Safety after dark", "addressed")


def audience_of(need) -> tuple[str, set[str]]:
    need.refresh_from_db()
    return need.visibility, {sector.key for sector in need.visible_sectors.all()}


def test_its_author_moves_a_need_into_their_caucus_and_back_and_the_grants_follow(personas):
    p = personas
    need = committee_need(p, author=p.experiential, sector_key="experiential")
    experiential = [p.sector("experiential")]
    services.update_need(
        actor=p.experiential,
        need=need,
        title=need.title,
        description="",
        sector=need.sector,
        visibility=Visibility.SECTORS,
        sectors=experiential,
    )
    assert audience_of(need) == ("sectors", {"experiential"})
    assert not selectors.needs_for(p.police.user).filter(pk=need.pk).exists()
    assert not selectors.needs_for(p.coordinator.user).filter(pk=need.pk).exists()
    assert selectors.needs_for(p.experiential_peer.user).filter(pk=need.pk).exists()
    grants = AuditEntry.objects.filter(action="visibility.grants", target_id=str(need.pk))
    assert grants.count() == 2  # recorded, then moved into the caucus
    update = AuditEntry.objects.filter(action="need.update", target_id=str(need.pk)).get()
    assert update.changes["before"]["visibility"] == "committee"
    assert update.changes["after"]["visibility"] == "sectors"

    services.update_need(
        actor=p.experiential,
        need=need,
        title=need.title,
        description="",
        sector=need.sector,
        visibility=Visibility.COMMITTEE,
    )
    assert audience_of(need) == ("committee", set())
    assert selectors.needs_for(p.police.user).filter(pk=need.pk).exists()


def test_nobody_else_changes_who_sees_a_need_and_a_refusal_changes_nothing(personas):
    p = personas
    need = committee_need(p)  # by the police member
    before = AuditEntry.objects.filter(target_id=str(need.pk)).count()
    # A coordinator edits what it says, never who sees it.
    with pytest.raises(ValidationError):
        services.update_need(
            actor=p.coordinator,
            need=need,
            title="Renamed by the coordinator",
            description="",
            sector=need.sector,
            visibility=Visibility.COORDINATORS,
        )
    # Only a member of a sector keeps it in that sector: the police member is not experiential.
    with pytest.raises(ValidationError):
        services.update_need(
            actor=p.police,
            need=need,
            title="Renamed by its author",
            description="",
            sector=need.sector,
            visibility=Visibility.SECTORS,
            sectors=[p.sector("experiential")],
        )
    need.refresh_from_db()
    assert need.title == "Safety at night"
    assert audience_of(need) == ("committee", set())
    assert AuditEntry.objects.filter(target_id=str(need.pk)).count() == before
    # Saving the same audience again writes no grants.
    services.update_need(
        actor=p.police,
        need=need,
        title="Safety after dark",
        description="",
        sector=need.sector,
        visibility=Visibility.COMMITTEE,
    )
    grants = AuditEntry.objects.filter(action="visibility.grants", target_id=str(need.pk))
    assert grants.count() == 1


def test_a_hidden_need_does_not_exist_for_an_editor(personas):
    need = caucus_need(personas)
    with pytest.raises(Http404):
        services.set_need_status(actor=personas.coordinator, need=need, status="addressed")
    assert Need.objects.get(pk=need.pk).status == "open"


# --- rounds ------------------------------------------------------------------------------------


def test_only_coordinators_open_and_close_a_round_and_only_one_is_open(personas, spring):
    with pytest.raises(ValidationError):
        services.open_prioritization(actor=personas.coordinator, title="Another")
    with pytest.raises(ValidationError):
        services.close_prioritization(actor=personas.police, prioritization=spring)
    assert Prioritization.objects.get().status == "open"
    services.close_prioritization(actor=personas.coordinator, prioritization=spring)
    assert Prioritization.objects.get().status == "closed"
    with pytest.raises(ValidationError):
        services.open_prioritization(actor=personas.police, title="Summer")
    services.open_prioritization(actor=personas.coordinator, title="Summer", dots_per_member=5)
    assert selectors.open_prioritization(personas.resident.user).dots_per_member == 5


def test_a_round_of_another_community_does_not_exist_for_a_coordinator(personas, spring):
    with pytest.raises(Http404):
        services.close_prioritization(actor=personas.outsider, prioritization=spring)
    assert list(selectors.prioritizations_for(personas.outsider.user)) == []
    assert list(selectors.prioritizations_for(personas.admin.user)) == []


# --- dots --------------------------------------------------------------------------------------


def test_a_member_spreads_their_dots_and_cannot_place_more_than_they_have(personas, spring):
    p = personas
    night, parks = committee_need(p), committee_need(p, "Needles in parks", p.resident, "residents")
    services.vote(actor=p.business, prioritization=spring, need=night)
    services.vote(actor=p.business, prioritization=spring, need=night)
    services.vote(actor=p.business, prioritization=spring, need=parks)
    with pytest.raises(ValidationError) as refusal:
        services.vote(actor=p.business, prioritization=spring, need=parks)
    assert "0 dots left" in str(refusal.value)
    with pytest.raises(ValidationError):
        services.set_dots(actor=p.business, prioritization=spring, need=parks, dots=2)
    assert (dots(p.business, spring, night), dots(p.business, spring, parks)) == (2, 1)
    mine = selectors.my_dots(p.business.user, spring)
    assert (mine.used, mine.remaining, mine.by_need) == (3, 0, {night.pk: 2, parks.pk: 1})

    services.unvote(actor=p.business, prioritization=spring, need=night)
    services.vote(actor=p.business, prioritization=spring, need=parks)
    assert (dots(p.business, spring, night), dots(p.business, spring, parks)) == (1, 2)
    services.set_dots(actor=p.business, prioritization=spring, need=night, dots=0)
    assert not NeedVote.objects.filter(need=night).exists()
    services.unvote(actor=p.business, prioritization=spring, need=night)  # nothing to take back
    assert selectors.my_dots(p.business.user, spring).remaining == 1


def test_each_round_gives_its_own_dots(personas, spring):
    p = personas
    need = committee_need(p)
    services.set_dots(actor=p.health, prioritization=spring, need=need, dots=3)
    services.close_prioritization(actor=p.coordinator, prioritization=spring)
    with pytest.raises(ValidationError):
        services.vote(actor=p.health, prioritization=spring, need=need)
    summer = services.open_prioritization(actor=p.coordinator, title="Summer")
    services.set_dots(actor=p.health, prioritization=summer, need=need, dots=3)
    assert (dots(p.health, spring, need), dots(p.health, summer, need)) == (3, 3)


def test_observers_administrators_and_outsiders_place_no_dots(personas, seated, spring):
    need = committee_need(personas)
    for person in (seated.observer, personas.admin):
        with pytest.raises(ValidationError):
            services.vote(actor=person, prioritization=spring, need=need)
    with pytest.raises(Http404):
        services.vote(actor=personas.outsider, prioritization=spring, need=need)
    assert not NeedVote.objects.exists()


def test_a_member_places_dots_only_on_needs_they_can_see(personas, spring):
    hidden = caucus_need(personas)
    with pytest.raises(Http404):
        services.vote(actor=personas.police, prioritization=spring, need=hidden)
    assert not NeedVote.objects.exists()
    services.vote(actor=personas.experiential_peer, prioritization=spring, need=hidden)
    assert dots(personas.experiential_peer, spring, hidden) == 1


def test_an_addressed_need_takes_no_more_dots_but_gives_back_those_it_has(personas, spring):
    need = committee_need(personas)
    services.set_dots(actor=personas.health, prioritization=spring, need=need, dots=2)
    services.set_need_status(actor=personas.police, need=need, status="addressed")
    with pytest.raises(ValidationError):
        services.vote(actor=personas.health, prioritization=spring, need=need)
    services.unvote(actor=personas.health, prioritization=spring, need=need)
    assert dots(personas.health, spring, need) == 1


def test_placing_dots_is_audited(personas, spring):
    need = committee_need(personas)
    services.vote(actor=personas.health, prioritization=spring, need=need)
    entry = AuditEntry.objects.get(action="need.dots")
    assert entry.changes == {"prioritization": spring.pk, "before": 0, "after": 1}


# --- results -----------------------------------------------------------------------------------


@pytest.fixture
def voted(personas, spring):
    """Dots on a committee need (police 2, resident 1, experiential 1) and on a caucus need
    (experiential 2, her peer 3)."""
    p = personas
    night, hidden = committee_need(p), caucus_need(p)
    parks = committee_need(p, "Needles in parks", p.resident, "residents")
    services.set_dots(actor=p.police, prioritization=spring, need=night, dots=2)
    services.set_dots(actor=p.resident, prioritization=spring, need=night, dots=1)
    services.set_dots(actor=p.experiential, prioritization=spring, need=night, dots=1)
    services.set_dots(actor=p.experiential, prioritization=spring, need=hidden, dots=2)
    services.set_dots(actor=p.experiential_peer, prioritization=spring, need=hidden, dots=3)
    return night, hidden, parks


def table(user, round_):
    results = selectors.prioritization_results(user, round_)
    return results, [(tally.need.title, tally.total) for tally in results.needs]


def test_the_caucus_sees_its_need_on_top_with_its_dots_per_sector(personas, spring, voted):
    results, rows = table(personas.experiential.user, spring)
    assert rows == [
        ("Bad dates on the Eastside", 5),
        ("Safety at night", 4),
        ("Needles in parks", 0),
    ]
    experiential, police = personas.sector("experiential"), personas.sector("law-enforcement")
    assert results.needs[0].by_sector == {experiential.pk: 5}
    assert results.needs[1].by_sector == {
        police.pk: 2,
        personas.sector("residents").pk: 1,
        experiential.pk: 1,
    }
    assert results.total == 9
    assert results.totals_by_sector[experiential.pk] == 6
    assert [tally.need.title for tally in results.top(2)] == [
        "Bad dates on the Eastside",
        "Safety at night",
    ]


@pytest.mark.parametrize("who", ["police", "coordinator", "resident", "health"])
def test_outside_the_caucus_its_need_and_its_dots_are_nowhere(personas, spring, voted, who):
    results, rows = table(getattr(personas, who).user, spring)
    assert rows == [("Safety at night", 4), ("Needles in parks", 0)]
    assert results.total == 4
    experiential = personas.sector("experiential")
    assert results.totals_by_sector[experiential.pk] == 1  # only Jade's dot on a shared need
    assert [tally.need.title for tally in results.top(5)] == ["Safety at night"]


@pytest.mark.parametrize("who", ["admin", "outsider"])
def test_administrators_and_outsiders_see_no_need_and_no_result(personas, spring, voted, who):
    user = getattr(personas, who).user
    assert list(selectors.needs_for(user)) == []
    results, rows = table(user, spring)
    assert (rows, results.total, results.totals_by_sector) == ([], 0, {})
    with pytest.raises(Http404):
        selectors.get_prioritization(user, spring.pk)


def test_my_dots_on_a_need_i_no_longer_see_still_count_against_me(personas, spring, voted):
    """Rosa leaves the experiential sector: her 3 dots on the caucus need stay (the caucus still
    sees them), she no longer sees where they are, and she has none left to place."""
    from stakeholders import services as stakeholder_services

    p = personas
    stakeholder_services.update_membership(
        actor=p.coordinator, person=p.experiential_peer, sectors=[p.sector("residents")]
    )
    rosa = type(p.experiential_peer.user).objects.get(pk=p.experiential_peer.user_id)
    mine = selectors.my_dots(rosa, spring)
    assert (mine.by_need, mine.used, mine.remaining) == ({}, 3, 0)
    _results, rows = table(p.experiential.user, spring)
    assert rows[0] == ("Bad dates on the Eastside", 5)
