"""A person who left is named "Former member, <sector>" in the reader's language: on an open
proposal's positions and in a closed proposal's frozen outcome, while the stored name stays in
the platform's default language."""

from stakeholders.models import Person
from tests.test_leaving import history, kim, leave  # noqa: F401 (fixtures)
from tests.test_sector_names import reader

FRENCH = "Ex-membre, Travailleuses et travailleurs du sexe, actuels et anciens"
ENGLISH = "Former member, Current and former sex workers"


def test_a_french_reader_sees_the_former_member_named_in_french(personas, kim, history):  # noqa: F811
    open_one, blocked = history
    leave(kim)
    assert Person.objects.values_list("display_name", flat=True).get(pk=kim.pk) == ENGLISH

    french = reader(personas.health, "fr")
    for proposal in (open_one, blocked):  # live positions; the frozen outcome of the block
        page = french.get(f"/c/riverside/proposals/{proposal.pk}/").text
        assert FRENCH in page
        assert "Former member" not in page

    english = reader(personas.police, "en").get(f"/c/riverside/proposals/{blocked.pk}/").text
    assert ENGLISH in english and "Ex-membre" not in english
