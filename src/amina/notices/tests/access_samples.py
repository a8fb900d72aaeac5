"""Access-matrix samples of notifications: each user reads only their own."""

from amina.lib.testing.access import EVERYONE, Sample


def _notification(w):
    from amina.notices.services import notify

    return notify([w.users["officer_a"]], "influx", "Influx", governorate=w.gov_a)[0]


ACCESS_SAMPLES = {
    "api:coordination-notification-detail": Sample(
        lambda w: {"pk": _notification(w).pk}, frozenset({"officer_a"})
    ),
    "api:coordination-notification-read": Sample(allowed=EVERYONE),
}
