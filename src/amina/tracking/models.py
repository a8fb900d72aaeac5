"""Displacement tracking: reference categories of DTM (more models follow in this module)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("shelter type")
        verbose_name_plural = _("shelter types")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_ar if (get_language() or "").startswith("ar") and self.name_ar else self.name_en


class DisplacementPeriod(models.Model):
    """A DTM displacement period ("wave"), from its start date."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    dtm_column = models.CharField(_("DTM column"), max_length=80, blank=True)
    starts = models.DateField(_("starts"))
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)

    class Meta:
        ordering = ["starts"]
        verbose_name = _("displacement period")
        verbose_name_plural = _("displacement periods")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_ar if (get_language() or "").startswith("ar") and self.name_ar else self.name_en
