"""Access-matrix samples for organisations and users."""

from amina.lib.testing.access import ADMIN, EVERYONE, Sample


def _organisation(world):
    from amina.accounts.models import Organisation

    org, _ = Organisation.objects.get_or_create(
        name_en="Matrix NGO", defaults={"kind": "ngo", "acronym": "MNGO"}
    )
    return {"pk": org.pk}


ACCESS_SAMPLES = {
    "api:organisation-detail": Sample(_organisation, EVERYONE),
    "api:user-list": Sample(allowed=ADMIN),
    "api:user-detail": Sample(lambda w: {"pk": w.users["officer_a"].pk}, ADMIN),
}
