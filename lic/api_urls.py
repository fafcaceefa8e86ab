"""Every REST endpoint under /api/v1/, one router for all apps."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from committee import api as committee_api
from lic.api import ObtainToken
from public.api import PublicPageView
from stakeholders import api as stakeholders_api
from workplans import api as workplans_api


class Router(DefaultRouter):
    """Every record's address ends in its whole-number id: anything else is not an address of
    ours (404), never an id for the database to refuse."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        kwarg = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
        value = getattr(viewset, "lookup_value_regex", "[0-9]+")
        return f"(?P<{lookup_prefix}{kwarg}>{value})"


router = Router()
stakeholders_api.register(router)
committee_api.register(router)
workplans_api.register(router)

urlpatterns = [
    path("auth/token/", ObtainToken.as_view(), name="api-token"),
    path("public/<slug:slug>/", PublicPageView.as_view(), name="public-page"),
    path("", include(router.urls)),
]
