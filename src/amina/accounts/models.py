"""Organisations, users, roles and scopes.

A user's scope is either national (an explicit flag) or a set of governorates; an empty
set means nothing, never everything. What a scope lets a user read is decided in one
place, ``amina.accounts.access``.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from amina.core.i18n import localised


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("ministry")
        GOVERNORATE_OFFICE = "governorate_office", _("governor's office")
        PROVINCIAL_COUNCIL = "provincial_council", _("provincial council")
        KRG_BODY = "krg_body", _("Kurdistan Region body")
        IOM = "iom", _("IOM")
        UN_AGENCY = "un_agency", _("UN agency")
        NGO = "ngo", _("NGO")
        OTHER = "other", _("other")

    name_en = models.CharField(_("name (English)"), max_length=200, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    governorate = models.ForeignKey(
        "geo.Governorate",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("governorate"),
        help_text=_("For governorate offices and councils."),
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.acronym or self.name_en

    @property
    def name(self) -> str:
        return localised(self.name_en, self.name_ar)


class Role(models.TextChoices):
    ADMIN = "admin", _("system administrator")
    NATIONAL = "national", _("national coordination")
    GOVERNORATE = "governorate", _("governorate officer")
    FIELD = "field", _("field team")
    LOGISTICS = "logistics", _("logistics officer")
    PARTNER = "partner", _("partner")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)
    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )
    national_scope = models.BooleanField(
        _("national scope"),
        default=False,
        help_text=_(
            "Sees every governorate. Without it, the user sees only the governorates listed."
        ),
    )
    governorates = models.ManyToManyField(
        "geo.Governorate", blank=True, related_name="users", verbose_name=_("governorates")
    )
    can_view_personal_data = models.BooleanField(
        _("may view personal data"),
        default=False,
        help_text=_("Names, documents, phones and exact locations of households, within scope."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_role_valid", condition=models.Q(role__in=Role.values)
            ),
        ]
