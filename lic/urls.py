from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from lic import views as lic_views
from stakeholders import views as stakeholder_views

urlpatterns = [
    path("", stakeholder_views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # First: /c/<slug>/ is the community's home for its people, its public page for others.
    path("", include("public.urls")),
    path("", include("stakeholders.urls")),
    path("", include("committee.urls")),
    path("", include("workplans.urls")),
    # Namespaced: the router names its routes like our pages ("proposal-detail", ...).
    path("api/v1/", include(("lic.api_urls", "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: our CSP forbids inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    path(".well-known/security.txt", lic_views.security_txt, name="security-txt"),
]

handler404 = "lic.views.page_not_found"
