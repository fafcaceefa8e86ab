"""Dates and times are in the community's time zone, written as the reader's language writes
them: "6:30 p.m." in English, "18 h 30" in Canadian French."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.test import Client

from committee import services as committee_services


def test_a_meeting_time_is_written_the_readers_way_in_the_community_time_zone(personas, seated):
    starts = datetime(2030, 1, 15, 18, 30, tzinfo=ZoneInfo("America/Vancouver"))
    meeting = committee_services.schedule_meeting(
        actor=personas.coordinator,
        title="Monthly meeting",
        starts_at=starts,
        ends_at=starts.replace(hour=20),
        place="Community hall",
        visibility="committee",
    )
    pages = {}
    for person, language in [(personas.resident, "fr"), (personas.police, "en")]:
        person.preferred_language = language
        person.save(update_fields=["preferred_language"])
        client = Client()
        client.force_login(person.user)
        pages[language] = client.get(f"/c/riverside/meetings/{meeting.pk}/").text

    assert "15 janvier 2030" in pages["fr"] and "18\xa0h\xa030" in pages["fr"]
    assert "2030 18:30" not in pages["fr"] and "2030, 18:30" not in pages["fr"]
    assert "Jan. 15, 2030" in pages["en"] and "6:30 p.m." in pages["en"]
