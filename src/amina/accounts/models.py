"""Organisations, users, roles and scopes.

A user's scope is either national (an explicit flag) or a set of governorates; an empty
set means nothing, never everything. What a scope lets a user read is decided in one
place, ``amina.accounts.access``.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from amina.lib.i18n import localised, right_to_left


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
    name_ckb = models.CharField(
        _("name (Kurdish)"), max_length=200, blank=True, help_text=_("Central Kurdish (Sorani).")
    )
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
        """The Arabic (Kurdish) name on Arabic (Kurdish) pages; in English the acronym
        people use (IOM, NRC)."""
        name = self.name
        if right_to_left() and name != self.name_en:
            return name
        return self.acronym or self.name_en

    @property
    def name(self) -> str:
        return localised(self.name_en, self.name_ar, self.name_ckb)


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

    def save(self, *args, **kwargs):
        """A new password revokes every API token of the user.

        ``set_password`` keeps the raw password in ``_password`` until the next save,
        whichever way it was called (the password page, the admin's "change password"
        form, a reset, ``amina changepassword``), so this one place covers them all: a
        leaked token dies with the password it was obtained with.
        """
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            from amina.accounts.tokens import revoke_tokens

            revoke_tokens(self, actor=None, reason="password changed")


class ApiToken(models.Model):
    """An API token, stored as a SHA-256 digest of the key (the key itself is shown once,
    when made, and never stored), with a short prefix to tell tokens apart, an expiry
    and the time it was last used. Made and revoked by ``amina.accounts.tokens``."""

    class Channel(models.TextChoices):
        WEB = "web", _("profile page")
        API = "api", _("API")
        MIGRATED = "migrated", _("earlier token")

    user = models.ForeignKey(
        User, models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    prefix = models.CharField(_("prefix"), max_length=8)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    channel = models.CharField(
        _("made on"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"
