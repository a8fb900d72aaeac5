"""The 4W, trainings and meetings as tables (CSV, XLSX, HXL) for the CLI, the UI and HDX.

Training exports carry no participant names: counts per training, by sex, with the
learning gain. Meeting exports list action points without owners' contact details.
"""

from __future__ import annotations

from django.db.models import Count, Q

from amina.coordination import queries
from amina.core.exports import ExportColumn, point, write_table

ACTIVITY_COLUMNS = [
    ExportColumn("organisation", "Organisation", "#org", lambda a: a.organisation.name_en),
    ExportColumn(
        "organisation_acronym", "Acronym", "#org+acronym", lambda a: a.organisation.acronym
    ),
    ExportColumn("sector_code", "MCOF sector number", "#sector+code", lambda a: a.sector.code),
    ExportColumn("sector", "MCOF sector", "#sector+name", lambda a: a.sector.name_en),
    ExportColumn("activity", "Activity", "#activity", lambda a: a.activity_type),
    ExportColumn("adm1_code", "Governorate p-code", "#adm1+code", lambda a: a.governorate.pcode),
    ExportColumn("adm1", "Governorate", "#adm1+name", lambda a: a.governorate.name_en),
    ExportColumn(
        "adm2_code",
        "District p-code",
        "#adm2+code",
        lambda a: a.district.pcode if a.district else "",
    ),
    ExportColumn(
        "adm2", "District", "#adm2+name", lambda a: a.district.name_en if a.district else ""
    ),
    ExportColumn(
        "loc_code",
        "Location p-code",
        "#loc+code",
        lambda a: (a.location.pcode or a.location.dtm_place_id or "") if a.location else "",
    ),
    ExportColumn(
        "loc", "Location", "#loc+name", lambda a: a.location.name_en if a.location else ""
    ),
    ExportColumn("start_date", "Start date", "#date+start"),
    ExportColumn("end_date", "End date", "#date+end"),
    ExportColumn("status", "Status", "#status"),
    ExportColumn("girls", "Girls", "#reached+f+children"),
    ExportColumn("boys", "Boys", "#reached+m+children"),
    ExportColumn("women", "Women", "#reached+f+adults"),
    ExportColumn("men", "Men", "#reached+m+adults"),
    ExportColumn("elderly_women", "Older women", "#reached+f+elderly"),
    ExportColumn("elderly_men", "Older men", "#reached+m+elderly"),
    ExportColumn("female_other", "Female, age not given", "#reached+f+unknown_age"),
    ExportColumn("male_other", "Male, age not given", "#reached+m+unknown_age"),
    ExportColumn("people_reached", "People reached", "#reached+ind"),
    ExportColumn("distribution_ref", "Distribution reference", "#meta+distribution"),
]

TRAINING_COLUMNS = [
    ExportColumn("title", "Training", "#activity+training", lambda t: t.title),
    ExportColumn("organiser", "Organiser", "#org", lambda t: t.organiser.name_en),
    ExportColumn(
        "sectors",
        "MCOF sectors",
        "#sector",
        lambda t: "; ".join(s.name_en for s in t.sectors.all()),
    ),
    ExportColumn("adm1", "Governorate", "#adm1+name", lambda t: t.governorate.name_en),
    ExportColumn("adm1_code", "Governorate p-code", "#adm1+code", lambda t: t.governorate.pcode),
    ExportColumn("place", "Place", "#loc+name"),
    ExportColumn("start_date", "Start date", "#date+start"),
    ExportColumn("end_date", "End date", "#date+end"),
    ExportColumn("participants", "Participants", "#reached+ind", lambda t: t.n_participants),
    ExportColumn("female", "Women", "#reached+f", lambda t: t.n_female),
    ExportColumn("male", "Men", "#reached+m", lambda t: t.n_male),
    ExportColumn(
        "mean_gain",
        "Mean gain (points of 100)",
        "#indicator+gain",
        lambda t: _round(t.gain["mean_gain"]),
    ),
    ExportColumn(
        "normalised_gain",
        "Normalised gain",
        "#indicator+gain+normalised",
        lambda t: _round(t.gain["normalised_gain"], 3),
    ),
]

MEETING_COLUMNS = [
    ExportColumn("meeting", "Meeting", "#meta+meeting", lambda r: r[0].title),
    ExportColumn("date", "Date", "#date", lambda r: r[0].date),
    ExportColumn(
        "adm1",
        "Governorate",
        "#adm1+name",
        lambda r: r[0].governorate.name_en if r[0].governorate else "",
    ),
    ExportColumn(
        "organisations",
        "Organisations",
        "#org",
        lambda r: "; ".join(o.name_en for o in r[0].organisations.all()),
    ),
    ExportColumn("decisions", "Decisions", "#meta+decisions", lambda r: r[0].decisions),
    ExportColumn("action", "Action point", "#activity+action", lambda r: r[1].text if r[1] else ""),
    ExportColumn(
        "owner",
        "Owner",
        "#contact+name",
        lambda r: (r[1].owner.get_full_name() or r[1].owner.username) if r[1] else "",
    ),
    ExportColumn("due_date", "Due date", "#date+due", lambda r: r[1].due_date if r[1] else ""),
    ExportColumn("status", "Status", "#status", lambda r: r[1].status if r[1] else ""),
]


def _round(value, digits=1):
    return "" if value is None else round(value, digits)


def activity_table(qs, fmt: str) -> bytes:
    qs = qs.select_related("organisation", "sector", "governorate", "district", "location")
    return write_table(
        qs.order_by("governorate__pcode", "sector__code", "pk"),
        ACTIVITY_COLUMNS,
        fmt,
        title="4W",
        geometry=activity_point,
    )


def activity_point(a) -> dict | None:
    """The most precise point known: the location, else the district, else the governorate."""
    for place in (a.location, a.district, a.governorate):
        if place is not None and place.centroid_lat is not None:
            return point(place.centroid_lat, place.centroid_lon)
    return None


def training_table(qs, fmt: str) -> bytes:
    qs = (
        qs.select_related("organiser", "governorate")
        .prefetch_related("sectors", "participants__training")
        .annotate(
            n_participants=Count("participants", distinct=True),
            n_female=Count("participants", filter=Q(participants__sex="f"), distinct=True),
            n_male=Count("participants", filter=Q(participants__sex="m"), distinct=True),
        )
        .order_by("start_date", "pk")
    )
    rows = []
    for t in qs:
        t.gain = queries.learning_gain(t.participants.all())
        rows.append(t)
    return write_table(rows, TRAINING_COLUMNS, fmt, title="trainings")


def meeting_table(meetings, fmt: str) -> bytes:
    """One row per action point; a meeting without any still has its row."""
    qs = (
        meetings.select_related("governorate")
        .prefetch_related("organisations", "action_points__owner")
        .order_by("date", "pk")
    )
    rows = []
    for meeting in qs:
        points = list(meeting.action_points.all()) or [None]
        rows.extend((meeting, p) for p in points)
    return write_table(rows, MEETING_COLUMNS, fmt, title="meetings")


__all__ = ["activity_table", "meeting_table", "training_table"]
