"""Needs assessment under IOM's MCOF: sectors and phases (more models follow in this module)."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class _Bilingual(models.Model):
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_ar if (get_language() or "").startswith("ar") and self.name_ar else self.name_en

    @property
    def description(self) -> str:
        if (get_language() or "").startswith("ar") and self.description_ar:
            return self.description_ar
        return self.description_en


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
