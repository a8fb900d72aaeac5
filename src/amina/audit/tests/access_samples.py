"""Access-matrix samples for the audit trail: admins (and national coordination for history)."""

from amina.lib.testing.access import ADMIN, NATIONAL, Sample


def _change(world):
    from amina.audit.services import record_change

    return {"pk": record_change(world.users["admin"], world.location_a, "update", {}).pk}


def _access(world):
    from amina.audit.services import log_access
    from amina.geo.models import Location

    row = log_access(
        world.users["officer_a"], Location, [world.location_a.pk], "view", purpose="matrix"
    )
    return {"pk": row.pk}


ACCESS_SAMPLES = {
    "audit:changes": Sample(allowed=NATIONAL),
    "audit:access": Sample(allowed=ADMIN),
    "api:changelog-list": Sample(allowed=ADMIN),
    "api:changelog-detail": Sample(_change, ADMIN),
    "api:accesslog-list": Sample(allowed=ADMIN),
    "api:accesslog-detail": Sample(_access, ADMIN),
}
