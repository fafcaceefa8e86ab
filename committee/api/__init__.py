"""The committee REST API, by subject:

- `proposals`: the committee with its seats, and proposals with their positions, discussion,
  moves and history;
- `meetings`: meetings with their agenda, answers (RSVP), attendance, quorum and minutes;
- `notifications`: the caller's in-app notifications and their choice of channel per kind;
- `charter`: the community's charter with its versions, and the trust agreement (accept it).

Querysets come from selectors; writes go through services; input and output serializers are
kept apart. Everything under a record goes through its selector's `get_…` first, so a record the
caller cannot see answers 404 at every URL under it, exactly as a missing one does."""

from .charter import AgreementViewSet, CharterViewSet
from .meetings import MeetingViewSet
from .notifications import NotificationPreferenceViewSet, NotificationViewSet
from .proposals import (  # noqa: F401  (`workplans.api` names people and sectors alike)
    CommitteeViewSet,
    PersonRefSerializer,
    ProposalViewSet,
    SectorRefSerializer,
)


def register(router) -> None:
    router.register("committees", CommitteeViewSet, basename="committee")
    router.register(
        r"communities/(?P<community_pk>[0-9]+)/charter", CharterViewSet, basename="charter"
    )
    router.register("agreements", AgreementViewSet, basename="agreement")
    router.register("proposals", ProposalViewSet, basename="proposal")
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("notifications", NotificationViewSet, basename="notification")
    router.register(
        "notification-preferences",
        NotificationPreferenceViewSet,
        basename="notification-preference",
    )
