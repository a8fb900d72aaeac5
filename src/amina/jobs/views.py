from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from amina.accounts import access
from amina.jobs.models import Job
from amina.jobs.recovery import reclaim_for_page
from amina.jobs.services import result_rows


def visible_jobs(user):
    """Admins see every job; others see the jobs they started."""
    qs = Job.objects.select_related("created_by")
    return qs if access.is_admin(user) else qs.filter(created_by=user)


def job_list(request):
    reclaim_for_page()  # a job whose worker died shows as failed, not running for ever
    page = Paginator(visible_jobs(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "jobs/job_list.html", {"page": page})


def job_detail(request, pk):
    reclaim_for_page()
    job = get_object_or_404(visible_jobs(request.user), pk=pk)
    template = (
        "jobs/_progress.html" if request.headers.get("HX-Request") else "jobs/job_detail.html"
    )
    return render(request, template, {"job": job, "results": result_rows(job)})
