"""Exports of the registry: duplicate clusters and (personal data) households.

Both take the user whose scope applies (``None`` from the command line = the whole
registry, as the system); the households export masks personal values for users
without the permission and logs every export of them with its purpose.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from amina.accounts import access
from amina.audit.services import log_access
from amina.lib.exports import ExportColumn, point, write_table
from amina.registry.models import DuplicateCandidate, Household, Member
from amina.registry.queries import masked


def _scope(user, qs, governorates: list[str]):
    if user is not None:
        qs = access.scoped(user, qs)
    if governorates:
        qs = qs.filter(governorate__pcode__in=governorates)
    return qs


def duplicate_clusters(
    user=None, governorates: list[str] = (), decision: str = "pending"
) -> list[dict]:
    """One row per cluster: every household_ref in it and its probability (the
    strongest pair; the weakest is given too).

    A cluster is the connected pairs of one cluster number (numbers restart with each
    run). It is exported only when ``user`` may see every household in it (the access
    policy's rule for pairs, applied to the whole cluster): a cluster that reaches into
    another governorate would otherwise show that governorate's references. From the
    command line (``user`` None), ``governorates`` keeps the clusters lying wholly
    inside them.
    """
    pairs = DuplicateCandidate.objects.all()
    if decision:
        pairs = pairs.filter(decision=decision)
    visible = _visible_pairs(user, pairs, governorates)
    shown = set(visible.values_list("pk", flat=True))
    # Every pair of the clusters touched, seen or not, to know whether a cluster is whole.
    rows = pairs.filter(cluster__in=visible.values("cluster")).values_list(
        "pk",
        "cluster",
        "household_a_id",
        "household_b_id",
        "household_a__household_ref",
        "household_b__household_ref",
        "probability",
    )
    clusters = _connected(list(rows), shown)
    return [
        {
            "cluster": number,
            "size": len(c["refs"]),
            "household_refs": " ".join(sorted(c["refs"])),
            "probability": round(max(c["p"]), 4),
            "lowest_probability": round(min(c["p"]), 4),
        }
        for (number, _root), c in sorted(
            clusters.items(), key=lambda kv: (kv[0][0], min(kv[1]["refs"]))
        )
        if c["whole"]
    ]


def _visible_pairs(user, pairs, governorates: list[str]):
    """The pairs ``user`` may see (all from the command line), both households inside
    ``governorates`` when given."""
    visible = access.scoped(user, pairs) if user is not None else pairs
    if governorates:
        visible = visible.filter(
            household_a__governorate__pcode__in=governorates,
            household_b__governorate__pcode__in=governorates,
        )
    return visible


def _connected(rows: list[tuple], shown: set[int]) -> dict[tuple[int, int], dict]:
    """Pairs grouped by cluster number and connected component (union-find): each
    group's references, probabilities, and whether every pair of it is in ``shown``."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _pk, _cluster, a, b, *_rest in rows:
        parent[root(a)] = root(b)
    clusters: dict[tuple[int, int], dict] = defaultdict(
        lambda: {"refs": set(), "p": [], "whole": True}
    )
    for pk, cluster, a, _b, ref_a, ref_b, p in rows:
        c = clusters[(cluster, root(a))]
        c["refs"] |= {ref_a, ref_b}
        c["p"].append(p)
        c["whole"] = c["whole"] and pk in shown
    return clusters


#: The household references are personal data: no hashtag (HXL tools drop the column).
DUPLICATE_COLUMNS = [
    ExportColumn("cluster", "cluster", "#x_cluster+code"),
    ExportColumn("size", "households", "#indicator+households+num"),
    ExportColumn("household_refs", "household_refs", personal=True),
    ExportColumn("probability", "probability", "#indicator+probability+num"),
    ExportColumn("lowest_probability", "lowest_probability", "#indicator+probability+min+num"),
]
#: The formats of the duplicates export: a cluster has no place, so no GeoJSON.
DUPLICATE_FORMATS = ("csv", "xlsx", "hxl")


def export_duplicates(user, fmt: str, governorates: list[str] = ()) -> bytes:
    if fmt not in DUPLICATE_FORMATS:
        raise ValueError(_("Duplicate clusters have no place: choose CSV, XLSX or HXL."))
    return write_table(
        duplicate_clusters(user, governorates), DUPLICATE_COLUMNS, fmt, title="duplicates"
    )


#: The households export. Only the place and status columns carry HXL hashtags; every
#: column about the head or the household itself is personal and untagged, so an HXL
#: pipeline (and HDX) never receives it.
HOUSEHOLD_COLUMNS = [
    ExportColumn("household_ref", "household_ref", personal=True),
    ExportColumn("governorate", "governorate", "#adm1+code"),
    ExportColumn("location", "location", "#loc+name"),
    ExportColumn("location_code", "location_code", "#loc+code"),
    ExportColumn("head_name_ar", "head_name_ar", personal=True),
    ExportColumn("head_name_latin", "head_name_latin", personal=True),
    ExportColumn("sex", "sex", personal=True),
    ExportColumn("birth_year", "birth_year", personal=True),
    ExportColumn("document_number", "document_number", personal=True),
    ExportColumn("phone", "phone", personal=True),
    ExportColumn("size", "size", personal=True),
    ExportColumn("vulnerability_score", "vulnerability_score", personal=True),
    ExportColumn("status", "status", "#status"),
    ExportColumn("close_reason", "close_reason", personal=True),
    ExportColumn("merged_into", "merged_into", personal=True),
    ExportColumn("origin_governorate", "origin_governorate", "#adm1+code+origin"),
]
#: GeoJSON of households is an aggregate: one feature per location, no person.
HOUSEHOLD_MAP_COLUMNS = [
    ExportColumn("governorate", "governorate", "#adm1+code"),
    ExportColumn("location", "location", "#loc+name"),
    ExportColumn("location_code", "location_code", "#loc+code"),
    ExportColumn("households", "households", "#affected+hh"),
    ExportColumn("individuals", "individuals", "#affected+ind"),
]


def household_counts(user, governorates: list[str] = ()) -> list[dict]:
    """Households and their members per location (open and closed alike)."""
    from django.db.models import Count, Sum

    if user is not None and not access.sees_detail(user):
        raise PermissionDenied
    qs = _scope(user, Household.objects.all(), list(governorates))
    rows = (
        qs.values(
            "location__code",
            "location__name_en",
            "location__governorate__pcode",
            "location__centroid_lat",
            "location__centroid_lon",
        )
        .annotate(households=Count("pk"), individuals=Sum("size"))
        .order_by("location__governorate__pcode", "location__code")
    )
    return [
        {
            "governorate": r["location__governorate__pcode"],
            "location": r["location__name_en"],
            "location_code": r["location__code"],
            "households": r["households"],
            "individuals": r["individuals"] or 0,
            "_lat": r["location__centroid_lat"],
            "_lon": r["location__centroid_lon"],
        }
        for r in rows
    ]


def export_households(
    user, fmt: str, *, purpose: str, governorates: list[str] = (), channel: str = "web"
) -> bytes:
    """Households with their head of household; personal values only with the permission
    (or from the command line), and only with a purpose, which is logged."""
    if not purpose.strip():
        raise ValidationError(_("Say why you export personal data (the purpose is logged)."))
    if user is not None and not access.sees_detail(user):
        raise PermissionDenied
    if fmt == "geojson":  # counts per location: nobody's data, nothing to log
        return write_table(
            household_counts(user, list(governorates)),
            HOUSEHOLD_MAP_COLUMNS,
            fmt,
            title="households",
            geometry=lambda r: point(r["_lat"], r["_lon"]),
        )
    personal = user is None or access.can_view_personal_data(user)
    qs = _scope(
        user,
        Household.objects.select_related(
            "location", "governorate", "origin_governorate", "shelter", "merged_into"
        ),
        list(governorates),
    )
    heads = {m.household_id: m for m in Member.objects.filter(is_head=True, household__in=qs)}
    rows = [
        _household_row(household, heads.get(household.pk), personal)
        for household in qs.iterator(chunk_size=5000)
    ]
    if personal and rows:
        log_access(
            user, Household, [r["_id"] for r in rows], "export", purpose=purpose, channel=channel
        )
    return write_table(rows, HOUSEHOLD_COLUMNS, fmt, title="households")


def _household_row(household: Household, head: Member | None, personal: bool) -> dict:
    """One household of the export; the head's personal values masked unless
    ``personal``."""

    def value(text, kind="name"):
        text = getattr(head, text, "") if head else ""
        return text if personal else masked(text, kind)

    return {
        "household_ref": household.household_ref,
        "governorate": household.governorate.pcode,
        "location": household.location.name_en,
        "location_code": household.location.code,
        "head_name_ar": value("full_name_ar"),
        "head_name_latin": value("name_latin"),
        "sex": head.sex if head else "",
        "birth_year": head.birth_year if head else "",
        "document_number": value("document_number", "document"),
        "phone": value("phone", "phone"),
        "size": household.size,
        "vulnerability_score": household.vulnerability_score,
        "status": household.status,
        "close_reason": household.close_reason,
        "merged_into": household.merged_into.household_ref if household.merged_into_id else "",
        "origin_governorate": household.origin_governorate.pcode
        if household.origin_governorate_id
        else "",
        "_id": household.pk,
    }
