from celery import shared_task

from . import services


@shared_task
def close_due_proposals() -> int:
    """Run every minute by beat: proposals whose closing time has passed close, once."""
    return services.close_due_proposals()
