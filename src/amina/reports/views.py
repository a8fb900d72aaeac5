"""Pages of reports: drafting and publishing flash reports, the library, open data,
schedules. Thin: they read through ``queries``/``access`` and write through ``services``."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amina.accounts import access
from amina.geo.models import Governorate
from amina.geo.scopemap import scope_map
from amina.lib.downloads import file_response
from amina.lib.exports import FORMATS
from amina.needs import queries as needs_queries
from amina.reports import datasets as datasets_module
from amina.reports import disclosure, queries, rendering, services
from amina.reports import figures as figures_module
from amina.reports.figures import NoData
from amina.reports.forms import LibraryFilter, NarrativeForm, NewReportForm, ScheduleForm
from amina.reports.models import Language, Publication


def dashboard(request):
    """The dashboard on a page of its own: the home panel and the choropleth, nothing else
    (the lightest page for a slow link)."""
    from amina.reports.dashboard import dashboard_panel

    panel = dashboard_panel(request) or {}
    return render(
        request,
        "reports/dashboard.html",
        {
            "panel": panel,
            "national": access.has_national_scope(request.user),
            "scope_map": scope_map(request.user, "idp_individuals"),
        },
    )


def report_list(request):
    access.require_detail(request.user)
    reports = queries.reports_for(request.user).prefetch_related("governorates")
    page = Paginator(reports, 30).get_page(request.GET.get("page"))
    return render(request, "reports/report_list.html", {"page": page})


@access.requires("report.publish")
def report_create(request):
    user = request.user
    rounds = list(reversed(figures_module.ordered_rounds(None)))
    governorates = access.governorates_in_scope(user)
    form = NewReportForm(
        request.POST or None,
        rounds=rounds,
        governorates=governorates,
        initial={
            "language": request.LANGUAGE_CODE
            if request.LANGUAGE_CODE in Language.values
            else Language.ARABIC
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.create_report(
                user,
                round_code=form.cleaned_data["round_code"],
                governorates=list(form.cleaned_data["governorates"]),
                language=form.cleaned_data["language"],
                title=form.cleaned_data["title"],
            )
        except PermissionDenied:
            form.add_error(
                "governorates",
                _(
                    "Choose governorates of your own; only national users "
                    "report on the whole country."
                ),
            )
        except (NoData, ValidationError) as exc:
            form.add_error(None, str(exc) if isinstance(exc, NoData) else "; ".join(exc.messages))
        else:
            messages.success(
                request, _("Draft created. Write the narrative, preview, then publish.")
            )
            return redirect("reports:report-edit", report.pk)
    return render(request, "reports/report_create.html", {"form": form, "rounds": rounds})


@access.requires("report.publish", methods=["POST"])
def report_edit(request, pk):
    user = request.user
    report = get_object_or_404(queries.reports_for(user).prefetch_related("governorates"), pk=pk)
    form = NarrativeForm(request.POST or None, instance=copy.copy(report))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_report(
                user, report, **{k: form.cleaned_data[k] for k in form.Meta.fields}
            )
        except ValidationError as exc:
            form.add_error(None, "; ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
            if request.POST.get("then") == "preview":
                return redirect("reports:report-preview", report.pk)
            return redirect("reports:report-edit", report.pk)
    publications = report.publications.defer("content").order_by("-version")
    return render(
        request,
        "reports/report_edit.html",
        {
            "report": report,
            "form": form,
            "publications": publications,
        },
    )


def report_preview(request, pk):
    report = get_object_or_404(queries.reports_for(request.user), pk=pk)
    try:
        rendered = services.render(report, for_pdf=False)
    except NoData as exc:
        messages.error(request, str(exc))
        return redirect("reports:report-edit", report.pk)
    return render(
        request, "reports/report_preview.html", {"report": report, "document": rendered.html}
    )


def report_preview_pdf(request, pk):
    report = get_object_or_404(queries.reports_for(request.user), pk=pk)
    try:
        rendered = services.render(report, for_pdf=True)
    except NoData as exc:
        raise Http404(str(exc)) from None
    pdf = rendering.render_pdf(rendered.html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="draft-{report.pk}.pdf"'
    return response


@require_POST
@access.requires("report.publish")
def report_publish(request, pk):
    report = get_object_or_404(queries.reports_for(request.user), pk=pk)
    try:
        publication = services.publish_report(request.user, report)
    except NoData as exc:
        messages.error(request, str(exc))
        return redirect("reports:report-edit", report.pk)
    messages.success(
        request,
        _("Published as version %(version)d: partners find it in the library.")
        % {"version": publication.version},
    )
    return redirect("reports:publication-detail", publication.pk)


def library(request):
    user = request.user
    form = LibraryFilter(
        request.GET or None,
        governorates=access.governorates_in_scope(user),
        sectors=needs_queries.sectors(),
        kinds=Publication.Kind.choices,
    )
    qs = queries.publications_for(user).prefetch_related(
        Prefetch(
            "governorates",
            queryset=Governorate.objects.only("pcode", "name_en", "name_ar", "name_ckb"),
        ),
        "sectors",
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["governorate"]:
            qs = qs.filter(governorates=data["governorate"])
        if data["sector"]:
            qs = qs.filter(sectors=data["sector"])
        if data["kind"]:
            qs = qs.filter(kind=data["kind"])
        if data["since"]:
            qs = qs.filter(date__gte=data["since"])
        if data["until"]:
            qs = qs.filter(date__lte=data["until"])
    page = Paginator(qs.distinct(), 25).get_page(request.GET.get("page"))
    return render(request, "reports/library.html", {"form": form, "page": page})


def publication_detail(request, pk):
    publication = get_object_or_404(queries.publications_for(request.user), pk=pk)
    versions = (
        queries.publications_for(request.user)
        .filter(
            report=publication.report,
            kind=publication.kind,
            **({} if publication.report_id else {"title": publication.title}),
        )
        .order_by("-version")
    )
    return render(
        request,
        "reports/publication_detail.html",
        {"publication": publication, "versions": versions},
    )


def publication_download(request, pk):
    publication = get_object_or_404(queries.publications_for(request.user).defer(None), pk=pk)
    response = HttpResponse(bytes(publication.content), content_type=publication.content_type)
    disposition = "inline" if publication.content_type == "application/pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{publication.filename}"'
    return response


def _dataset_scope(user, dataset) -> list[int] | None:
    if dataset.detail and not access.sees_detail(user):
        raise PermissionDenied
    return None if access.has_national_scope(user) else sorted(access.governorate_ids(user))


def datasets(request):
    user = request.user
    shown = [
        d for d in datasets_module.DATASETS.values() if not d.detail or access.sees_detail(user)
    ]
    return render(
        request,
        "reports/datasets.html",
        {
            "datasets": shown,
            "formats": ("hxl", "csv", "xlsx"),
            # The map shows a round: before the first one there is nothing to draw.
            "has_round": bool(figures_module.ordered_rounds(None)),
            "can_publish": access.allowed(user, "report.publish", None),
            "threshold": disclosure.threshold(),
        },
    )


def dataset_download(request, name, fmt):
    dataset = datasets_module.DATASETS.get(name)
    if dataset is None or fmt not in FORMATS or fmt == "geojson":
        raise Http404
    scope = _dataset_scope(request.user, dataset)
    return file_response(datasets_module.render(name, fmt, scope), fmt, name)


@require_POST
@access.requires("report.publish")
def dataset_publish(request, name, fmt):
    user = request.user
    dataset = datasets_module.DATASETS.get(name)
    if dataset is None or fmt not in ("hxl", "csv", "xlsx"):
        raise Http404
    access.check(user, "report.publish", None)  # a whole-country product
    content = datasets_module.render(name, fmt, None)
    from amina.lib.exports import CONTENT_TYPES, EXTENSIONS

    publication = services.publish_file(
        user,
        kind=Publication.Kind.EXPORT,
        title=f"{dataset.title} ({fmt.upper()})",
        content=content,
        filename=f"{name}{'-hxl' if fmt == 'hxl' else ''}.{EXTENSIONS[fmt]}",
        content_type=CONTENT_TYPES[fmt].split(";")[0],
        governorates=[],
        date=timezone.localdate(),
        summary=str(dataset.description),
    )
    messages.success(request, _("Published to the library."))
    return redirect("reports:publication-detail", publication.pk)


def map_download(request):
    user = request.user
    scope = None if access.has_national_scope(user) else sorted(access.governorate_ids(user))
    try:
        content, _rnd = datasets_module.governorate_map(scope, request.LANGUAGE_CODE)
    except NoData as exc:
        raise Http404(str(exc)) from None
    response = HttpResponse(content, content_type="image/svg+xml")
    response["Content-Disposition"] = 'inline; filename="idps-by-governorate.svg"'
    return response


@require_POST
@access.requires("report.publish")
def map_publish(request):
    user = request.user
    access.check(user, "report.publish", None)  # a whole-country product
    try:
        content, rnd = datasets_module.governorate_map(None, request.LANGUAGE_CODE)
    except NoData as exc:
        messages.error(request, str(exc))
        return redirect("reports:datasets")
    publication = services.publish_file(
        user,
        kind=Publication.Kind.MAP,
        title=_("IDPs by governorate (map)"),
        content=content,
        filename=f"idps-by-governorate-{rnd.code}.svg".lower(),
        content_type="image/svg+xml",
        governorates=[],
        date=rnd.date,
        language=request.LANGUAGE_CODE[:2],
        summary=_("Round %(round)s") % {"round": rnd.code},
    )
    messages.success(request, _("Published to the library."))
    return redirect("reports:publication-detail", publication.pk)


@access.requires("report.publish")
def schedule_list(request):
    user = request.user
    form = ScheduleForm(request.POST or None, governorates=access.governorates_in_scope(user))
    if request.method == "POST" and form.is_valid():
        try:
            services.create_schedule(
                user,
                title=form.cleaned_data["title"],
                governorates=list(form.cleaned_data["governorates"]),
                recipients=form.cleaned_data["recipients"],
                frequency=form.cleaned_data["frequency"],
                language=form.cleaned_data["language"],
            )
        except PermissionDenied:
            form.add_error(
                "governorates",
                _(
                    "Choose governorates of your own; only national users "
                    "report on the whole country."
                ),
            )
        except ValidationError as exc:
            form.add_error("recipients", "; ".join(exc.messages))
        else:
            messages.success(request, _("Schedule saved."))
            return redirect("reports:schedules")
    schedules = queries.schedules_for(user).prefetch_related("governorates")
    return render(request, "reports/schedules.html", {"form": form, "schedules": schedules})


@require_POST
@access.requires("schedule.manage")
def schedule_toggle(request, pk):
    schedule = get_object_or_404(queries.schedules_for(request.user), pk=pk)
    services.set_schedule_active(request.user, schedule, not schedule.active)
    return redirect("reports:schedules")
