"""Displacement tracking: reference categories of DTM (more models follow in this module)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from amina.lib.i18n import localised


class ShelterType(models.Model):
    """A DTM shelter category and its group (private, critical, camp, unknown)."""

    class Group(models.TextChoices):
        PRIVATE = "private", _("private settings")
        CRITICAL = "critical", _("critical shelter")
        CAMP = "camp", _("camps")
        UNKNOWN = "unknown", _("unknown")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    dtm_column = models.CharField(_("DTM column"), max_length=80, blank=True)
    group = models.CharField(_("group"), max_length=10, choices=Group.choices)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_ckb = models.CharField(
        _("name (Kurdish)"), max_length=120, blank=True, help_text=_("Central Kurdish (Sorani).")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("shelter type")
        verbose_name_plural = _("shelter types")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_en, self.name_ar, self.name_ckb)


class DisplacementPeriod(models.Model):
    """A DTM displacement period ("wave"), from its start date."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    dtm_column = models.CharField(_("DTM column"), max_length=80, blank=True)
    starts = models.DateField(_("starts"))
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_ckb = models.CharField(
        _("name (Kurdish)"), max_length=120, blank=True, help_text=_("Central Kurdish (Sorani).")
    )

    class Meta:
        ordering = ["starts"]
        verbose_name = _("displacement period")
        verbose_name_plural = _("displacement periods")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_en, self.name_ar, self.name_ckb)


