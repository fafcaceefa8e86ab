"""The API's pages. Kept apart from `lic.api`: DRF imports its pagination class while it loads
its own generic views."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's numbered pages (`?page=2`), except that an empty `?page=` is no page number (404,
    like `?page=abc`) rather than quietly the first page: the schema says a page is a number."""

    def get_page_number(self, request, paginator):
        number = request.query_params.get(self.page_query_param, 1)
        if number in self.last_page_strings:
            return paginator.num_pages
        return number
