"""Onboarding: coordinators and administrators register organizations and invite people; the
invitee follows the emailed link once and lands in the right community, sectors, organization
and audiences."""

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import formats, timezone, translation
from kombu.exceptions import OperationalError

from stakeholders import services, tasks
from stakeholders.models import (
    AuditEntry,
    Invitation,
    Organization,
    Person,
    Role,
    Sector,
    Visibility,
)

User = get_user_model()
NEW_PASSWORD = "Lantern-river-4096"


# --- helpers -----------------------------------------------------------------------------------


def signed_in(person: Person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def onboarding_url(slug: str = "riverside") -> str:
    return f"/c/{slug}/onboarding/"


def register_on_page(
    client: Client,
    sector: Sector,
    *,
    name: str = "Northside Youth Drop-in",
    email: str = "lee@northside.example",
    contact_name: str = "Lee",
    language: str = "en",
):
    return client.post(
        onboarding_url(),
        {
            "org-name": name,
            "org-sector": sector.pk,
            "org-description": "Evening drop-in for young people.",
            "org-contact_name": contact_name,
            "org-contact_email": email,
            "org-language": language,
            "register": "1",
        },
    )


def invite_on_page(client: Client, sectors: list[Sector], **fields):
    data = {
        "inv-email": "new.person@example.org",
        "inv-display_name": "",
        "inv-organization": "",
        "inv-sectors": [sector.pk for sector in sectors],
        "inv-role": Role.MEMBER,
        "inv-language": "en",
        "invite": "1",
    }
    data.update({f"inv-{key}": value for key, value in fields.items()})
    return client.post(onboarding_url(), data)


def link_path_in(message) -> str:
    """The invitation link of an email, as a path on this site."""
    match = re.search(r"https?://\S+/invitations/\S+/", message.body)
    assert match, message.body
    return urlparse(match.group(0)).path


def accept_data(**overrides) -> dict:
    data = {
        "display_name": "Lee",
        "username": "lee",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "preferred_language": "en",
    }
    data.update(overrides)
    return data


def group_names(person: Person) -> set[str]:
    return set(person.user.groups.values_list("name", flat=True))


def invite(personas, **kwargs) -> Invitation:
    kwargs.setdefault("actor", personas.coordinator)
    kwargs.setdefault("email", "invitee@example.org")
    kwargs.setdefault("sectors", [personas.sector("youth")])
    return services.invite_person(**kwargs)


def accept_path(invitation: Invitation) -> str:
    return f"/invitations/{services.invitation_token(invitation)}/"


def page_without_csrf_token(response) -> str:
    """The page as the user reads it: the per-render CSRF mask differs on every response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.text)


# --- the happy path ----------------------------------------------------------------------------


@pytest.mark.parametrize("onboarder", ["coordinator", "admin"])
def test_an_onboarder_registers_an_organization_and_its_contact_joins_through_the_emailed_link(
    personas, onboarder, django_capture_on_commit_callbacks
):
    youth = personas.sector("youth")
    onboarder_client = signed_in(getattr(personas, onboarder))

    with django_capture_on_commit_callbacks(execute=True):
        response = register_on_page(onboarder_client, youth)

    assert response.status_code == 302
    assert response["Location"] == onboarding_url()
    organization = Organization.objects.get(community=personas.community, name__startswith="North")
    assert organization.sector == youth
    assert organization.status == Organization.Status.INVITED
    page = onboarder_client.get(onboarding_url())
    assert "Northside Youth Drop-in is registered and its contact is invited." in page.text
    assert "lee@northside.example" in page.text
    assert "Sent, waiting" in page.text

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lee@northside.example"]
    assert message.subject == "You are invited to the Riverside steering committee"
    assert "Hello Lee," in message.body
    assert "on behalf of Northside Youth Drop-in" in message.body
    path = link_path_in(message)
    html, _mimetype = message.alternatives[0]
    assert path in html

    invitee = Client()
    form_page = invitee.get(path)
    assert form_page.status_code == 200
    assert "Join the Riverside steering committee" in form_page.text
    assert 'name="password1"' in form_page.text
    assert 'value="Lee"' in form_page.text  # the name to greet them by, ready to change

    users_before = User.objects.count()
    response = invitee.post(path, accept_data(display_name="Lee (youth worker)"))

    assert response.status_code == 302
    assert response["Location"] == "/c/riverside/"
    assert User.objects.count() == users_before + 1
    person = Person.objects.get(user__username="lee")
    assert person.community == personas.community
    assert person.display_name == "Lee (youth worker)"
    assert person.organization == organization
    assert list(person.sectors.all()) == [youth]
    assert person.role == Role.MEMBER
    assert person.email == "lee@northside.example"
    community_id = personas.community.pk
    assert group_names(person) == {
        f"lic:{community_id}:members",
        f"lic:{community_id}:sector:{youth.pk}",
        f"lic:{community_id}:organization:{organization.pk}",
    }
    assert invitee.session["_auth_user_id"] == str(person.user.pk)
    home = invitee.get("/c/riverside/")
    assert home.status_code == 200
    assert "Welcome to the committee, Lee (youth worker)." in home.text
    organization.refresh_from_db()
    assert organization.status == Organization.Status.ACTIVE
    invitation = Invitation.objects.get(email="lee@northside.example")
    assert invitation.accepted_by == person
    assert "Accepted" in onboarder_client.get(onboarding_url()).text


def test_a_coordinator_invites_a_coordinator_who_joins_with_the_coordinators_audience(
    personas, django_capture_on_commit_callbacks
):
    services_sector = personas.sector("sex-worker-services")
    outreach = personas.coordinator.organization
    with django_capture_on_commit_callbacks(execute=True):
        response = invite_on_page(
            signed_in(personas.coordinator),
            [services_sector],
            email="kim@outreach.example",
            organization=outreach.pk,
            role=Role.COORDINATOR,
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["kim@outreach.example"]

    response = Client().post(link_path_in(message), accept_data(username="kim"))

    assert response.status_code == 302
    person = Person.objects.get(user__username="kim")
    assert person.role == Role.COORDINATOR
    assert person.organization == outreach
    community_id = personas.community.pk
    assert group_names(person) == {
        f"lic:{community_id}:members",
        f"lic:{community_id}:coordinators",
        f"lic:{community_id}:sector:{services_sector.pk}",
        f"lic:{community_id}:organization:{outreach.pk}",
    }


def test_an_invited_administrator_joins_no_committee_audience(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(personas, role=Role.ADMINISTRATOR, sectors=[personas.sector("health")])

    Client().post(link_path_in(mail.outbox[0]), accept_data(username="onboarder"))

    person = Person.objects.get(user__username="onboarder")
    assert person.role == Role.ADMINISTRATOR
    assert group_names(person) == set()


def test_the_invitation_email_is_written_in_the_invitations_language(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        english = invite(personas, email="en@example.org", language="en")
        french = invite(personas, email="fr@example.org", language="fr")

    by_address = {message.to[0]: message for message in mail.outbox}
    with translation.override("fr"):
        french_date = formats.date_format(french.expires_at, "DATE_FORMAT")
    with translation.override("en"):
        english_date = formats.date_format(english.expires_at, "DATE_FORMAT")
    assert french_date != english_date  # e.g. "15 juillet 2026" against "July 15, 2026"
    assert french_date in by_address["fr@example.org"].body
    assert english_date not in by_address["fr@example.org"].body
    assert english_date in by_address["en@example.org"].body
    # The accept page greets the invitee in the invitation's language by default.
    response = Client().get(link_path_in(by_address["fr@example.org"]))
    assert re.search(r'<option value="fr" selected>', response.text)


# --- the link is single use and expires --------------------------------------------------------


def test_the_link_works_only_once(personas):
    invitation = invite(personas)
    path = accept_path(invitation)
    assert Client().post(path, accept_data()).status_code == 302
    users_after_first_use = User.objects.count()

    second_post = Client().post(path, accept_data(username="someone-else"))
    second_get = Client().get(path)

    for response in (second_post, second_get):
        assert response.status_code == 410
        assert "The invitation has already been used." in response.text
    assert User.objects.count() == users_after_first_use
    assert not User.objects.filter(username="someone-else").exists()
    assert Person.objects.filter(invitation=invitation).count() == 1


def test_the_welcome_ends_with_one_full_stop_after_a_name_that_has_one(personas):
    client = Client()
    client.post(accept_path(invite(personas)), accept_data(display_name="Lee Q."))

    home = client.get("/c/riverside/").text

    assert "Welcome to the committee, Lee Q." in home
    assert "Lee Q.." not in home


def test_an_expired_link_shows_a_clear_page_and_creates_nothing(personas):
    invitation = invite(personas)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    users_before = User.objects.count()

    for response in (
        Client().get(accept_path(invitation)),
        Client().post(accept_path(invitation), accept_data()),
    ):
        assert response.status_code == 410
        assert "The invitation has expired." in response.text
        assert 'name="password1"' not in response.text
    assert User.objects.count() == users_before
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_revoked_link_shows_a_clear_page_and_creates_nothing(personas):
    invitation = invite(personas)
    services.revoke_invitation(actor=personas.coordinator, invitation=invitation)
    users_before = User.objects.count()

    for response in (
        Client().get(accept_path(invitation)),
        Client().post(accept_path(invitation), accept_data()),
    ):
        assert response.status_code == 410
        assert "The invitation was withdrawn." in response.text
    assert User.objects.count() == users_before


def _tampered(token: str) -> str:
    last = token[-1]
    return token[:-1] + ("A" if last != "A" else "B")


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda invitation, other: _tampered(services.invitation_token(invitation))),
        pytest.param(
            lambda invitation, other: signing.dumps(
                {"i": other.pk, "n": invitation.nonce}, salt=services.INVITATION_SALT
            ),
            id="signed-for-another-invitation",
        ),
        pytest.param(
            lambda invitation, other: signing.dumps(
                {"i": 987654, "n": invitation.nonce}, salt=services.INVITATION_SALT
            ),
            id="signed-for-a-missing-invitation",
        ),
        pytest.param(
            lambda invitation, other: signing.dumps(
                {"i": invitation.pk, "n": invitation.nonce}, salt="another-purpose"
            ),
            id="signed-for-another-purpose",
        ),
        pytest.param(lambda invitation, other: "not-a-token-at-all", id="garbage"),
    ],
)
def test_a_tampered_link_is_not_valid_and_creates_nothing(personas, forge):
    invitation = invite(personas, email="first@example.org")
    other = invite(personas, email="second@example.org")
    path = f"/invitations/{forge(invitation, other)}/"
    users_before = User.objects.count()

    get_response = Client().get(path)
    post_response = Client().post(path, accept_data())

    for response in (get_response, post_response):
        assert response.status_code == 404
        assert "The link is not valid." in response.text
    assert User.objects.count() == users_before
    assert not Invitation.objects.filter(accepted_at__isnull=False).exists()


def test_a_link_for_an_existing_invitation_and_one_for_none_fail_alike(personas):
    invitation = invite(personas)
    wrong_nonce = signing.dumps({"i": invitation.pk, "n": "x"}, salt=services.INVITATION_SALT)
    missing = signing.dumps({"i": 987654, "n": "x"}, salt=services.INVITATION_SALT)

    first = Client().get(f"/invitations/{wrong_nonce}/")
    second = Client().get(f"/invitations/{missing}/")

    assert first.status_code == second.status_code == 404
    assert first.content == second.content


# --- bad input on the accept form --------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"password2": "Lantern-river-4097"}, "The two passwords are not the same."),
        ({"password1": "password", "password2": "password"}, "This password is too common."),
        ({"password1": "lee", "password2": "lee"}, "This password is too short."),
        ({"username": "jade"}, "This username is taken. Please choose another."),
        ({"username": "JADE"}, "This username is taken. Please choose another."),
        ({"display_name": ""}, "This field is required."),
    ],
    ids=[
        "passwords-differ",
        "common-password",
        "short-password",
        "username-taken",
        "username-taken-other-case",
        "no-display-name",
    ],
)
def test_bad_input_on_the_accept_form_shows_errors_and_the_invitation_stays_usable(
    personas, fields, error
):
    invitation = invite(personas)
    path = accept_path(invitation)
    users_before = User.objects.count()

    response = Client().post(path, accept_data(**fields))

    assert response.status_code == 200
    assert error in response.text
    assert 'class="errors"' in response.text
    assert User.objects.count() == users_before
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not AuditEntry.objects.filter(action="invitation.accept").exists()

    retry = Client().post(path, accept_data(username="lee-again"))
    assert retry.status_code == 302
    assert Person.objects.filter(user__username="lee-again", community=personas.community).exists()


# --- who may onboard ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["experiential", "police", "resident", "health", "business", "outsider"]
)
def test_people_who_do_not_onboard_here_get_not_found_on_every_onboarding_address(
    personas, who, django_capture_on_commit_callbacks
):
    invitation = invite(personas)
    client = signed_in(getattr(personas, who))
    not_found = page_without_csrf_token(client.get("/c/riverside/no-such-page/"))

    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.get(onboarding_url()),
            register_on_page(client, personas.sector("youth")),
            invite_on_page(client, [personas.sector("youth")]),
            client.post(f"/c/riverside/onboarding/invitations/{invitation.pk}/revoke/"),
            client.post(f"/c/riverside/onboarding/invitations/{invitation.pk}/resend/"),
        ]

    for response in responses:
        assert response.status_code == 404
        assert page_without_csrf_token(response) == not_found
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert mail.outbox == []
    assert Invitation.objects.count() == 1
    assert not Organization.objects.filter(name="Northside Youth Drop-in").exists()


def test_an_onboarder_of_another_community_cannot_touch_this_communitys_invitations(
    personas, django_capture_on_commit_callbacks
):
    invitation = invite(personas)
    outsider = signed_in(personas.outsider)

    with django_capture_on_commit_callbacks(execute=True):
        own_page = outsider.get(onboarding_url("harbourview"))
        revoke = outsider.post(f"/c/harbourview/onboarding/invitations/{invitation.pk}/revoke/")
        resend = outsider.post(f"/c/harbourview/onboarding/invitations/{invitation.pk}/resend/")

    assert own_page.status_code == 200
    assert "invitee@example.org" not in own_page.text
    assert revoke.status_code == resend.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert mail.outbox == []


def test_an_administrator_onboards_but_does_not_see_committee_notes(personas):
    police_service = personas.police.organization
    note = services.write_organization_note(
        author=personas.police,
        organization=police_service,
        body="The inspector prefers to be reached through the front desk.",
        visibility=Visibility.COMMITTEE,
    )
    admin = signed_in(personas.admin)

    assert admin.get(onboarding_url()).status_code == 200
    organization_page = admin.get(f"/c/riverside/organizations/{police_service.pk}/")
    assert organization_page.status_code == 200
    assert "front desk" not in organization_page.text
    assert "front desk" not in admin.get("/c/riverside/notes/").text
    assert admin.get(f"/c/riverside/notes/{note.pk}/").status_code == 404
    # …while a committee member does see it, so the note is there to be seen.
    assert "front desk" in signed_in(personas.resident).get("/c/riverside/notes/").text


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMINISTRATOR])
def test_an_administrator_cannot_invite_a_coordinator_or_administrator(personas, role):
    response = invite_on_page(
        signed_in(personas.admin), [personas.sector("youth")], role=role, email="boss@example.org"
    )

    assert response.status_code == 200
    assert "Only coordinators can invite coordinators or administrators." in response.text
    assert not Invitation.objects.filter(email="boss@example.org").exists()
    with pytest.raises(ValidationError):
        invite(personas, actor=personas.admin, role=role)


@pytest.mark.parametrize("who", ["experiential", "resident"])
def test_a_committee_member_cannot_invite_or_register_through_the_services(personas, who):
    member = getattr(personas, who)
    with pytest.raises(ValidationError):
        invite(personas, actor=member)
    with pytest.raises(ValidationError):
        services.register_organization(
            actor=member, sector=personas.sector("youth"), name="Shadow Org"
        )
    assert Invitation.objects.count() == 0
    assert not Organization.objects.filter(name="Shadow Org").exists()


# --- another community's records cannot be used ------------------------------------------------


def test_sectors_and_organizations_of_another_community_cannot_be_used_in_an_invitation(personas):
    other_sector = Sector.objects.get(community=personas.other_community, key="youth")
    other_organization = personas.outsider.organization

    with pytest.raises(ValidationError) as sector_error:
        invite(personas, sectors=[other_sector])
    with pytest.raises(ValidationError) as mixed_error:
        invite(personas, sectors=[personas.sector("youth"), other_sector])
    with pytest.raises(ValidationError) as organization_error:
        invite(personas, organization=other_organization)

    assert "sectors" in sector_error.value.message_dict
    assert "sectors" in mixed_error.value.message_dict
    assert "organization" in organization_error.value.message_dict
    assert Invitation.objects.count() == 0


def test_an_organization_cannot_be_registered_in_another_communitys_sector(personas):
    other_sector = Sector.objects.get(community=personas.other_community, key="youth")
    with pytest.raises(ValidationError) as error:
        services.register_organization(
            actor=personas.coordinator, sector=other_sector, name="Elsewhere Org"
        )
    assert "sector" in error.value.message_dict
    assert not Organization.objects.filter(name="Elsewhere Org").exists()


def test_another_communitys_invitation_cannot_be_revoked(personas):
    foreign = services.invite_person(
        actor=personas.outsider,
        email="harbour.invitee@example.org",
        sectors=[Sector.objects.get(community=personas.other_community, key="youth")],
    )
    with pytest.raises(ValidationError):
        services.revoke_invitation(actor=personas.coordinator, invitation=foreign)
    foreign.refresh_from_db()
    assert foreign.revoked_at is None


def test_the_onboarding_page_refuses_another_communitys_sector(personas):
    other_sector = Sector.objects.get(community=personas.other_community, key="youth")
    client = signed_in(personas.coordinator)

    register = register_on_page(client, other_sector, name="Elsewhere Org")
    invitation = invite_on_page(client, [other_sector], email="elsewhere@example.org")

    for response in (register, invitation):
        assert response.status_code == 200
        assert "Select a valid choice" in response.text
    assert not Organization.objects.filter(name="Elsewhere Org").exists()
    assert not Invitation.objects.filter(email="elsewhere@example.org").exists()


def test_an_invitation_lands_the_invitee_in_the_invitations_community_only(personas):
    foreign = services.invite_person(
        actor=personas.outsider,
        email="harbour.invitee@example.org",
        sectors=[Sector.objects.get(community=personas.other_community, key="youth")],
    )
    Client().post(accept_path(foreign), accept_data(username="harbour-new"))

    person = Person.objects.get(user__username="harbour-new")
    assert person.community == personas.other_community
    assert all(
        name.startswith(f"lic:{personas.other_community.pk}:") for name in group_names(person)
    )
    assert signed_in(person).get(onboarding_url("riverside")).status_code == 404
    assert signed_in(person).get("/c/riverside/").status_code == 404


# --- audit trail -------------------------------------------------------------------------------


def test_creating_accepting_and_revoking_invitations_is_audited(personas):
    accepted = invite(personas, email="accepted@example.org")
    revoked = invite(personas, email="revoked@example.org")
    Client().post(accept_path(accepted), accept_data(username="accepted"))
    services.revoke_invitation(actor=personas.coordinator, invitation=revoked)

    def entries(action, invitation):
        return AuditEntry.objects.filter(
            action=action, target_id=str(invitation.pk), community=personas.community
        )

    coordinator_user = personas.coordinator.user
    assert entries("invitation.create", accepted).get().actor == coordinator_user
    assert entries("invitation.create", revoked).get().actor == coordinator_user
    assert entries("invitation.create", accepted).get().changes["email"] == "accepted@example.org"
    assert entries("invitation.accept", accepted).get().actor.username == "accepted"
    assert entries("invitation.revoke", revoked).get().actor == coordinator_user
    assert not entries("invitation.revoke", accepted).exists()
    assert not entries("invitation.accept", revoked).exists()


def test_revoking_on_the_page_stops_the_link_and_is_audited(personas):
    invitation = invite(personas)
    client = signed_in(personas.admin)

    response = client.post(f"/c/riverside/onboarding/invitations/{invitation.pk}/revoke/")

    assert response.status_code == 302
    page = client.get(onboarding_url())
    assert "The invitation is revoked; its link no longer works." in page.text
    assert "Revoked" in page.text
    assert Client().get(accept_path(invitation)).status_code == 410
    assert AuditEntry.objects.filter(
        action="invitation.revoke", target_id=str(invitation.pk), actor=personas.admin.user
    ).exists()


# --- when the broker is down -------------------------------------------------------------------


def test_onboarding_keeps_working_when_the_broker_is_down_and_resend_sends_later(
    personas, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_invitation_email, "delay", broker_down)
    client = signed_in(personas.coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = register_on_page(client, personas.sector("youth"))

    assert response.status_code == 302
    invitation = Invitation.objects.get(email="lee@northside.example")
    assert invitation.emailed_at is None
    assert mail.outbox == []
    page = client.get(onboarding_url())
    assert page.status_code == 200
    assert "Not emailed yet" in page.text
    assert "Resend" in page.text

    still_down = client.post(f"/c/riverside/onboarding/invitations/{invitation.pk}/resend/")
    assert still_down.status_code == 302
    assert "could not be sent just now" in client.get(onboarding_url()).text
    assert mail.outbox == []

    monkeypatch.undo()  # the broker is back
    with django_capture_on_commit_callbacks(execute=True):
        resend = client.post(f"/c/riverside/onboarding/invitations/{invitation.pk}/resend/")

    assert resend.status_code == 302
    assert [message.to for message in mail.outbox] == [["lee@northside.example"]]
    invitation.refresh_from_db()
    assert invitation.emailed_at is not None
    page = client.get(onboarding_url())
    assert "Sent, waiting" in page.text
    assert "Not emailed yet" not in page.text
    # and the resent link works
    assert Client().post(link_path_in(mail.outbox[0]), accept_data()).status_code == 302


def test_a_closed_invitation_cannot_be_resent(personas, django_capture_on_commit_callbacks):
    invitation = invite(personas)
    services.revoke_invitation(actor=personas.coordinator, invitation=invitation)

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(personas.coordinator).post(
            f"/c/riverside/onboarding/invitations/{invitation.pk}/resend/"
        )

    assert response.status_code == 404
    assert mail.outbox == []
