"""The community's home page: what is waiting for the member first, then the committee at a
glance. It lives in `committee` because it shows proposals; `stakeholders` cannot import them."""

from django.shortcuts import render

from stakeholders import selectors as stakeholder_selectors
from stakeholders.models import Role
from stakeholders.views import community_page


@community_page
def community_home(request, community):
    me = stakeholder_selectors.person_of(request.user)
    sector_map = stakeholder_selectors.stakeholder_map(request.user)
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
        },
    )
