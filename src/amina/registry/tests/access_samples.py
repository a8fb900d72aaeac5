"""Access-matrix samples of the household registry in governorate A.

Households and duplicate pairs are person-level records: detail roles of A open them
(names, documents and phones masked without the personal-data permission); partners and
officer B never do. Comparing a pair side by side shows both families' names, so it needs
the permission itself. Households are registered and pairs stored through the services.
"""

import datetime

from amina.lib.testing.access import ADMIN, DETAIL, EVERYONE, Sample

#: Every role that sees detail, in its own governorates (lists, searches in scope).
DETAIL_ANYWHERE = DETAIL | {"officer_b"}
#: ``registry.register`` / ``registry.import`` / ``registry.dedupe`` (one role list).
REGISTRARS = frozenset({"admin", "national", "officer_a", "officer_b", "field_a"})
#: Detail roles of A with the personal-data permission.
PERSONAL_A = frozenset({"national", "officer_a"})


def _head(latin: str, document: str) -> dict:
    return {
        "first_name_ar": "أحمد",
        "father_name_ar": "خالد",
        "grandfather_name_ar": "محمود",
        "family_name_ar": "العزاوي",
        "name_latin": latin,
        "birth_date": datetime.date(1970, 5, 1),
        "sex": "male",
        "document_type": "national_id",
        "document_number": document,
        "phone": "07701234567",
    }


def _household(w, latin="Ahmed Khalid Al-Azzawi", document="123456789012"):
    from amina.registry.services import register_household

    data = {"location": w.location_a, "size": 1, "consent": True}
    return register_household(w.users["officer_a"], data, _head(latin, document), [])


def _pair(w):
    """Two registrations of one family in A, stored as a de-duplication run stores them."""
    from amina.registry.models import DuplicateCandidate
    from amina.registry.services import save_candidates

    a = _household(w)
    b = _household(w, latin="Ahmad Khaled Al-Azawi", document="123456789013")
    save_candidates(
        [
            {
                "a": a.pk,
                "b": b.pk,
                "probability": 0.97,
                "cluster": 1,
                "agreeing": ["name", "birth_date"],
                "disagreeing": ["document_number"],
            }
        ],
        {a.pk: w.gov_a.pk, b.pk: w.gov_a.pk},
    )
    return DuplicateCandidate.objects.get(household_a=min(a.pk, b.pk))


def _preview(w):
    """The check of an upload by officer A: the job's result is shown to A alone."""
    from amina.jobs.models import Job

    return Job.objects.create(
        kind="registry-preview",
        status=Job.Status.SUCCEEDED,
        result={"ok": False, "error_count": 0, "problems": []},
        created_by=w.users["officer_a"],
    )


def pk(make):
    return lambda w: {"pk": make(w).pk}


ACCESS_SAMPLES = {
    "registry:home": Sample(allowed=DETAIL_ANYWHERE),
    "registry:register": Sample(allowed=REGISTRARS),
    "registry:detail": Sample(pk(_household), DETAIL),
    "registry:duplicates": Sample(allowed=DETAIL_ANYWHERE),
    "registry:duplicate": Sample(pk(_pair), PERSONAL_A),
    "registry:weights": Sample(allowed=ADMIN),
    "registry:import": Sample(allowed=REGISTRARS),
    "registry:import-preview": Sample(pk(_preview), frozenset({"officer_a"})),
    "registry:export": Sample(allowed=DETAIL_ANYWHERE),
    # Form actions (POST only): every caller gets "use POST".
    "registry:check": Sample(allowed=EVERYONE),
    "registry:close": Sample(pk(_household), EVERYONE),
    "registry:dedupe-start": Sample(allowed=EVERYONE),
    "api:registry-household-detail": Sample(pk(_household), DETAIL),
    "api:registry-duplicate-detail": Sample(pk(_pair), DETAIL),
}
