"""Needs assessment under IOM's MCOF: reference sectors and phases, assessments, their
severity per sector, ranked priority needs and imported form submissions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from amina.lib.i18n import localised


class _Bilingual(models.Model):
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    name_ckb = models.CharField(
        _("name (Kurdish)"), max_length=200, blank=True, help_text=_("Central Kurdish (Sorani).")
    )
    description_ckb = models.TextField(_("description (Kurdish)"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_en, self.name_ar, self.name_ckb)

    @property
    def description(self) -> str:
        return localised(self.description_en, self.description_ar, self.description_ckb)


class Sector(_Bilingual):
    """One of the MCOF's fifteen sectors of assistance (data an admin can correct)."""

    code = models.PositiveSmallIntegerField(_("number"), unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("MCOF sector")
        verbose_name_plural = _("MCOF sectors")


class Phase(_Bilingual):
    """Before, during or after the crisis."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("MCOF phase")
        verbose_name_plural = _("MCOF phases")


class Severity(models.IntegerChoices):
    """The 1–5 severity of need used in every assessment (meanings in ``severity.py``)."""

    NONE = 1, _("1 – none or minimal")
    STRESSED = 2, _("2 – stressed")
    SEVERE = 3, _("3 – severe")
    EXTREME = 4, _("4 – extreme")
    CATASTROPHIC = 5, _("5 – catastrophic")


class NeedsAssessment(models.Model):
    """One rapid needs assessment of a location by a field team on one day.

    The population covered is copied from the location's latest displacement figures
    when the team records it (or typed by the team), so later tracking rounds do not
    silently change what this assessment said.
    """

    class PopulationSource(models.TextChoices):
        TRACKING = "tracking", _("latest displacement tracking figure")
        TEAM = "team", _("team's estimate")

    location = models.ForeignKey(
        "geo.Location", models.PROTECT, related_name="needs_assessments", verbose_name=_("location")
    )
    assessed_on = models.DateField(_("date of assessment"))
    team = models.CharField(_("team"), max_length=120)
    key_informants_count = models.PositiveSmallIntegerField(_("number of key informants"))
    key_informants_description = models.CharField(
        _("key informants (roles, no names)"),
        max_length=300,
        blank=True,
        help_text=_(
            "For example: mukhtar, school director, two women's committee members. "
            "Do not write names."
        ),
    )
    population_individuals = models.PositiveIntegerField(
        _("population covered (individuals)"), null=True, blank=True
    )
    population_source = models.CharField(
        _("source of the population figure"),
        max_length=20,
        choices=PopulationSource.choices,
        blank=True,
    )
    population_as_of = models.DateField(_("population figure as of"), null=True, blank=True)
    access_constraints = models.TextField(_("access constraints"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    phase = models.ForeignKey(
        Phase,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("MCOF phase"),
    )
    assessed_by = models.ForeignKey(
        "accounts.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    scope_field = "location__governorate"

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["location", "-assessed_on"], name="needs_assess_loc_date")]
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")

    def __str__(self) -> str:
        return f"{self.location} · {self.assessed_on}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("needs:assessment-detail", args=[self.pk])


class SectorSeverity(models.Model):
    """The severity of need in one MCOF sector found by one assessment."""

    assessment = models.ForeignKey(NeedsAssessment, models.CASCADE, related_name="severities")
    sector = models.ForeignKey(
        Sector, models.PROTECT, related_name="severities", verbose_name=_("sector")
    )
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)

    scope_field = "assessment__location__governorate"

    class Meta:
        ordering = ["assessment", "sector__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "sector"], name="needs_one_severity_per_sector"
            ),
            models.CheckConstraint(
                condition=models.Q(severity__gte=1, severity__lte=5), name="needs_severity_1_to_5"
            ),
        ]
        verbose_name = _("severity by sector")
        verbose_name_plural = _("severities by sector")

    def __str__(self) -> str:
        return f"{self.sector_id}: {self.severity}"


class PriorityNeed(models.Model):
    """The 1st, 2nd or 3rd priority need named by an assessment: a sector and its detail."""

    assessment = models.ForeignKey(NeedsAssessment, models.CASCADE, related_name="priorities")
    rank = models.PositiveSmallIntegerField(_("rank"))
    sector = models.ForeignKey(
        Sector, models.PROTECT, related_name="priorities", verbose_name=_("sector")
    )
    detail = models.CharField(_("what exactly"), max_length=200, blank=True)

    scope_field = "assessment__location__governorate"

    class Meta:
        ordering = ["assessment", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "rank"], name="needs_one_need_per_rank"),
            models.UniqueConstraint(
                fields=["assessment", "sector"], name="needs_distinct_priorities"
            ),
            models.CheckConstraint(
                condition=models.Q(rank__gte=1, rank__lte=3), name="needs_rank_1_to_3"
            ),
        ]
        verbose_name = _("priority need")
        verbose_name_plural = _("priority needs")

    def __str__(self) -> str:
        return f"{self.rank}. {self.sector_id}"


class Submission(models.Model):
    """An imported field-form submission, keyed by its root instance ID (the first
    version's), so an edit made in KoboToolbox or ODK Central replaces its original
    instead of adding a second assessment, whichever of the two is imported first.

    ``version_id`` is the version whose values the assessment holds; ``superseded_ids``
    (space-separated) the versions it replaced or that replaced versions are known to
    have edited: importing any of them again changes nothing."""

    instance_id = models.CharField(_("instance ID"), max_length=120, unique=True)
    version_id = models.CharField(_("version instance ID"), max_length=120, blank=True)
    superseded_ids = models.TextField(_("superseded versions"), blank=True)
    assessment = models.OneToOneField(NeedsAssessment, models.CASCADE, related_name="submission")
    source = models.CharField(_("file"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    scope_field = "assessment__location__governorate"

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return self.instance_id
