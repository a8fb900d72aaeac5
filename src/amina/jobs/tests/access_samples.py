"""Access-matrix samples for jobs: a job is seen by whoever started it, and admins."""

from amina.lib.testing.access import Sample

STARTER_AND_ADMIN = frozenset({"admin", "officer_a"})


def _job(world):
    from amina.jobs.models import Job

    job, _ = Job.objects.get_or_create(
        kind="demo-data",
        label="matrix job",
        created_by=world.users["officer_a"],
        defaults={"governorate": world.gov_a},
    )
    return {"pk": job.pk}


ACCESS_SAMPLES = {
    "jobs:detail": Sample(_job, STARTER_AND_ADMIN),
    "api:job-detail": Sample(_job, STARTER_AND_ADMIN),
}
