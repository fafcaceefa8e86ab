"""The work-plan REST API: the community profile, the work plan as a tree, needs and their
dot-vote results, action areas, objectives, actions with their status, approval and progress
updates, and the intended outcomes. Querysets come from selectors; writes go through services.
Input and output serializers are kept apart.

Everything under a record goes through its selector's `get_…` first, so a record the caller
cannot see answers 404 at every URL under it, exactly as a missing one does. A record chosen in
a request body (an objective, a proposal, a need…) is looked up among those the caller may see,
so a hidden one is refused exactly as a missing one.

Two things are never shown: `position` numbers (positions leave gaps where hidden siblings sit;
order is given by list order only), and the id of the proposal that agreed an area or approved an
action unless the caller may see that proposal (`agreed_by`/`approved_by` and their dates are
null then; `is_agreed`/`is_approved` still say that it happened)."""

from .viewsets import (
    ActionAreaViewSet,
    ActionViewSet,
    IntendedOutcomeViewSet,
    NeedViewSet,
    ObjectiveViewSet,
    RealityEntryViewSet,
    WorkPlanViewSet,
)


def register(router) -> None:
    router.register("workplans", WorkPlanViewSet, basename="workplan")
    router.register("reality", RealityEntryViewSet, basename="reality-entry")
    router.register("needs", NeedViewSet, basename="need")
    router.register("action-areas", ActionAreaViewSet, basename="action-area")
    router.register("objectives", ObjectiveViewSet, basename="objective")
    router.register("actions", ActionViewSet, basename="action")
    router.register("intended-outcomes", IntendedOutcomeViewSet, basename="intended-outcome")
