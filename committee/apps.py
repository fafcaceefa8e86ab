from django.apps import AppConfig


class CommitteeConfig(AppConfig):
    name = "committee"

    def ready(self) -> None:
        # `stakeholders` cannot import this app: it is told here how the audit trail shows the
        # committee's records and what the committee holds about a person.
        from . import audit_trail, personal_data

        audit_trail.register()
        personal_data.register()
