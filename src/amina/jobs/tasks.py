"""The one queued task: run a ``Job`` by id. Everything else is a job handler."""

from django_tasks import task


@task()
def run_job(job_id: int) -> str:
    from amina.jobs.models import Job
    from amina.jobs.services import execute

    job = Job.objects.get(pk=job_id)
    return execute(job).status
