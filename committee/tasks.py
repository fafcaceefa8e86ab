from celery import shared_task

from . import services


@shared_task
def close_due_proposals() -> int:
    """Run every minute by beat: proposals whose closing time has passed close, once."""
    return services.close_due_proposals()


@shared_task
def send_due_notifications() -> int:
    """Run every minute by beat: send the outbox rows that are due, each once."""
    return services.send_due_notifications()
