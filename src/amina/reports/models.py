"""Reports, their published versions, and schedules.

A ``Report`` is the editable draft (parameters and narrative); publishing freezes what
it renders into a ``Publication`` (the file as it was, with its metadata and a version
number), so the library always serves what partners were sent, even after the data
moved on. A ``Schedule`` produces a report kind on a cadence and e-mails it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    """The languages a report is written in: those of ``settings.LANGUAGES``."""

    ARABIC = "ar", _("Arabic")
    ENGLISH = "en", _("English")
    KURDISH = "ckb", _("Central Kurdish")


class ReportKind(models.TextChoices):
    FLASH = "flash", _("flash report")


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    kind = models.CharField(
        _("kind"), max_length=20, choices=ReportKind.choices, default=ReportKind.FLASH
    )
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ARABIC
    )
    round_code = models.CharField(_("round"), max_length=40)
    governorates = models.ManyToManyField(
        "geo.Governorate",
        blank=True,
        related_name="+",
        verbose_name=_("governorates"),
        help_text=_("None means the whole country."),
    )
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    story = models.TextField(
        _("story"), blank=True, help_text=_("What happened, in a few paragraphs.")
    )
    quotes = models.TextField(
        _("quotes"), blank=True, help_text=_("One quote per line; add who said it after a dash.")
    )
    contacts = models.TextField(
        _("contacts"), blank=True, help_text=_("Who to contact for more information, one per line.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(
        _("published version"), default=0, help_text=_("0 until first published.")
    )

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                name="report_status_valid", condition=Q(status__in=["draft", "published"])
            ),
            models.CheckConstraint(
                name="report_language_valid", condition=Q(language__in=["ar", "en", "ckb"])
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Publication(models.Model):
    """One published version: the frozen file and what a reader filters the library by."""

    class Kind(models.TextChoices):
        FLASH = "flash", _("flash report")
        EXPORT = "export", _("dataset")
        MAP = "map", _("map")

    report = models.ForeignKey(
        Report,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="publications",
        verbose_name=_("report"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    governorates = models.ManyToManyField(
        "geo.Governorate", blank=True, related_name="+", verbose_name=_("governorates")
    )
    sectors = models.ManyToManyField(
        "needs.Sector", blank=True, related_name="+", verbose_name=_("sectors")
    )
    national = models.BooleanField(_("whole country"), default=False)
    date = models.DateField(_("date of the data"))
    round_code = models.CharField(_("round"), max_length=40, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    filename = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("content type"), max_length=100)
    content = models.BinaryField(_("file"))
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("published by")
    )
    published_at = models.DateTimeField(_("published"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "version"],
                name="publication_one_version",
                condition=Q(report__isnull=False),
            ),
            models.CheckConstraint(
                name="publication_version_positive", condition=Q(version__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Schedule(models.Model):
    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("weekly")
        MONTHLY = "monthly", _("monthly")

    kind = models.CharField(
        _("kind"), max_length=20, choices=ReportKind.choices, default=ReportKind.FLASH
    )
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ARABIC
    )
    governorates = models.ManyToManyField(
        "geo.Governorate", blank=True, related_name="+", verbose_name=_("governorates")
    )
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    recipients = models.TextField(
        _("recipients"), help_text=_("E-mail addresses, one per line or separated by commas.")
    )
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    next_run = models.DateTimeField(_("next run"), db_index=True)
    last_run = models.DateTimeField(_("last run"), null=True, blank=True)
    last_result = models.CharField(_("last result"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("owner")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["next_run", "pk"]
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        constraints = [
            models.CheckConstraint(
                name="schedule_frequency_valid", condition=Q(frequency__in=["weekly", "monthly"])
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def recipient_list(self) -> list[str]:
        return [a.strip() for a in self.recipients.replace(",", "\n").splitlines() if a.strip()]
