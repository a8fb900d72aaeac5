"""Pages of the registry. Thin: scoped reads from ``queries``, writes through ``services``.

Personal values reach a template only through ``people()``, which either shows them and
logs the view (``log_access``) or masks them (``queries.masked``).
"""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST

from amina.accounts import access
from amina.audit.models import ChangeLog
from amina.audit.services import log_access
from amina.jobs import uploads
from amina.jobs.models import Job
from amina.jobs.services import start_job
from amina.jobs.uploads import save_upload
from amina.lib import paging
from amina.lib.arabic import to_western_digits
from amina.lib.downloads import file_response
from amina.lib.exports import FORMATS
from amina.lib.i18n import Message
from amina.registry import dedupe_model, exports, queries, review, services, vulnerability
from amina.registry.forms import (
    CloseForm,
    HeadForm,
    HouseholdForm,
    ImportForm,
    MemberFormSet,
    SearchForm,
    WeightsForm,
    check_household,
    members_entered,
)
from amina.registry.models import Criterion, DuplicateCandidate, Household, Member


def people(user, members, purpose: str) -> list[dict]:
    """Members as a template shows them: real values (logged) or masked ones."""
    members = list(members)
    personal = access.can_view_personal_data(user)
    if personal and members:
        log_access(user, Member, [m.pk for m in members], "view", purpose=purpose)
    rows = []
    for m in members:

        def show(value, kind="name", m=m):
            return value if personal else queries.masked(value, kind)

        rows.append(
            {
                "member": m,
                "name_ar": show(m.full_name_ar),
                "name_latin": show(m.name_latin),
                "document": show(m.document_number, "document"),
                "phone": show(m.phone, "phone"),
                "birth": (m.birth_date or m.birth_year or "") if personal else (m.birth_year or ""),
                "first": show(m.first_name_ar),
                "father": show(m.father_name_ar),
                "grandfather": show(m.grandfather_name_ar),
                "family": show(m.family_name_ar),
                "sex": m.get_sex_display(),
            }
        )
    return rows


def home(request):
    """The registry: counts in scope, search (with the permission), the latest households."""
    user = request.user
    access.require_detail(user)
    qs = queries.households(user)
    form = SearchForm(request.GET or None)
    q = form.data.get("q", "").strip() if form.is_bound else ""
    personal = access.can_view_personal_data(user)
    qs = qs.select_related("location", "governorate")
    if q:
        if not personal:
            raise PermissionDenied
        # Closest names first, over the capped matches (``queries.ranked_search``).
        ranked, capped = queries.ranked_search(user, q)
        paginator = Paginator(ranked, 25)
        paginator.capped, paginator.cap = capped, paging.CAP
        page = paginator.get_page(request.GET.get("page"))
        found = qs.in_bulk(list(page.object_list))
        page.object_list = [found[pk] for pk in page.object_list if pk in found]
    else:
        paginator = Paginator(qs.order_by("-pk"), 25)
        page = paginator.get_page(request.GET.get("page"))
    heads = {
        m.household_id: m
        for m in Member.objects.filter(is_head=True, household__in=[h.pk for h in page])
    }
    rows = people(user, heads.values(), "search" if q else "registry list")
    by_household = {r["member"].household_id: r for r in rows}
    counts = queries.households(user).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status="open")),
        closed=Count("pk", filter=Q(status="closed")),
    )
    pending = (
        access.scoped(user, DuplicateCandidate)
        .filter(decision=DuplicateCandidate.Decision.PENDING)
        .count()
    )
    return render(
        request,
        "registry/home.html",
        {
            "page": page,
            "capped": getattr(paginator, "capped", False),
            "rows": [(h, by_household.get(h.pk)) for h in page],
            "form": form,
            "q": q,
            "counts": counts,
            "pending": pending,
            "personal": personal,
            "can_register": access.allowed(user, "registry.register"),
            "is_admin": access.allowed(user, "reference.manage"),
        },
    )


