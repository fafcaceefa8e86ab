"""The data migration that turned the title-only tie between an action area and the proposal
drafted for it into a real link: run on areas as they stood before (no link), it links what is
unambiguous and leaves the rest for the coordinator to draft again."""

import importlib

from django.apps import apps

from committee import services as committee_services
from tests.conftest import make_proposal
from tests.workplans.conftest import agreed_proposal
from workplans import services
from workplans.models import ActionArea

migration = importlib.import_module("workplans.migrations.0004_action_area_drafted_proposal")


def unlinked_area(p, title: str) -> ActionArea:
    area = services.create_action_area(actor=p.coordinator, title=title, visibility="committee")
    return area


def test_existing_areas_are_linked_by_their_draft_title_only_when_unambiguous(personas, seated):
    p = personas
    english = unlinked_area(p, "Outreach")
    drafted = make_proposal(p.coordinator, "Action area: Outreach", status="discussion")
    french = unlinked_area(p, "Sécurité la nuit")
    drafted_fr = make_proposal(p.coordinator, "Domaine d’action : Sécurité la nuit")
    twice = unlinked_area(p, "Laneways")
    make_proposal(p.coordinator, "Action area: Laneways")
    make_proposal(p.coordinator, "Action area: Laneways")
    withdrawn_only = unlinked_area(p, "Youth")
    committee_services.withdraw_proposal(
        actor=p.coordinator, proposal=make_proposal(p.coordinator, "Action area: Youth")
    )
    agreed = unlinked_area(p, "Agreed already")
    agreeing = agreed_proposal(p, "Whatever its title")
    services.agree_action_area(actor=p.coordinator, area=agreed, proposal=agreeing)
    elsewhere = services.create_action_area(
        actor=p.outsider, title="Outreach", visibility="committee"
    )
    ActionArea.objects.update(proposal=None)  # as the areas stood before the link existed

    migration.link_drafted_proposals(apps, None)

    linked = dict(ActionArea.objects.values_list("pk", "proposal_id"))
    assert linked[english.pk] == drafted.pk
    assert linked[french.pk] == drafted_fr.pk
    assert linked[twice.pk] is None  # two candidates: ambiguous
    assert linked[withdrawn_only.pk] is None
    assert linked[agreed.pk] == agreeing.pk
    assert linked[elsewhere.pk] is None  # Riverside's proposal is not Harbourview's
