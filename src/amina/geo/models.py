"""The administrative hierarchy and its names: governorate → district → sub-district → location.

Codes are stored with the scheme they belong to (the 2019 COD p-codes and the older
2014 ones number nine governorates differently), never guessed from their digits.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amina.lib.i18n import localised


class Place(models.Model):
    """What every unit of the hierarchy has: names in English, Arabic and Kurdish, and a
    centroid."""

    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120, blank=True)
    name_ckb = models.CharField(
        _("name (Kurdish)"), max_length=120, blank=True, help_text=_("Central Kurdish (Sorani).")
    )
    centroid_lat = models.FloatField(_("latitude"), null=True, blank=True)
    centroid_lon = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        # Forms, choices and messages show places in the reader's language.
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (Kurdish falls back to Arabic), else English."""
        return localised(self.name_en, self.name_ar, self.name_ckb)


class Outlined:
    """Governorates and districts have an official outline (a ``Boundary`` row)."""

    @property
    def boundary(self) -> dict | None:
        """The official outline (GeoJSON geometry), or None: one query. Lists of places
        read outlines with ``geo.boundaries.geometries`` instead."""
        outline = Boundary.objects.filter(**{type(self).__name__.lower(): self.pk}).first()
        return outline.geometry if outline else None


class Governorate(Outlined, Place):
    pcode = models.CharField(_("p-code"), max_length=20, unique=True)
    pcode_2014 = models.CharField(
        _("2014 p-code"),
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        help_text=_(
            "The older OCHA scheme (IQ-G01…), which numbers nine governorates differently."
        ),
    )
    iso_code = models.CharField(
        _("ISO 3166-2 code"), max_length=10, unique=True, null=True, blank=True
    )
    name_dtm = models.CharField(_("name as DTM spells it"), max_length=120, blank=True)
    kurdistan_region = models.BooleanField(_("in the Kurdistan Region"), default=False)

    class Meta:
        ordering = ["pcode"]
        verbose_name = _("governorate")
        verbose_name_plural = _("governorates")

    def get_absolute_url(self) -> str:
        return reverse("geo:governorate-detail", args=[self.pcode])


