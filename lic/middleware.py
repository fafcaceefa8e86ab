from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from stakeholders import services
from stakeholders.models import AccountSession
from stakeholders.selectors import VERIFY, person_of, two_factor_step


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


class AccountSessionMiddleware:
    """Record each signed-in browser session (`stakeholders.models.AccountSession`) so that its
    owner can see it and end it: before the page, at most once a minute (so that the page of
    sessions lists the one asking), and after it when the session's key was renewed (sign-in,
    the two-step code). API calls with a token are not sessions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key_before = request.session.session_key
        self._seen(request, throttle=True)
        response = self.get_response(request)
        if request.session.session_key != key_before:
            self._seen(request, throttle=False, previous_key=key_before)
        return response

    @staticmethod
    def _seen(request, *, throttle: bool, previous_key: str | None = None) -> None:
        user = getattr(request, "user", None)
        session = request.session
        key = session.session_key
        if user is None or key is None or not user.is_authenticated:
            return
        if session.get(SESSION_KEY) != str(user.pk):
            return
        seen_key = f"lic:session-seen:{key}"
        seen_every = int(AccountSession.SEEN_EVERY.total_seconds())
        if throttle and not cache.add(seen_key, True, seen_every):
            return
        services.record_session(
            user=user,
            session_key=key,
            previous_key=previous_key,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            ip_address=request.META.get("REMOTE_ADDR") or None,
        )
        if not throttle:
            cache.set(seen_key, True, seen_every)


class TwoFactorMiddleware:
    """Until a signed-in session has given its two-step code (or, for someone who must use
    two-step sign-in, until they have set it up), the only pages that open are that step and
    signing out; everything else leads there, and the API answers 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = two_factor_step(request.user)
        if step is None:
            return self.get_response(request)
        page = reverse("two-factor-verify" if step == VERIFY else "two-factor-setup")
        # The token endpoint checks the password and the code itself.
        if request.path in {page, reverse("logout"), reverse("api:api-token")}:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Finish signing in with two-step verification first.")}, status=403
            )
        if request.method == "GET" and not request.headers.get("HX-Request"):
            page = f"{page}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            return HttpResponseClientRedirect(page)
        return HttpResponseRedirect(page)
