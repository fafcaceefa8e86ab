from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The community's public page: what its steering committee shares with the broader
    community. On top of the three apps (it reads all of them); none of them imports it."""

    name = "public"
