from django.apps import AppConfig


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = "Stakeholders"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from . import audit_trail

        user_logged_out.connect(forget_ended_session, dispatch_uid="stakeholders.forget_session")
        audit_trail.register()


def forget_ended_session(sender, request, user, **kwargs):
    """Signing out ends the session: it leaves its owner's list of sessions."""
    from . import services

    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        services.forget_session(session_key=session_key)
