"""A person keeps their own name, contact details and language up to date."""

from django.test import Client

from stakeholders.models import AuditEntry


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def profile(**changes):
    data = {
        "display_name": "Jade",
        "email": "jade@example.org",
        "phone": "",
        "preferred_language": "en",
    }
    return data | changes


def test_a_member_changes_their_name_contact_and_language(personas):
    client = signed_in(personas.experiential)
    response = client.post(
        "/c/riverside/me/",
        profile(display_name="J.", phone="604-555-0142", preferred_language="fr"),
    )
    assert response.status_code == 302
    person = personas.experiential
    person.refresh_from_db()
    assert (person.display_name, person.phone, person.preferred_language) == (
        "J.",
        "604-555-0142",
        "fr",
    )
    assert client.get("/c/riverside/")["Content-Language"] == "fr"
    entry = AuditEntry.objects.get(action="person.profile", target_id=str(person.pk))
    assert entry.changes == {"changed": ["display_name", "phone"]}


def test_a_new_name_shows_to_others_but_the_new_phone_does_not(personas):
    signed_in(personas.experiential).post(
        "/c/riverside/me/", profile(display_name="Jade R.", phone="604-555-0142")
    )
    html = signed_in(personas.police).get(f"/c/riverside/people/{personas.experiential.pk}/")
    assert "Jade R." in html.content.decode()
    assert "604-555-0142" not in html.content.decode()


def test_bad_input_is_explained_and_nothing_changes(personas):
    client = signed_in(personas.experiential)
    response = client.post(
        "/c/riverside/me/",
        profile(display_name="", email="not-an-address", preferred_language="xx"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html and "Enter a valid email address." in html
    personas.experiential.refresh_from_db()
    assert personas.experiential.display_name == "Jade"


def test_someone_elses_profile_page_does_not_exist(personas):
    assert signed_in(personas.outsider).get("/c/riverside/me/").status_code == 404
    assert Client().get("/c/riverside/me/").status_code == 302
