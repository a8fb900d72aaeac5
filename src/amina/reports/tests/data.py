"""Displacement data for the reports tests (and the browser journey), made with the tracking models.

Three governorates (A = Al-Najaf, B = Duhok, and Al-Anbar), two IDP rounds, shelter
breakdowns. Figures are chosen so that every total is distinct, and one location in
Al-Anbar has a small cell (3 families).
"""

import datetime

#: (governorate p-code, location name, families R1, families R2, individuals R2, returnees R2)
LOCATIONS = [
    ("IQG04", "Hay Al-Nour 1", 120, 150, 870, 10),
    ("IQG04", "Hay Al-Amal 2", 40, 65, 390, 0),
    ("IQG09", "Camp Al-Salam 1", 900, 910, 5200, 35),
    ("IQG09", "Qaryat Al-Furat 3", 55, 48, 300, 0),
    ("IQG01", "Hay Al-Tahrir 4", 300, 280, 1700, 120),
    ("IQG01", "Qaryat Al-Andalus 5", 6, 3, 18, 0),
]


def make_displacement() -> dict:
    """Two IDP rounds over six locations (see ``LOCATIONS``), with shelter breakdowns."""
    from amina.geo.models import Governorate, Location
    from amina.tracking.models import AssessmentShelter, LocationAssessment, Round, ShelterType

    r1 = Round.objects.create(code="R1", date=datetime.date(2015, 5, 1))
    r2 = Round.objects.create(code="R2", date=datetime.date(2015, 6, 1))
    shelters = list(ShelterType.objects.all()[:3])
    made = []
    for i, (pcode, name, fam1, fam2, ind2, ret2) in enumerate(LOCATIONS):
        gov = Governorate.objects.get(pcode=pcode)
        loc = Location.objects.create(
            name_en=name,
            name_ar=f"موقع {i}",
            governorate=gov,
            district=gov.districts.first(),
            centroid_lat=gov.centroid_lat,
            centroid_lon=gov.centroid_lon,
            dtm_place_id=f"7000{i}",
        )
        LocationAssessment.objects.create(
            round=r1, location=loc, date=r1.date, families=fam1, individuals=fam1 * 6
        )
        a2 = LocationAssessment.objects.create(
            round=r2,
            location=loc,
            date=r2.date,
            families=fam2,
            individuals=ind2,
            returnee_families=ret2,
            returnee_individuals=ret2 * 6,
        )
        # Shelter of round 2: two thirds in the first type, the rest in the second.
        first = fam2 * 2 // 3
        AssessmentShelter.objects.create(assessment=a2, shelter_type=shelters[0], families=first)
        if fam2 - first:
            AssessmentShelter.objects.create(
                assessment=a2, shelter_type=shelters[1], families=fam2 - first
            )
        made.append(loc)
    return {"rounds": (r1, r2), "locations": made}