@access.requires("registry.register")
def register(request):
    user = request.user
    form = HouseholdForm(request.POST or None, user=user)
    head = HeadForm(request.POST or None)
    members = MemberFormSet(request.POST or None, prefix="members")
    if (
        request.method == "POST"
        and all([form.is_valid(), head.is_valid(), members.is_valid()])
        and check_household(form, head, members)
    ):
        rows = members_entered(members)
        try:
            household = services.register_household(
                user, form.cleaned_data, head.cleaned_data, rows
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Household %(ref)s registered.") % {"ref": household.household_ref}
            )
            return redirect("registry:detail", pk=household.pk)
    return render(
        request, "registry/register.html", {"form": form, "head": head, "members": members}
    )


@require_POST
@access.requires("registry.register")
def check(request):
    """The duplicate warning while a registration is typed (htmx; POST keeps names out of
    URLs and logs).

    Matching on a phone or document number is a search of personal data: a user with the
    permission sees the households found (the search is logged); a user without it learns
    only that a likely duplicate exists and whom to ask, never which household it is.
    """
    user = request.user
    data = request.POST

    def get(name: str) -> str:
        return data.get(f"head-{name}", "").strip()

    year = to_western_digits(get("birth_year") or get("birth_date")[:4])
    found = queries.likely_duplicates(
        user,
        first=get("first_name_ar"),
        father=get("father_name_ar"),
        grandfather=get("grandfather_name_ar"),
        family=get("family_name_ar"),
        latin=get("name_latin"),
        birth_year=int(year) if year.isdigit() else None,
        phone=get("phone"),
        document=get("document_number"),
    )
    if not access.can_view_personal_data(user):
        governorates = {f["household"].governorate_id for f in found}
        return render(
            request,
            "registry/_duplicates_warning.html",
            {"likely": bool(found), "ask": queries.who_may_check(user, governorates)},
        )
    purpose = "duplicate check at registration"
    if found:
        log_access(user, Household, [f["household"].pk for f in found], "search", purpose=purpose)
    heads = {
        m.household_id: m
        for m in Member.objects.filter(
            is_head=True, household__in=[f["household"].pk for f in found]
        )
    }
    shown = {r["member"].household_id: r for r in people(user, heads.values(), purpose)}
    return render(
        request,
        "registry/_duplicates_warning.html",
        {
            "found": [(f["household"], f["reasons"], shown.get(f["household"].pk)) for f in found],
        },
    )


def detail(request, pk: int):
    user = request.user
    household = access.get_scoped_or_404(
        user,
        Household.objects.select_related(
            "location", "governorate", "shelter", "origin_governorate", "merged_into"
        ),
        pk=pk,
    )
    members = people(user, household.members.all(), "household record")
    weights = vulnerability.weights()
    reasons = [
        (Criterion(r).label, weights.get(r, 0))
        for r in household.vulnerability_reasons
        if r in Criterion.values
    ]
    history = ChangeLog.objects.filter(model="registry.household", object_id=str(household.pk))
    return render(
        request,
        "registry/detail.html",
        {
            "household": household,
            "members": members,
            "reasons": reasons,
            "close_form": CloseForm(),
            "history": history[:50],
            "can_close": access.allowed(user, "registry.close", household.governorate_id)
            and household.status == Household.Status.OPEN,
            "merged": household.merged.all(),
        },
    )


