"""The demo shows a working committee with its charter and a trust agreement: every member has
accepted it except `demo-health`, who meets the agreement in place of the forms."""

from io import StringIO

from django.core.management import call_command

from committee import selectors
from stakeholders.models import Community, Person


def test_the_demo_has_an_agreement_that_all_but_one_demo_login_accepted(db):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # a second run adds no version
    community = Community.objects.get(slug="riverside")
    assert selectors.current_charter(community).is_model
    assert [v.number for v in selectors.agreement_versions(community)] == [2, 1]
    pending = {
        username
        for username in ("coordinator", "experiential", "police", "resident", "business", "health")
        if selectors.agreement_to_accept(Person.objects.get(user__username=f"demo-{username}"))
    }
    assert pending == {"health"}
