from celery import shared_task

from . import personal_data, services


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_invitation_email(self, invitation_id: int) -> bool:
    try:
        return services.send_invitation_email(invitation_id=invitation_id)
    except OSError as error:  # the mail server did not answer: try again later
        raise self.retry(exc=error) from error


@shared_task
def erase_expired_personal_data() -> dict[str, int]:
    """Run daily by beat: personal data past its retention period is erased."""
    return personal_data.erase_expired_personal_data()
