"""Every REST endpoint under /api/v1/, one router for all apps."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from committee import api as committee_api
from lic.api import ObtainToken
from public.api import PublicPageView
from stakeholders import api as stakeholders_api
from workplans import api as workplans_api

router = DefaultRouter()
stakeholders_api.register(router)
committee_api.register(router)
workplans_api.register(router)

urlpatterns = [
    path("auth/token/", ObtainToken.as_view(), name="api-token"),
    path("public/<slug:slug>/", PublicPageView.as_view(), name="public-page"),
    path("", include(router.urls)),
]
