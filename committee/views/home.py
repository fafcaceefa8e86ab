"""The community's home page: what is waiting for the member first, then the committee at a
glance. It lives in `committee` because it shows proposals; `stakeholders` cannot import them."""

from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import render

from stakeholders import selectors as stakeholder_selectors
from stakeholders.models import Role
from stakeholders.views import community_page

from .. import selectors
from ..models import ProposalStatus


@community_page
def community_home(request, community):
    me = stakeholder_selectors.person_of(request.user)
    sector_map = stakeholder_selectors.stakeholder_map(request.user)
    proposals = selectors.awaiting_my_position(
        request.user,
        selectors.proposals_for(request.user).filter(
            community=community,
            status__in=[ProposalStatus.DECISION, ProposalStatus.DISCUSSION],
        ),
    )
    open_first = Case(
        When(status=ProposalStatus.DECISION, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return render(
        request,
        "stakeholders/community_home.html",
        {
            "community": community,
            "my_sectors": me.sectors.all(),
            "gaps": [
                row["sector"] for row in sector_map if row["is_gap"] and row["sector"].is_required
            ],
            "member_count": stakeholder_selectors.people_for(request.user)
            .filter(role__in=[Role.MEMBER, Role.COORDINATOR])
            .count(),
            "organization_count": stakeholder_selectors.organizations_for(request.user).count(),
            "upcoming_meetings": selectors.upcoming_meetings_for(request.user)[:3],
            "awaiting": proposals.filter(awaits_me=True).order_by("closes_at", "pk"),
            "other_open": proposals.filter(awaits_me=False)
            .annotate(open_first=open_first)
            .order_by("open_first", "closes_at", "-created_at", "-pk"),
        },
    )
