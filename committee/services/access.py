"""Who may act as a coordinator of a committee: one rule, used by every service."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stakeholders.models import Person


def is_coordinator_of(person: Person, community_id: int) -> bool:
    return person.is_coordinator and person.is_active and person.community_id == community_id


def require_coordinator(actor: Person, community_id: int) -> None:
    if not is_coordinator_of(actor, community_id):
        raise ValidationError(_("Only coordinators of this committee can do this."))
