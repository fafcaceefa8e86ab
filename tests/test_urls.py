"""Page addresses and API addresses never get mixed up: every page's name, reversed with
positional arguments as templates do, gives that page and not an API route of the same name."""

import pytest
from django.urls import URLPattern, resolve, reverse

from committee.urls import urlpatterns as committee_pages
from public.urls import urlpatterns as public_pages
from stakeholders.urls import urlpatterns as stakeholder_pages
from workplans.urls import urlpatterns as workplan_pages

SAMPLE = {"slug": "riverside", "string": "a-token", "int": 7}


def sample_args(pattern: URLPattern) -> list:
    converters = pattern.pattern.converters
    return [
        SAMPLE[
            "slug" if name == "slug" else type(converter).__name__.removesuffix("Converter").lower()
        ]
        for name, converter in converters.items()
    ]


@pytest.mark.parametrize(
    "pattern",
    [*public_pages, *stakeholder_pages, *committee_pages, *workplan_pages],
    ids=lambda pattern: pattern.name,
)
def test_a_page_name_reverses_to_that_page(pattern):
    path = reverse(pattern.name, args=sample_args(pattern))
    assert not path.startswith("/api/")
    assert resolve(path).url_name == pattern.name
