from django.apps import AppConfig


class WorkplansConfig(AppConfig):
    name = "workplans"

    def ready(self) -> None:
        # The overdue-actions digest goes through the committee's outbox, which cannot import
        # this app: it is told of the occasion here.
        from . import notifications

        notifications.register()
        # Likewise the audit trail and a member's data rights (`stakeholders`).
        from . import audit_trail, personal_data

        audit_trail.register()
        personal_data.register()
        # An area drafted for a proposal is agreed when that proposal closes agreed.
        from committee.services import register_closing_step

        from .services import agree_drafted_areas

        register_closing_step(agree_drafted_areas)
