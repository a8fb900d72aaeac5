"""The 4W, trainings and meetings as tables (CSV, XLSX, HXL, GeoJSON) for the CLI, the UI
and HDX. Trainings and meetings are placed at their governorate's centre in GeoJSON.

Training exports carry no participant names: counts per training, by sex, with the
learning gain. Meeting exports list action points without owners' contact details.
"""

from __future__ import annotations

from django.db.models import Count, Q

from amina.coordination import queries
from amina.lib.exports import ExportColumn, point, write_table

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
        "Location code",
        "#loc+code",
        lambda a: a.location.code if a.location else "",
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

#: One row per training and MCOF sector (one value per cell): a training of three sectors
#: is three rows with the same training code, and its counts repeat on each. Count people
#: once per ``#activity+code`` when summing across sectors.
TRAINING_COLUMNS = [
    ExportColumn("training", "Training number", "#activity+code", lambda r: r[0].pk),
    ExportColumn("title", "Training", "#activity+training", lambda r: r[0].title),
    ExportColumn("organiser", "Organiser", "#org", lambda r: r[0].organiser.name_en),
    ExportColumn(
        "sector_code", "MCOF sector number", "#sector+code", lambda r: r[1].code if r[1] else ""
    ),
    ExportColumn("sector", "MCOF sector", "#sector+name", lambda r: r[1].name_en if r[1] else ""),
    ExportColumn("adm1", "Governorate", "#adm1+name", lambda r: r[0].governorate.name_en),
    ExportColumn("adm1_code", "Governorate p-code", "#adm1+code", lambda r: r[0].governorate.pcode),
    ExportColumn("place", "Place", "#loc+name", lambda r: r[0].place),
    ExportColumn("start_date", "Start date", "#date+start", lambda r: r[0].start_date),
    ExportColumn("end_date", "End date", "#date+end", lambda r: r[0].end_date),
    ExportColumn("participants", "Participants", "#reached+ind", lambda r: r[0].n_participants),
    ExportColumn("female", "Women", "#reached+f", lambda r: r[0].n_female),
    ExportColumn("male", "Men", "#reached+m", lambda r: r[0].n_male),
    ExportColumn(
        "mean_gain",
        "Mean gain (points of 100)",
        "#indicator+gain+num",
        lambda r: _round(r[0].gain["mean_gain"]),
    ),
    ExportColumn(
        "normalised_gain",
        "Normalised gain",
        "#indicator+gain+normalised+num",
        lambda r: _round(r[0].gain["normalised_gain"], 3),
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
    # Several organisations attend a meeting: the list is for people (no hashtag, as HXL
    # takes one value per cell); HXL gets how many.
    ExportColumn(
        "organisations",
        "Organisations",
        "",
        lambda r: "; ".join(o.name_en for o in r[0].organisations.all()),
    ),
    ExportColumn(
        "organisations_count",
        "Organisations present",
        "#indicator+organisations+num",
        lambda r: len(r[0].organisations.all()),
    ),
    ExportColumn("decisions", "Decisions", "#meta+decisions", lambda r: r[0].decisions),
    ExportColumn("action", "Action point", "#activity+action", lambda r: r[1].text if r[1] else ""),
    ExportColumn(
        "owner",
        "Owner",
        "",
        lambda r: (r[1].owner.get_full_name() or r[1].owner.username) if r[1] else "",
        personal=True,
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
        sectors = sorted(t.sectors.all(), key=lambda s: s.code) or [None]
        rows.extend((t, sector) for sector in sectors)
    return write_table(
        rows,
        TRAINING_COLUMNS,
        fmt,
        title="trainings",
        geometry=lambda r: _centre(r[0].governorate),
    )


def _centre(place) -> dict | None:
    return point(place.centroid_lat, place.centroid_lon) if place is not None else None


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
    return write_table(
        rows, MEETING_COLUMNS, fmt, title="meetings", geometry=lambda r: _centre(r[0].governorate)
    )


__all__ = ["activity_table", "meeting_table", "training_table"]
