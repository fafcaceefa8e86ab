"""The platform speaks Canadian French: to a person who prefers it, to a browser that asks for it
before sign-in, and in invitation emails written in French. The French catalogue is complete:
no empty or fuzzy entry, placeholders kept, and the committed .mo matches the .po."""

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from stakeholders import services

FR_DIR = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"
PO_FILE = FR_DIR / "django.po"
MO_FILE = FR_DIR / "django.mo"


# --- pages -------------------------------------------------------------------------------------


def test_a_person_who_prefers_french_reads_the_committee_home_in_french(personas):
    personas.resident.preferred_language = "fr"
    personas.resident.save()
    client = Client()
    client.force_login(personas.resident.user)

    response = client.get("/c/riverside/")

    assert response.status_code == 200
    text = response.text
    assert '<html lang="fr">' in text
    assert "Comité directeur de Riverside" in text
    assert "Riverside steering committee" not in text
    assert "Carte des parties prenantes" in text
    assert "Stakeholder map" not in text
    assert "Se déconnecter" in text
    assert "Sign out" not in text


def test_the_same_page_stays_in_english_for_a_person_who_prefers_english(personas):
    client = Client()
    client.force_login(personas.resident.user)

    text = client.get("/c/riverside/", HTTP_ACCEPT_LANGUAGE="fr-CA").text

    assert "Riverside steering committee" in text
    assert "Comité directeur de Riverside" not in text


def test_an_anonymous_browser_asking_for_canadian_french_gets_the_login_page_in_french(db):
    response = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9,en;q=0.5")

    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    text = response.text
    assert '<html lang="fr">' in text
    assert "Se connecter" in text
    assert "Sign in" not in text
    assert "Passer au contenu principal" in text
    assert "Skip to main content" not in text


# --- email -------------------------------------------------------------------------------------


def test_an_invitation_in_french_sends_a_french_email(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_person(
            actor=personas.coordinator,
            sectors=[personas.sector("health")],
            email="camille@example.org",
            display_name="Camille",
            language="fr",
        )

    [message] = mail.outbox
    assert message.to == ["camille@example.org"]
    assert message.subject == "Invitation au comité directeur de Riverside"
    assert "steering committee" not in message.subject
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    for body in (message.body, html):
        assert "Bonjour Camille," in body
        assert "comité directeur Living in Community de Riverside" in body
        assert "Le lien ne fonctionne qu’une seule fois" in body
        assert "Hello" not in body
        assert "You are invited" not in body
        assert "The link works once" not in body
    assert "Ouvrez ce lien pour choisir votre nom et votre mot de passe" in message.body
    assert "Choisir votre nom et votre mot de passe" in html


# --- the catalogue -----------------------------------------------------------------------------


@dataclass
class Entry:
    flags: set[str] = field(default_factory=set)
    strings: dict[str, str] = field(default_factory=dict)  # "msgid", "msgid_plural", "msgstr[0]"…
    line: int = 0

    @property
    def msgid(self) -> str:
        return self.strings.get("msgid", "")

    @property
    def translations(self) -> dict[str, str]:
        return {key: value for key, value in self.strings.items() if key.startswith("msgstr")}


KEYWORD_LINE = re.compile(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")')
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(quoted: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), quoted[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: entries with flags and (joined, unescaped) strings. Obsolete `#~`
    entries are skipped, as msgfmt does."""
    entries: list[Entry] = []
    entry, keyword = Entry(), None

    def finish():
        nonlocal entry, keyword
        if entry.strings:
            entries.append(entry)
        entry, keyword = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert keyword, f"{path.name}:{number}: a string continues nothing"
            entry.strings[keyword] += _unquote(line)
        else:
            match = KEYWORD_LINE.fullmatch(line)
            assert match, f"{path.name}:{number}: cannot read {raw!r}"
            if match.group(1) in {"msgid", "msgctxt"} and "msgid" in entry.strings:
                finish()
            keyword = match.group(1)
            entry.line = entry.line or number
            entry.strings[keyword] = _unquote(match.group(2))
    finish()
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    assert PO_FILE.exists(), "run makemessages -l fr"
    return parse_po(PO_FILE)


def _where(entry: Entry) -> str:
    return f"django.po:{entry.line} {entry.msgid!r}"


def test_the_french_catalogue_has_no_empty_or_fuzzy_entry(catalogue):
    messages = [entry for entry in catalogue if entry.msgid]
    assert len(messages) > 150  # the whole interface, not a stub

    fuzzy = [_where(entry) for entry in catalogue if "fuzzy" in entry.flags]
    empty = [
        _where(entry)
        for entry in messages
        if not entry.translations or any(not text for text in entry.translations.values())
    ]
    plurals_incomplete = [
        _where(entry)
        for entry in messages
        if "msgid_plural" in entry.strings and set(entry.translations) != {"msgstr[0]", "msgstr[1]"}
    ]
    assert fuzzy == [], "fuzzy entries (check and remove the flag)"
    assert empty == [], "untranslated entries"
    assert plurals_incomplete == [], "plural entries need msgstr[0] and msgstr[1]"


def test_the_french_header_says_french_with_french_plurals(catalogue):
    [header] = [entry for entry in catalogue if entry.msgid == ""]
    assert "Language: fr\n" in header.strings["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in header.strings["msgstr"]
    assert "charset=UTF-8" in header.strings["msgstr"]


PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")


def test_every_translation_keeps_the_placeholders_of_its_english(catalogue):
    wrong = []
    for entry in catalogue:
        if not entry.msgid:
            continue
        wanted = set(PLACEHOLDER.findall(entry.msgid)) | set(
            PLACEHOLDER.findall(entry.strings.get("msgid_plural", ""))
        )
        for key, text in entry.translations.items():
            if set(PLACEHOLDER.findall(text)) != wanted:
                wrong.append(f"{_where(entry)} {key}={text!r}")
    assert wrong == []


def test_the_committed_mo_matches_the_po(catalogue):
    """The .mo is committed so the run command needs no gettext; it must not lag the .po."""
    assert MO_FILE.exists(), "run compilemessages"
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in catalogue:
        if not entry.msgid:
            continue
        context = entry.strings.get("msgctxt")
        if "msgid_plural" in entry.strings:
            plural = entry.strings["msgid_plural"]
            pairs = [
                (
                    compiled.npgettext(context, entry.msgid, plural, n)
                    if context is not None
                    else compiled.ngettext(entry.msgid, plural, n),
                    entry.strings.get(f"msgstr[{index}]"),
                )
                for index, n in ((0, 1), (1, 2))
            ]
        else:
            got = (
                compiled.pgettext(context, entry.msgid)
                if context is not None
                else compiled.gettext(entry.msgid)
            )
            pairs = [(got, entry.strings.get("msgstr"))]
        if any(got != want for got, want in pairs):
            stale.append(_where(entry))
    assert stale == [], "django.mo is out of date: run compilemessages"
