from django.utils import translation

from stakeholders.selectors import person_of


class PersonLanguageMiddleware:
    """A signed-in person reads the platform in their preferred language; before login the
    browser's Accept-Language decides (LocaleMiddleware, which runs next)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        person = person_of(request.user) if hasattr(request, "user") else None
        if person is not None:
            translation.activate(person.preferred_language)
            request.LANGUAGE_CODE = person.preferred_language
        return None
