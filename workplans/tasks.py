from celery import shared_task

from . import notifications


@shared_task
def plan_overdue_digests() -> int:
    """Run every hour by beat: plan this week's overdue-actions digests where it is Monday from
    08:00 in the community's time zone (each person once a week; the outbox's sweep sends
    them)."""
    return notifications.plan_overdue_digests()
