from django.apps import AppConfig


class CommitteeConfig(AppConfig):
    name = "committee"

    def ready(self) -> None:
        # `stakeholders` cannot import this app: it is told here how the audit trail shows the
        # committee's records, what the committee holds about a person, what else ends when
        # a person is signed out everywhere (their calendar feed's address), what follows a
        # change of someone's membership (the seats and roles they can no longer hold), and
        # which sectors and organizations hold a seat (for the stakeholder map).
        from stakeholders.selectors import register_seat_holdings
        from stakeholders.services import register_membership_step, register_sign_out_step

        from . import audit_trail, personal_data
        from .selectors import seat_holdings
        from .services.calendar import rotate_calendar_feed
        from .services.members import follow_membership

        audit_trail.register()
        personal_data.register()
        register_sign_out_step(rotate_calendar_feed)
        register_membership_step(follow_membership)
        register_seat_holdings(seat_holdings)
