"""Records of no governorate (a national contact) are read beside the user's own when the
view asks for them (``access.scoped(..., national_records=True)``), never otherwise."""

import pytest

from amina.accounts import access
from amina.accounts.models import Organisation
from amina.coordination.models import Contact

pytestmark = pytest.mark.django_db


def test_national_records_are_read_beside_the_users_own(officer_a, gov_a, gov_b, partner):
    org = Organisation.objects.create(name_en="UNHCR", kind="un_agency")
    own = Contact.objects.create(name="Own", organisation=org, governorate=gov_a)
    national = Contact.objects.create(name="National", organisation=org, governorate=None)
    Contact.objects.create(name="Elsewhere", organisation=org, governorate=gov_b)
    found = access.scoped(officer_a, Contact, detail=False, national_records=True)
    assert set(found) == {own, national}
    assert set(access.scoped(officer_a, Contact, detail=False)) == {own}
    assert not access.scoped(partner, Contact, detail=True, national_records=True).exists()
