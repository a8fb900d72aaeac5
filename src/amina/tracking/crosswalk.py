"""DTM's district spellings that map with certainty onto one COD district:
(DTM spelling, COD district p-code).

Seeded as ``geo.PlaceAlias`` rows with source ``dtm`` by a data migration, so admins can
correct or extend them in the admin. Deliberately absent (DTM districts with no single
COD district): Abu Ghraib and Tarmia (Baghdad), Ra'ua (Anbar), Choman and Mergasur
(Erbil), Al-Fares (Salah al-Din), Al-Azezia (Wassit). Their locations import under the
governorate and are listed for review.
"""

DTM_DISTRICTS = [
    ("Fao", "IQG02Q03"),
    ("Shatt Al-Arab", "IQG02Q07"),
    ("Sulaymaniya", "IQG06Q01"),
    ("Darbandikhan", "IQG06Q03"),
    ("Halabja", "IQG06Q05"),
    ("Penjwin", "IQG06Q07"),
    ("Al-Mahawil", "IQG07Q03"),
    ("Al-Musayab", "IQG07Q04"),
    ("Adhamia", "IQG08Q01"),
    ("Kadhimia", "IQG08Q02"),
    ("Karkh", "IQG08Q03"),
    ("Mada'in", "IQG08Q04"),
    ("Mahmoudiya", "IQG08Q05"),
    ("Resafa", "IQG08Q06"),
    ("Al Resafa", "IQG08Q06"),
    ("Thawra1", "IQG08Q07"),
    ("Thawra 1", "IQG08Q07"),
    ("Thawra2", "IQG08Q07"),
    ("Thawra 2", "IQG08Q07"),
    ("Amedi", "IQG09Q01"),
    ("Dahuk", "IQG09Q02"),
    ("Sumel", "IQG09Q03"),
    ("Baladrooz", "IQG10Q03"),
    ("Koisnjaq", "IQG11Q03"),
    ("Makhmur", "IQG11Q04"),
    ("Soran", "IQG11Q05"),
    ("Kerbala", "IQG12Q03"),
    ("Dabes", "IQG13Q03"),
    ("Qal'at Saleh", "IQG14Q06"),
    ("Akre", "IQG15Q01"),
    ("Tilkaif", "IQG15Q09"),
    ("Baiji", "IQG16Q03"),
    ("Tooz", "IQG16Q07"),
    ("Nassriya", "IQG17Q04"),
]


def seed_dtm_districts(District, PlaceAlias) -> int:  # noqa: N803
    """Create the crosswalk aliases that are missing; returns how many were made."""
    from amina.geo.names import place_key

    districts = {
        d.pcode: d for d in District.objects.filter(pcode__in=[p for _, p in DTM_DISTRICTS])
    }
    made = 0
    for name, pcode in DTM_DISTRICTS:
        district = districts.get(pcode)
        if district is None:
            continue
        _, created = PlaceAlias.objects.get_or_create(
            district=district, name=name, defaults={"key": place_key(name), "source": "dtm"}
        )
        made += created
    return made
