"""The accessibility check of the browser journeys itself: it runs on every page a journey loads,
and it fails, naming the page, the rule and the element, when a page breaks WCAG."""

import pytest
from playwright.sync_api import expect

from .conftest import A11yAudit

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_every_page_loaded_is_checked_even_when_the_test_leaves_it_at_once(new_page, a11y):
    page = new_page()
    page.goto("/accounts/login/")
    page.goto("/invitations/not-a-token/")  # at once: the first page's check is not lost
    page.get_by_role("link", name="Go to sign in").click()
    a11y.settle(page)

    assert a11y.checked == a11y.loaded
    assert [result["url"] for result in a11y.results] == a11y.checked
    assert [url.removeprefix(a11y.origin) for url in a11y.checked] == [
        "/accounts/login/",
        "/invitations/not-a-token/",
        "/accounts/login/",
    ]


def test_a_violation_fails_naming_the_page_the_rule_and_the_element(new_page, a11y):
    page = new_page()
    page.goto("/accounts/login/")
    a11y.settle(page)  # the page as it loaded passes
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
    a11y.results.pop()  # what this test broke on purpose is not a finding of the page


def test_a_check_that_never_ends_fails_without_holding_the_next_page(new_page, a11y):
    a11y.timeout_ms = 1_000
    page = new_page()
    page.context.add_init_script("axe.run = () => new Promise(() => {})")  # after the check's
    page.goto("/accounts/login/")
    page.goto("/invitations/not-a-token/")
    expect(page.get_by_role("link", name="Go to sign in")).to_be_visible()
    a11y.settle(page)

    assert a11y.checked == a11y.loaded
    assert [result["error"] for result in a11y.results] == ["no result within 1000 ms"] * 2
    with pytest.raises(AssertionError, match="axe-core could not run: no result within"):
        a11y.verify()
    a11y.results.clear()  # what this test broke on purpose is not a finding of the pages


def test_a_page_loaded_without_a_result_fails_the_journey():
    audit = A11yAudit(origin="http://testserver", axe_source="")
    audit.loaded.append("http://testserver/c/riverside/")

    with pytest.raises(AssertionError, match="loaded without an accessibility check"):
        audit.verify()