@require_POST
@access.requires("registry.close")
def close(request, pk: int):
    user = request.user
    household = access.get_scoped_or_404(user, Household, pk=pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_household(user, household, form.cleaned_data["reason"])
            messages.success(request, _("Household closed."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("registry:detail", pk=pk)


def duplicates(request):
    user = request.user
    access.require_detail(user)
    qs = (
        access.scoped(user, DuplicateCandidate)
        .filter(decision=request.GET.get("decision") or DuplicateCandidate.Decision.PENDING)
        .select_related(
            "household_a", "household_b", "household_a__location", "household_b__location"
        )
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    rows = [(c, field_labels(c.agreeing), field_labels(c.disagreeing)) for c in page]
    return render(
        request,
        "registry/duplicates.html",
        {
            "page": page,
            "rows": rows,
            "personal": access.can_view_personal_data(user),
            "can_run": access.allowed(user, "registry.dedupe"),
            "decision": request.GET.get("decision") or "pending",
            "decisions": DuplicateCandidate.Decision.choices,
        },
    )


@require_POST
@access.requires("registry.dedupe")
def dedupe_start(request):
    user = request.user
    governorates = [] if access.has_national_scope(user) else sorted(access.governorate_ids(user))
    job = start_job(
        "registry-dedupe",
        {"governorates": governorates},
        user,
        label=Message(gettext_noop("Find duplicate households")),
    )
    return redirect("jobs:detail", pk=job.pk)


@access.requires("registry.review_duplicates")
def duplicate(request, pk: int):
    """One candidate pair side by side; deciding needs the personal-data permission."""
    user = request.user
    candidate = access.get_scoped_or_404(
        user, DuplicateCandidate.objects.select_related("household_a", "household_b"), pk=pk
    )
    for household in (candidate.household_a, candidate.household_b):
        access.check(user, "registry.review_duplicates", household.governorate_id)
    if request.method == "POST":
        _decide(request, candidate)
        return redirect("registry:duplicates")
    return render(request, "registry/duplicate.html", _side_by_side(user, candidate))


def _decide(request, candidate: DuplicateCandidate) -> None:
    """Confirm (merge, keeping the side chosen) or reject the pair; the outcome, or why
    it was refused, as a message."""
    action = request.POST.get("action")
    try:
        if action == "confirm":
            sides = {"a": candidate.household_a, "b": candidate.household_b}
            keep = sides.get(request.POST.get("keep", ""))
            survivor = services.confirm_candidate(request.user, candidate, keep=keep)
            messages.success(request, _("Merged into %(ref)s.") % {"ref": survivor.household_ref})
        elif action == "reject":
            services.reject_candidate(request.user, candidate)
            messages.success(request, _("Marked as different families."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))


def _side_by_side(user, candidate: DuplicateCandidate) -> dict:
    """The review page's context: both registrations with all their members, shown (and
    logged) or masked once, the heads field by field and the members aligned."""
    households = (candidate.household_a, candidate.household_b)
    members = [list(h.members.order_by("member_no")) for h in households]
    shown = {r["member"].pk: r for r in people(user, members[0] + members[1], "duplicate review")}
    heads = [next((m for m in group if m.is_head), None) for group in members]
    status = review.head_status(*heads)
    fields = [
        {
            "label": label,
            "values": [shown[h.pk][key] if h else "" for h in heads],
            "status": status[code],
            "status_label": review.STATUS_LABELS[status[code]],
        }
        for code, label, key in review.HEAD_FIELDS
    ]
    aligned = [
        {
            "people": [shown[m.pk] if m else None for m in (a, b)],
            "status": state,
            "status_label": review.STATUS_LABELS[state],
        }
        for a, b, state in review.align(*members)
    ]
    return {
        "candidate": candidate,
        "households": households,
        "fields": fields,
        "members": aligned,
        "other_head": candidate.kind == DuplicateCandidate.Kind.OTHER_HEAD,
        "agreeing": field_labels(candidate.agreeing),
        "disagreeing": field_labels(candidate.disagreeing),
    }


#: What a reviewer reads for each field code a pair stores: the model's comparisons and
#: the other-head pass's codes (labelled where they are defined), and ``name``.
FIELD_LABELS = {
    **dedupe_model.FIELDS,
    **dedupe_model.OTHER_HEAD_FIELDS,
    "name": gettext_lazy("name"),
}
#: Codes that pairs stored by earlier versions, other tools or hand-made rows carry,
#: read as the code of the same field today.
FIELD_ALIASES = {
    "first_name": "first",
    "father_name": "father",
    "grandfather_name": "grandfather",
    "family_name": "family",
    "dob": "birth",
    "birth_date": "birth",
    "birth_year": "birth",
    "document_number": "document",
    "phone_number": "phone",
    "gender": "sex",
}
#: What a code nobody knows reads as: never the code itself, which means nothing to a
#: reviewer and is not in their language.
OTHER_FIELD = gettext_lazy("another field")


def field_labels(codes: list[str]) -> list[str]:
    """The translated labels of the fields a pair agrees (or disagrees) on, in order,
    each once."""
    labels: list[str] = []
    for code in codes or []:
        label = str(FIELD_LABELS.get(FIELD_ALIASES.get(code, code), OTHER_FIELD))
        if label not in labels:
            labels.append(label)
    return labels


@access.requires("reference.manage")
def weights(request):
    user = request.user
    current = vulnerability.weights()
    form = WeightsForm(request.POST or None, weights=current)
    if request.method == "POST" and form.is_valid():
        count = services.set_weights(user, form.cleaned_data)
        messages.success(request, _("Weights saved; %(n)s scores recomputed.") % {"n": count})
        return redirect("registry:weights")
    return render(request, "registry/weights.html", {"form": form})


@access.requires("registry.import")
def import_view(request):
    """Upload: the files are kept and a background job checks them (nothing written);
    the preview page follows the check and offers the import."""
    user = request.user
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and uploads.fits(form, "file", "members"):
        upload, members = form.cleaned_data["file"], form.cleaned_data.get("members")
        params = {
            "path": str(save_upload(upload, "registry-imports")),
            "members_path": str(save_upload(members, "registry-imports")) if members else "",
            "filename": Path(upload.name).name[:200],
            "members_filename": Path(members.name).name[:200] if members else "",
            "language": translation.get_language(),
        }
        job = start_job(
            "registry-preview",
            params,
            user,
            label=Message(gettext_noop("Check %(name)s"), name=params["filename"]),
        )
        return redirect("registry:import-preview", pk=job.pk)
    return render(request, "registry/import.html", {"form": form})


@access.requires("registry.import")
def import_preview(request, pk: int):
    """The check of an upload (its progress, then its problems or its counts); a POST
    confirms a clean one and queues its import, once, before the preview expires."""
    user = request.user
    preview = get_object_or_404(Job, kind="registry-preview", created_by=user, pk=pk)
    result = preview.result or {}
    started = Job.objects.filter(kind="registry-import", parameters__preview=preview.pk).first()
    stale = (
        uploads.expired(preview.finished_at)
        or not Path(preview.parameters.get("path", "")).is_file()
    )
    if request.method == "POST":
        if preview.status != Job.Status.SUCCEEDED or not result.get("ok") or started or stale:
            messages.error(request, _("This preview has expired: upload the file again."))
            return redirect("registry:import")
        job = start_job(
            "registry-import",
            {**preview.parameters, "preview": preview.pk, "delete_after": True},
            user,
            label=Message(
                gettext_noop("Import %(name)s"), name=preview.parameters.get("filename", "")
            ),
        )
        return redirect("jobs:detail", pk=job.pk)
    return render(
        request,
        "registry/import_preview.html",
        {"job": preview, "r": result, "started": started, "stale": stale},
    )


@access.writes_nothing("an export of personal data asks its purpose by POST")
def export(request):
    """Exports: households (personal data: a purpose is required and logged) or duplicates."""
    user = request.user
    access.require_detail(user)
    kind = request.POST.get("kind") if request.method == "POST" else None
    fmt = request.POST.get("format", "csv")
    if kind and fmt in FORMATS and fmt != "geojson":
        if kind == "duplicates":
            return file_response(exports.export_duplicates(user, fmt), fmt, "duplicates")
        if kind == "households":
            purpose = request.POST.get("purpose", "").strip()
            if not purpose:
                messages.error(request, _("Say why you export personal data."))
            else:
                content = exports.export_households(user, fmt, purpose=purpose)
                return file_response(content, fmt, "households")
    return render(
        request, "registry/export.html", {"personal": access.can_view_personal_data(user)}
    )
