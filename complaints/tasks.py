from celery import shared_task

from complaints.services import complaints_follow_up


@shared_task(name="complaints.follow_up", ignore_result=True)
def follow_up_complaints() -> None:
    complaints_follow_up()