class Round(models.Model):
    """One assessment round of DTM: every location's figures as of one date.

    Individuals are estimated as families × ``multiplier`` when a file or form does not
    give them; camps may have their own multiplier (DTM Iraq used 5 for camps later).
    """

    class Kind(models.TextChoices):
        IDPS = "idps", _("internally displaced persons")
        RETURNEES = "returnees", _("returnees")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.IDPS)
    multiplier = models.DecimalField(
        _("individuals per family"),
        max_digits=4,
        decimal_places=2,
        default=6,
        help_text=_("Used when individuals are not counted: families × this number."),
    )
    camp_multiplier = models.DecimalField(
        _("individuals per family in camps"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty to use the same number as elsewhere."),
    )
    partial = models.BooleanField(
        _("partial"),
        default=False,
        help_text=_("The round covers only part of the country: trends and comparisons skip it."),
    )
    partial_reason = models.CharField(_("why partial"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.CheckConstraint(
                name="round_multiplier_positive", condition=models.Q(multiplier__gt=0)
            ),
            models.CheckConstraint(
                name="round_camp_multiplier_positive",
                condition=models.Q(camp_multiplier__isnull=True) | models.Q(camp_multiplier__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def individuals_for(self, families: int, camp_families: int = 0) -> int:
        """Estimated individuals: camp families at the camp multiplier, the rest at the other."""
        from decimal import ROUND_HALF_UP, Decimal

        camp = self.camp_multiplier or self.multiplier
        value = Decimal(families - camp_families) * Decimal(self.multiplier) + Decimal(
            camp_families
        ) * Decimal(camp)
        return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class LocationAssessment(models.Model):
    """The figures of one location in one round (a row of a DTM master list).

    In a returnees round, ``returnee_families``/``returnee_individuals`` hold the figures
    and the breakdowns mean governorate of last displacement, shelter at return and
    period of return.
    """

    class Source(models.TextChoices):
        FORM = "form", _("field form")
        IMPORT = "import", _("DTM import")
        DEMO = "demo", _("demo data")

    # No index of their own: (round, location) is unique and (location, round) indexed,
    # and each index is paid again on every row a national import writes.
    round = models.ForeignKey(
        Round,
        models.CASCADE,
        related_name="assessments",
        verbose_name=_("round"),
        db_index=False,
    )
    location = models.ForeignKey(
        "geo.Location",
        models.PROTECT,
        related_name="assessments",
        verbose_name=_("location"),
        db_index=False,
    )
    date = models.DateField(_("date of assessment"))
    families = models.PositiveIntegerField(_("IDP families"), default=0)
    individuals = models.PositiveIntegerField(_("IDP individuals"), default=0)
    returnee_families = models.PositiveIntegerField(_("returnee families"), default=0)
    returnee_individuals = models.PositiveIntegerField(_("returnee individuals"), default=0)
    key_informant = models.CharField(
        _("key informant (role)"),
        max_length=120,
        blank=True,
        help_text=_("The informant's role, e.g. mukhtar or camp manager — not a name."),
    )
    partial = models.BooleanField(
        _("breakdowns partial"),
        default=False,
        help_text=_("The breakdowns cover only part of the families."),
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.FORM
    )
    created_by = models.ForeignKey(
        "accounts.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_field = "location__governorate"

    class Meta:
        ordering = ["round__date", "location_id"]
        verbose_name = _("location assessment")
        verbose_name_plural = _("location assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "location"], name="assessment_one_per_location_and_round"
            ),
            models.CheckConstraint(
                name="assessment_individuals_not_below_families",
                condition=models.Q(individuals__gte=models.F("families")),
            ),
            models.CheckConstraint(
                name="assessment_returnee_individuals_not_below_families",
                condition=models.Q(returnee_individuals__gte=models.F("returnee_families")),
            ),
        ]
        indexes = [models.Index(fields=["location", "round"])]

    def __str__(self) -> str:
        return f"{self.round} · {self.location}"


class AssessmentOrigin(models.Model):
    """Families of an assessment by governorate of origin (of last displacement, for returnees).

    The three breakdowns are about nine rows an assessment, so their indexes are kept to
    the two that reads use: the primary key and (assessment, category), which also finds
    an assessment's rows. The category alone is not indexed: nothing reads the rows of
    one category, and deleting a category (a reference row, all but never) may scan."""

    assessment = models.ForeignKey(
        LocationAssessment, models.CASCADE, related_name="origins", db_index=False
    )
    governorate = models.ForeignKey(
        "geo.Governorate",
        models.PROTECT,
        related_name="+",
        verbose_name=_("governorate of origin"),
        db_index=False,
    )
    families = models.PositiveIntegerField(_("families"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "governorate"], name="assessmentorigin_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.governorate_id}: {self.families}"


class AssessmentShelter(models.Model):
    """Families of an assessment by shelter type (shelter at return, for returnees);
    indexed as ``AssessmentOrigin`` says."""

    assessment = models.ForeignKey(
        LocationAssessment, models.CASCADE, related_name="shelters", db_index=False
    )
    shelter_type = models.ForeignKey(
        ShelterType,
        models.PROTECT,
        related_name="+",
        verbose_name=_("shelter type"),
        db_index=False,
    )
    families = models.PositiveIntegerField(_("families"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "shelter_type"], name="assessmentshelter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.shelter_type_id}: {self.families}"


class AssessmentPeriod(models.Model):
    """Families of an assessment by displacement period (period of return, for returnees);
    indexed as ``AssessmentOrigin`` says."""

    assessment = models.ForeignKey(
        LocationAssessment, models.CASCADE, related_name="periods", db_index=False
    )
    period = models.ForeignKey(
        DisplacementPeriod,
        models.PROTECT,
        related_name="+",
        verbose_name=_("period"),
        db_index=False,
    )
    families = models.PositiveIntegerField(_("families"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "period"], name="assessmentperiod_unique")
        ]

    def __str__(self) -> str:
        return f"{self.period_id}: {self.families}"


class MovementEvent(models.Model):
    """Emergency tracking between rounds: families arriving at or leaving a location."""

    class Direction(models.TextChoices):
        ARRIVAL = "arrival", _("arrival")
        DEPARTURE = "departure", _("departure")

    location = models.ForeignKey(
        "geo.Location", models.PROTECT, related_name="movements", verbose_name=_("location")
    )
    date = models.DateField(_("date"))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    families = models.PositiveIntegerField(_("families"))
    individuals = models.PositiveIntegerField(_("individuals"))
    origin = models.ForeignKey(
        "geo.Governorate",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from governorate"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_field = "location__governorate"

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("movement event")
        verbose_name_plural = _("movement events")
        constraints = [
            models.CheckConstraint(
                name="movement_families_positive", condition=models.Q(families__gt=0)
            ),
            models.CheckConstraint(
                name="movement_individuals_not_below_families",
                condition=models.Q(individuals__gte=models.F("families")),
            ),
        ]
        indexes = [models.Index(fields=["location", "date"])]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.families} · {self.location} · {self.date}"


class AlertRule(models.Model):
    """An influx threshold on arrivals over a trailing period, for a governorate or a location.

    Absolute: arrivals (families) in the period ≥ ``threshold``. Relative: arrivals as a
    percentage of the families present at the last round ≥ ``threshold``. A rule fires
    once when crossed and re-arms only when arrivals fall back below the threshold.
    """

    class Mode(models.TextChoices):
        ABSOLUTE = "absolute", _("families (absolute)")
        RELATIVE = "relative", _("percent of the families present (relative)")

    name = models.CharField(_("name"), max_length=120)
    governorate = models.ForeignKey(
        "geo.Governorate",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("governorate"),
    )
    location = models.ForeignKey(
        "geo.Location",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("location"),
    )
    mode = models.CharField(
        _("threshold kind"), max_length=10, choices=Mode.choices, default=Mode.ABSOLUTE
    )
    threshold = models.PositiveIntegerField(_("threshold"))
    period_days = models.PositiveSmallIntegerField(_("period (days)"), default=7)
    active = models.BooleanField(_("active"), default=True)
    above = models.BooleanField(_("currently above the threshold"), default=False, editable=False)
    episode = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    scope_field = "governorate"

    class Meta:
        ordering = ["name"]
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")
        constraints = [
            models.CheckConstraint(
                name="alertrule_governorate_or_location",
                condition=models.Q(governorate__isnull=False, location__isnull=True)
                | models.Q(governorate__isnull=True, location__isnull=False),
            ),
            models.CheckConstraint(
                name="alertrule_threshold_positive", condition=models.Q(threshold__gt=0)
            ),
            models.CheckConstraint(
                name="alertrule_period_positive", condition=models.Q(period_days__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def area(self):
        return self.location or self.governorate

    @property
    def area_governorate(self):
        return self.location.governorate if self.location_id else self.governorate


class Alert(models.Model):
    """A rule that fired: when, on what arrivals, and who was told."""

    rule = models.ForeignKey(
        AlertRule, models.CASCADE, related_name="alerts", verbose_name=_("rule")
    )
    episode = models.PositiveIntegerField()
    governorate = models.ForeignKey(
        "geo.Governorate", models.CASCADE, related_name="+", verbose_name=_("governorate")
    )
    fired_at = models.DateTimeField(_("fired at"), auto_now_add=True)
    window_start = models.DateField(_("from"))
    window_end = models.DateField(_("to"))
    arrivals = models.PositiveIntegerField(_("arriving families"))
    baseline = models.PositiveIntegerField(_("families at the last round"), default=0)
    recipients = models.ManyToManyField(
        "accounts.User", related_name="+", blank=True, verbose_name=_("recipients")
    )

    scope_field = "governorate"

    class Meta:
        ordering = ["-fired_at", "-pk"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(fields=["rule", "episode"], name="alert_once_per_crossing")
        ]

    def __str__(self) -> str:
        return f"{self.rule} · {self.window_end}"


class DtmUpload(models.Model):
    """A DTM file uploaded in the UI: kept under MEDIA_ROOT until its import commits."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("checked")
        QUEUED = "queued", _("importing")
        COMMITTED = "committed", _("imported")
        FAILED = "failed", _("failed")

    file = models.FileField(_("file"), upload_to="tracking/uploads/", blank=True)
    filename = models.CharField(_("file name"), max_length=200)
    round_code = models.SlugField(_("round"), max_length=40)
    round_date = models.DateField(_("round date"), null=True, blank=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=Round.Kind.choices, default=Round.Kind.IDPS
    )
    multiplier = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    camp_multiplier = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED
    )
    report = models.JSONField(_("report"), default=dict, blank=True)
    uploaded_by = models.ForeignKey("accounts.User", models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    job = models.ForeignKey("jobs.Job", models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("DTM upload")
        verbose_name_plural = _("DTM uploads")

    def __str__(self) -> str:
        return self.filename
