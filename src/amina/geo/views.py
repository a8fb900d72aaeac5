"""Browsing the geography: every list passes through the access policy."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from amina.accounts import access
from amina.geo.forms import BoundaryUploadForm, LocationForm
from amina.geo.metrics import METRICS, default_metric
from amina.geo.models import Boundary, District, Location
from amina.geo.scopemap import boundaries_url, scope_map
from amina.geo.services import save_place, start_boundary_import
from amina.lib.arabic import Folded, normalise_arabic


def governorate_list(request):
    governorates = access.governorates_in_scope(request.user).annotate(
        n_districts=Count("districts", distinct=True), n_locations=Count("locations", distinct=True)
    )
    return render(request, "geo/governorate_list.html", {"governorates": governorates})


def governorate_detail(request, pcode):
    gov = get_object_or_404(access.governorates_in_scope(request.user), pcode=pcode)
    districts = gov.districts.annotate(n_locations=Count("locations"))
    detail = access.sees_detail(request.user)
    return render(
        request,
        "geo/governorate_detail.html",
        {
            "governorate": gov,
            "districts": districts,
            "detail": detail,
            "aliases": gov.aliases.all(),
        },
    )


def district_detail(request, pcode):
    district = get_object_or_404(
        District.objects.select_related("governorate").filter(
            governorate__in=access.governorates_in_scope(request.user)
        ),
        pcode=pcode,
    )
    locations = access.scoped(request.user, Location.objects.filter(district=district))
    return render(
        request,
        "geo/district_detail.html",
        {
            "district": district,
            "locations": locations[:500],
            "detail": access.sees_detail(request.user),
        },
    )


def location_list(request):
    qs = access.scoped(request.user, Location).select_related("governorate", "district")
    q = request.GET.get("q", "").strip()
    if q:
        # Arabic and Kurdish names compared folded (one rule, amina.lib.arabic): "دهۆک"
        # finds "دهوك", "أربيل" finds "اربيل".
        key = normalise_arabic(q)
        qs = qs.alias(folded_ar=Folded("name_ar"), folded_ckb=Folded("name_ckb")).filter(
            Q(name_en__icontains=q)
            | Q(folded_ar__contains=key)
            | Q(folded_ckb__contains=key)
            | Q(pcode__iexact=q)
            | Q(dtm_place_id__iexact=q)
        )
    if gov := request.GET.get("governorate"):
        qs = qs.filter(governorate__pcode=gov)
    review = bool(request.GET.get("review"))
    if review:
        qs = qs.filter(needs_review=True)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "geo/location_list.html",
        {
            "page": page,
            "q": q,
            "review": review,
            "n_review": access.scoped(request.user, Location).filter(needs_review=True).count(),
            "governorates": access.governorates_in_scope(request.user),
            "can_edit": access.allowed(request.user, "place.edit"),
        },
    )


def location_detail(request, pk):
    location = access.get_scoped_or_404(
        request.user,
        Location.objects.select_related("governorate", "district", "sub_district"),
        pk=pk,
    )
    return render(
        request,
        "geo/location_detail.html",
        {
            "location": location,
            "can_edit": access.allowed(request.user, "place.edit", location.governorate_id),
        },
    )


def _edit_location(request, location: Location | None):
    form = LocationForm(request.POST or None, instance=location, user=request.user)
    if request.method == "POST" and form.is_valid():
        access.check(request.user, "place.edit", form.cleaned_data["governorate"])
        try:
            saved = save_place(request.user, form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The location was saved."))
            return redirect("geo:location-detail", saved.pk)
    return render(request, "geo/location_form.html", {"form": form, "location": location})


@access.requires("boundaries.import")
def boundaries_upload(request):
    """Admins upload an OCHA COD GeoJSON; a worker imports it (all or nothing) as a job."""
    form = BoundaryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = start_boundary_import(request.user, form.cleaned_data["file"])
        return redirect("jobs:detail", job.pk)
    return render(request, "geo/boundaries_upload.html", {"form": form})


@access.requires("place.edit")
def location_add(request):
    """A new location in one of the user's governorates (admins, national, governorate officers)."""
    return _edit_location(request, None)


