"""Tasks of Django's tasks framework, run by `manage.py db_worker` (the django-tasks-db backend)."""

from __future__ import annotations

from django.tasks import TaskContext, task

from menueditor import scheduling


@task(takes_context=True)
def run_scheduled_publish(context: TaskContext, schedule_id: int) -> str:
    """One attempt of a scheduled publish; a task that is no longer the schedule's does nothing."""
    return scheduling.run_schedule(schedule_id, str(context.task_result.id))
