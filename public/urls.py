from django.urls import path

from . import views

urlpatterns = [
    # Before the other apps' routes: /c/<slug>/ is the community's home for its own people and
    # the public page for everyone else.
    path("c/<slug:slug>/", views.community_entry, name="community-home"),
    path("c/<slug:slug>/public/", views.public_page, name="public-page"),
    path("c/<slug:slug>/public/settings/", views.settings_page, name="public-settings"),
    path("c/<slug:slug>/public/<int:year>/", views.year_summary, name="public-year"),
]