class District(Outlined, Place):
    pcode = models.CharField(_("p-code"), max_length=20, unique=True)
    governorate = models.ForeignKey(
        Governorate, models.PROTECT, related_name="districts", verbose_name=_("governorate")
    )

    class Meta:
        ordering = ["pcode"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def get_absolute_url(self) -> str:
        return reverse("geo:district-detail", args=[self.pcode])


class SubDistrict(Place):
    pcode = models.CharField(_("p-code"), max_length=20, unique=True)
    district = models.ForeignKey(
        District, models.PROTECT, related_name="sub_districts", verbose_name=_("district")
    )

    class Meta:
        ordering = ["pcode"]
        verbose_name = _("sub-district")
        verbose_name_plural = _("sub-districts")


class Location(Place):
    """A village, neighbourhood, camp or site where displaced people live.

    ``governorate`` is always set and is what scope is decided on; ``district`` may be
    empty when an import could not match the district name (listed for review).
    """

    class Kind(models.TextChoices):
        VILLAGE = "village", _("village")
        NEIGHBOURHOOD = "neighbourhood", _("neighbourhood")
        CAMP = "camp", _("camp")
        SITE = "site", _("site")

    pcode = models.CharField(_("p-code"), max_length=30, unique=True, null=True, blank=True)
    dtm_place_id = models.CharField(
        _("DTM place id"), max_length=30, unique=True, null=True, blank=True
    )
    code = models.CharField(
        _("location code"),
        max_length=30,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The location's stable code in every export, form and API: its DTM place id "
            "where it has one, otherwise a code given once (governorate p-code and a "
            "number). It never changes and is never given to another location."
        ),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.VILLAGE)
    governorate = models.ForeignKey(
        Governorate, models.PROTECT, related_name="locations", verbose_name=_("governorate")
    )
    district = models.ForeignKey(
        District,
        models.PROTECT,
        related_name="locations",
        null=True,
        blank=True,
        verbose_name=_("district"),
    )
    sub_district = models.ForeignKey(
        SubDistrict,
        models.PROTECT,
        related_name="locations",
        null=True,
        blank=True,
        verbose_name=_("sub-district"),
    )
    needs_review = models.BooleanField(
        _("needs review"),
        default=False,
        help_text=_(
            "Its district could not be matched, or it was created from a file that gave "
            "neither an official code nor coordinates of its own: someone must check it."
        ),
    )

    scope_field = "governorate"

    class Meta:
        ordering = ["governorate__pcode", "name_en"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        indexes = [models.Index(fields=["governorate", "district"])]

    def save(self, *args, **kwargs):
        # ``geo.services`` gives codes to what it creates; this catches every other save
        # of a new row (fixtures, the shell), so no location is ever without its code.
        if not self.code:
            from amina.geo.codes import assign_codes

            assign_codes([self])
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("geo:location-detail", args=[self.pk])


class LocationCodeSequence(models.Model):
    """The last number given in a governorate's location codes (``IQG04-L000123``).

    It only goes up, so a code is never given twice, even after its location is deleted;
    it is a table of its own so that a dump and restore carries it with the locations.
    """

    governorate = models.OneToOneField(
        Governorate, models.PROTECT, primary_key=True, related_name="+"
    )
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("location code sequence")
        verbose_name_plural = _("location code sequences")

    def __str__(self) -> str:
        return f"{self.governorate_id}: {self.last_number}"


class Boundary(models.Model):
    """The official outline of a governorate or a district, kept apart from its row.

    Outlines are large (even simplified); every page that lists places would carry
    them if they were a column of ``Governorate``. Exactly one target is set.
    """

    governorate = models.OneToOneField(
        Governorate,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="outline",
        verbose_name=_("governorate"),
    )
    district = models.OneToOneField(
        District,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="outline",
        verbose_name=_("district"),
    )
    geometry = models.JSONField(_("boundary (GeoJSON geometry)"))
    vertices = models.PositiveIntegerField(_("vertices"), default=0)
    source = models.CharField(_("source"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("boundary")
        verbose_name_plural = _("boundaries")
        constraints = [
            models.CheckConstraint(
                name="boundary_one_target",
                condition=(
                    Q(governorate__isnull=False, district__isnull=True)
                    | Q(governorate__isnull=True, district__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.governorate or self.district)


class PlaceAlias(models.Model):
    """Another spelling of a place, or a name from another source (such as DTM's districts).

    Exactly one of the three targets is set. The gazetteer matches on ``key``, the
    normalised form of ``name``; admins edit these rows to teach it a crosswalk.
    """

    class Source(models.TextChoices):
        REFERENCE = "reference", _("reference data")
        DTM = "dtm", _("DTM crosswalk")
        USER = "user", _("added by a user")

    name = models.CharField(_("spelling"), max_length=160)
    key = models.CharField(max_length=160, db_index=True, editable=False)
    governorate = models.ForeignKey(
        Governorate,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="aliases",
        verbose_name=_("governorate"),
    )
    district = models.ForeignKey(
        District,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="aliases",
        verbose_name=_("district"),
    )
    location = models.ForeignKey(
        Location,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="aliases",
        verbose_name=_("location"),
    )
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.USER
    )

    class Meta:
        verbose_name = _("place alias")
        verbose_name_plural = _("place aliases")
        constraints = [
            models.CheckConstraint(
                name="placealias_one_target",
                condition=(
                    Q(governorate__isnull=False, district__isnull=True, location__isnull=True)
                    | Q(governorate__isnull=True, district__isnull=False, location__isnull=True)
                    | Q(governorate__isnull=True, district__isnull=True, location__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from amina.geo.names import place_key

        self.key = place_key(self.name)
        super().save(*args, **kwargs)

    @property
    def target(self):
        return self.governorate or self.district or self.location
