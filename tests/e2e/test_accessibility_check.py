"""The accessibility check of the browser journeys itself: it runs on every page a journey loads,
and it fails, naming the page, the rule and the element, when a page breaks WCAG."""

import pytest

from .conftest import A11yAudit

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_every_page_loaded_is_checked_before_the_next_one(new_page, a11y):
    page = new_page()
    page.goto("/accounts/login/")
    page.goto("/invitations/not-a-token/")  # at once: the first page's check is not lost
    page.get_by_role("link", name="Go to sign in").click()
    a11y.settle(page)

    checked = [result["url"] for result in a11y.results]
    assert checked == a11y.loaded
    assert [url.removeprefix(a11y.origin) for url in checked] == [
        "/accounts/login/",
        "/invitations/not-a-token/",
        "/accounts/login/",
    ]


def test_a_violation_fails_naming_the_page_the_rule_and_the_element(new_page, a11y):
    page = new_page()
    page.goto("/accounts/login/")
    page.evaluate(
        """() => {
            const input = document.querySelector("#id_username");
            input.id = "nameless";
            document.querySelector("label[for=id_username]").remove();
        }"""
    )

    with pytest.raises(AssertionError) as failed:
        a11y.check(page)

    message = str(failed.value)
    assert f"{a11y.origin}/accounts/login/: label (critical)" in message
    assert "#nameless" in message
    a11y.results.clear()  # what this test broke on purpose is not a finding of the page
    a11y.loaded.clear()


def test_a_page_loaded_without_a_result_fails_the_journey():
    audit = A11yAudit(origin="http://testserver", axe_source="")
    audit.loaded.append("http://testserver/c/riverside/")

    with pytest.raises(AssertionError, match="loaded without an accessibility check"):
        audit.verify()