@access.requires("place.edit")
def location_edit(request, pk):
    location = access.get_scoped_or_404(request.user, Location, pk=pk)
    access.check(request.user, "place.edit", location.governorate_id)
    return _edit_location(request, location)


def map_view(request):
    name = request.GET.get("metric") or default_metric()
    if name not in METRICS:
        raise Http404
    return render(
        request,
        "geo/map.html",
        {
            "metric": name,
            "metrics": [(k, v[0]) for k, v in METRICS.items()],
            "scope_map": scope_map(request.user, name),
            "is_admin": access.allowed(request.user, "boundaries.import"),
        },
    )


def _point(place) -> dict | None:
    if place.centroid_lat is None or place.centroid_lon is None:
        return None
    return {"type": "Point", "coordinates": [place.centroid_lon, place.centroid_lat]}


@cache_control(private=True, max_age=60)
def governorates_geojson(request):
    """Governorates in scope with a metric's value at their centroid. Outlines are not
    here (they would travel again with every figure): ``boundaries`` names the URL that
    serves them, cached apart."""
    name = request.GET.get("metric") or default_metric()
    if name not in METRICS:
        raise Http404
    label, func = METRICS[name]
    governorates = list(access.governorates_in_scope(request.user))
    values = func(request.user, governorates)
    features = []
    for gov in governorates:
        centroid = _point(gov)
        features.append(
            {
                "type": "Feature",
                "geometry": centroid,
                "properties": {
                    "pcode": gov.pcode,
                    "name": gov.name,
                    "name_en": gov.name_en,
                    "name_ar": gov.name_ar,
                    "value": values.get(gov.pk, 0),
                    "centroid": centroid["coordinates"] if centroid else None,
                    "url": gov.get_absolute_url(),
                },
            }
        )
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "metric": name,
            "label": str(label),
            "boundaries": boundaries_url("governorate", [g.pk for g in governorates]),
            "features": features,
        }
    )


@cache_control(private=True, max_age=300)
def districts_geojson(request, pcode):
    """A governorate's districts at their centroids; outlines at ``boundaries``."""
    gov = get_object_or_404(access.governorates_in_scope(request.user), pcode=pcode)
    districts = list(gov.districts.all())
    features = [
        {
            "type": "Feature",
            "geometry": _point(d),
            "properties": {"pcode": d.pcode, "name": d.name, "url": d.get_absolute_url()},
        }
        for d in districts
    ]
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "boundaries": boundaries_url("district", [d.pk for d in districts], gov.pcode),
            "features": features,
        }
    )


@cache_control(private=True, max_age=86400)
def boundaries_geojson(request):
    """The official outlines of the governorates (``level=governorate``) or districts
    (``level=district``, optionally ``governorate=PCODE``) in scope, keyed by p-code:
    fetched once by the map and kept, apart from the figures that change."""
    level = request.GET.get("level", "governorate")
    if level not in ("governorate", "district"):
        raise Http404
    scope = access.governorates_in_scope(request.user)
    if level == "governorate":
        rows = Boundary.objects.filter(governorate__in=scope).values_list(
            "governorate__pcode", "geometry"
        )
    else:
        qs = Boundary.objects.filter(district__governorate__in=scope)
        if gov := request.GET.get("governorate"):
            qs = qs.filter(district__governorate__pcode=gov)
        rows = qs.values_list("district__pcode", "geometry")
    features = [
        {"type": "Feature", "geometry": geometry, "properties": {"pcode": pcode}}
        for pcode, geometry in rows.order_by("pk")
    ]
    return JsonResponse({"type": "FeatureCollection", "level": level, "features": features})
