from django.apps import AppConfig


class CommitteeConfig(AppConfig):
    name = "committee"

    def ready(self) -> None:
        # `stakeholders` cannot import this app: it is told here how the audit trail shows the
        # committee's records, what the committee holds about a person, and what else ends when
        # a person is signed out everywhere (their calendar feed's address).
        from stakeholders.services import register_sign_out_step

        from . import audit_trail, personal_data
        from .services.calendar import rotate_calendar_feed

        audit_trail.register()
        personal_data.register()
        register_sign_out_step(rotate_calendar_feed)
