"""Anyone can find out how to report a security problem privately (RFC 9116)."""

from django.test import Client


def test_security_txt_names_the_contact_and_an_expiry(db, settings):
    settings.SECURITY_CONTACT = "mailto:security@lic.example.org"
    response = Client().get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Contact: mailto:security@lic.example.org" in lines
    assert any(line.startswith("Expires: 20") and line.endswith("Z") for line in lines)
